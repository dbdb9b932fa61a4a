"""Find a question's phrase in the spoken tokens: fuzzy token alignment plus sound comparison,
with the rules that keep it honest.

How a phrase is found (all general rules, nothing about a particular answer):
- Both sides go through `text.normalize_text`/`tokenize` (case, punctuation, contractions, hyphens,
  numbers and units), then each phrase token is paired with the most similar unused token in a short
  window of the transcript (up to `MAX_GAP` extra words, so "I also added" and "recovered $8,000 in
  weekly revenue" still match "I added" and "$8,000 recovered weekly"; order changes cost a little).
- Token similarity is `phonetic.token_similarity`: exact 1, same stem 0.95 ("no tickets" matches
  "no ticket"), else the better of spelling and sound similarity ("Webbook" ~ "webhook").
- The phrase score is the weighted mean similarity (function words weigh half), minus small costs for
  words in between and for order changes. A hit needs score >= THRESHOLD. On the fixtures
  (bench/accuracy.py --threshold T) precision and recall are flat from 0.60 to 0.85 and recall drops
  at 0.90, because the rules below do the real work; 0.75 sits in the middle of that plateau.
- An acronym in capitals ("SLO") also matches its letters said one by one, however Whisper wrote them
  ("as low", "S L O"): the sound of the spelled-out letters is compared with up to three spoken words.
- Precision rules:
  * pronouns ("I", "we", "my", "they") and numbers must match exactly; a unit next to a number
    ("percent", "dollars") weighs half and may be missing ("8,000 recovered weekly" for "$8,000 ...");
  * ownership: in a phrase "I <verb> ...", the verb must be near-identical (>= VERB_MIN, so "I reduced"
    never earns "I reproduced", "I had it" never earns "I added") and its subject must be "I": "we
    pulled" or "my teammate reproduced" are reported as hand-offs, not hits;
  * a content word may be replaced by a sound-alike below 0.8 (Whisper's "parent" for "pattern") only
    when at least two other phrase words match exactly, in order and with nothing in between, so one
    shared word never carries a phrase ("small share of webhook" is not "shared webhook SLO");
  * negations ("not", "no", "nobody", "wasn't"...) must match exactly unless Whisper itself was unsure
    of the word it wrote (probability < NEGATION_DOUBT) and it sounds like the negation. This is our
    choice for "not my team" vs "now my team": a confident "now" is taken at its word, a doubtful one
    is given the benefit of the sound.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from functools import lru_cache
from typing import Sequence

from .phonetic import edit_similarity, sound_key, stem, token_similarity
from ..text import Token, normalize_text

THRESHOLD = 0.75
VERB_MIN = 0.88
SOLE_CONTENT_MIN = 0.8  # a phrase with one content word needs it spelled alike ("no tickets", "Webbook")
WEAK_SUB = 0.8  # below this a substitution is a guess that needs support from the rest of the phrase
MIN_SIM = 0.4  # below this a token counts as absent
MAX_GAP = 4
GAP_COST = 0.03
ORDER_COST = 0.06
NEGATION_DOUBT = 0.5
SPELLED_SIM = 0.85  # an acronym heard as its letter names ("as low" for "SLO")

FUNCTION_WORDS = frozenset(
    "a an the to of in on at for with and or my our their his her its it is was be been had has have do "
    "did from by as that this".split()
)
PRONOUNS = frozenset("i me my mine we us our ours they them their he him his she her".split())
INDEFINITE = frozenset("someone somebody everyone everybody anyone anybody".split())  # "someone to shadow" is not "meant to shadow"
NEGATIONS = frozenset(
    "no not never nobody none nothing neither nor without wasnt isnt arent werent dont doesnt didnt "
    "hadnt hasnt havent couldnt wouldnt shouldnt cant wont hardly scarcely".split()
)
UNITS = frozenset({"percent", "dollars"})  # often dropped or misheard next to the number, which must match
SUBJECTS = frozenset("we they he she you team teammate teammates colleague colleagues someone everyone it".split())
VERB_SKIPPABLE = frozenset("also then just personally quickly immediately had have first finally myself".split())


@dataclass(frozen=True)
class PhraseHit:
    phrase: str  # exactly as written in the question file
    start_s: float
    end_s: float
    words: tuple[str, ...]  # the spoken tokens matched, in transcript order
    score: float
    first_token: int
    last_token: int


@dataclass(frozen=True)
class Handoff:
    """A first-person phrase said with someone else as the subject ("we pulled")."""

    phrase: str
    said: str
    start_s: float
    end_s: float


@lru_cache(maxsize=4096)
def phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(normalize_text(phrase))


_LETTER_NAMES = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    "ay bee see dee ee ef jee aitch eye jay kay el em en oh pee cue ar es tee you vee doubleyou ex why zee").split()))


@lru_cache(maxsize=1024)
def acronyms(phrase: str) -> frozenset[str]:
    """Tokens written in capitals ("SLO"), which a speaker may spell out letter by letter."""
    return frozenset(w.lower() for w in re.findall(r"\b[A-Z]{2,5}s?\b", phrase))


def _spelled_key(text: str) -> str:
    return sound_key(text).lstrip("aeiouy") or sound_key(text)


@lru_cache(maxsize=4096)
def _acronym_key(acronym: str) -> str:
    return _spelled_key("".join(_LETTER_NAMES.get(c, c) for c in acronym))


def _spelled_extent(acronym: str, tokens: Sequence[Token], j: int, hi: int) -> int:
    """How many tokens from j spell the acronym out ("as low" for SLO); 0 if they do not."""
    for length in (1, 2, 3):
        if j + length > hi or tokens[j + length - 1].sentence != tokens[j].sentence:
            break
        joined = "".join(t.norm for t in tokens[j : j + length])
        if joined.isalpha() and _spelled_key(joined) == _acronym_key(acronym):
            return length
    return 0


def _weight(tok: str) -> float:
    return 0.5 if tok in FUNCTION_WORDS or tok in PRONOUNS or tok in UNITS else 1.0


@lru_cache(maxsize=16384)
def _critical(tok: str) -> bool:
    return tok in PRONOUNS or tok in NEGATIONS or tok in INDEFINITE or tok[:1].isdigit()


def match_similarity(p: str, t: Token) -> float:
    return _similarity(p, t.norm, t.probability < NEGATION_DOUBT)


@lru_cache(maxsize=65536)  # called ~70,000 times per scored answer, on a few thousand distinct pairs
def _similarity(p: str, said: str, doubtful: bool) -> float:
    if _critical(p):
        if p == said:
            return 1.0
        if p in NEGATIONS and doubtful and token_similarity(p, said) >= 0.6:
            return 0.8
        return 0.0
    if said in PRONOUNS or said in NEGATIONS:
        return 0.0  # a pronoun or negation never stands in for a content word
    if p in FUNCTION_WORDS or said in FUNCTION_WORDS:
        return 1.0 if p == said else 0.0  # short words sound alike; only the same word counts
    return token_similarity(p, said)


@lru_cache(maxsize=65536)
def _may_start(ptoks: tuple[str, ...], said: str, doubtful: bool) -> bool:
    """A hit may start at this word: it is like one of the phrase's words."""
    return any(_similarity(p, said, doubtful) >= MIN_SIM for p in ptoks)


def _is_ownership(ptoks: Sequence[str]) -> bool:
    return len(ptoks) >= 2 and ptoks[0] == "i" and ptoks[1] not in FUNCTION_WORDS


def _assign(ptoks: Sequence[str], tokens: Sequence[Token], lo: int, hi: int,
            spelled: frozenset[str] = frozenset()) -> list[tuple[int, float, int]]:
    """Pair each phrase token with the best unused transcript token in [lo, hi): (position, similarity,
    tokens covered), or (-1, 0, 0) if none."""
    cands = []
    for k, p in enumerate(ptoks):
        for j in range(lo, hi):
            s = match_similarity(p, tokens[j])
            extent = 1
            if s < 0.9 and j + 1 < hi and tokens[j + 1].sentence == tokens[j].sentence and not _critical(p) and p not in FUNCTION_WORDS:
                joined = token_similarity(p, tokens[j].norm + tokens[j + 1].norm)  # "web hook" for "webhook"
                if joined >= 0.9 and joined > s:
                    s, extent = joined, 2
            if s < SPELLED_SIM and p in spelled:
                extent = _spelled_extent(p, tokens, j, hi)
                s = SPELLED_SIM if extent else s
                extent = extent or 1
            if s >= MIN_SIM:
                cands.append((s * _weight(p), -abs((j - lo) - k), k, j, s, extent))
    cands.sort(reverse=True)
    out: list[tuple[int, float, int]] = [(-1, 0.0, 0)] * len(ptoks)
    used: set[int] = set()
    for _, _, k, j, s, extent in cands:
        cover = set(range(j, j + extent))
        if out[k][0] == -1 and not cover & used:
            out[k] = (j, s, extent)
            used |= cover
    return out


def _score(ptoks: Sequence[str], pairs: list[tuple[int, float, int]], tokens: Sequence[Token]) -> float | None:
    total_w = sum(_weight(p) for p in ptoks)
    got = 0.0
    exact = 0
    weak = 0
    for p, (j, s, _) in zip(ptoks, pairs):
        if j == -1:
            if (p not in FUNCTION_WORDS and p not in UNITS) or _critical(p):
                return None  # a content word, pronoun, number or negation is missing
            continue
        got += _weight(p) * s
        exact += s >= 0.95
        weak += s < WEAK_SUB
    positions = [j for j, _, _ in pairs if j != -1]
    covered = {j + e for j, _, n in pairs if j != -1 for e in range(n)}
    span = max(covered) - min(covered) + 1
    gaps = span - len(covered)
    ordered = positions == sorted(positions)
    if weak and (exact < 2 + (weak - 1) or gaps or not ordered):
        return None  # a guessed word needs its exact neighbours around it, in order
    content = [(p, j) for p, (j, _, _) in zip(ptoks, pairs) if p not in FUNCTION_WORDS and p not in UNITS and not _critical(p)]
    if len(ptoks) > 1 and len(content) == 1 and not _is_ownership(ptoks):
        p, j = content[0]
        if edit_similarity(p, tokens[j].norm) < SOLE_CONTENT_MIN and stem(p) != stem(tokens[j].norm):
            return None  # "on time" is not "on her demo": a short phrase's one content word is spelled, not only sounded
    score = got / total_w - GAP_COST * gaps - (0 if ordered else ORDER_COST)
    if _is_ownership(ptoks):
        ji, _, _ = pairs[0]
        jv, sv, _ = pairs[1]
        if jv == -1 or sv < VERB_MIN or ji == -1 or ji > jv:
            return None
        between = tokens[ji + 1 : jv]
        if len(between) > 2 or any(t.norm not in VERB_SKIPPABLE for t in between):
            return None
    return score


def find_phrase(phrase: str, tokens: Sequence[Token], lo: int = 0, hi: int | None = None,
                threshold: float | None = None) -> PhraseHit | None:
    """Best hit of `phrase` in tokens[lo:hi], or None."""
    hits = find_all(phrase, tokens, lo, hi, threshold)
    return max(hits, key=lambda h: h.score) if hits else None


def find_all(phrase: str, tokens: Sequence[Token], lo: int = 0, hi: int | None = None,
             threshold: float | None = None) -> list[PhraseHit]:
    """Every non-overlapping hit of `phrase` in tokens[lo:hi], in time order."""
    ptoks = phrase_tokens(phrase)
    hi = len(tokens) if hi is None else hi
    threshold = THRESHOLD if threshold is None else threshold
    if not ptoks or lo >= hi:
        return []
    width = len(ptoks) + min(MAX_GAP, len(ptoks) + 1)
    found: list[PhraseHit] = []
    for start in range(lo, hi):
        if not _may_start(ptoks, tokens[start].norm, tokens[start].probability < NEGATION_DOUBT):
            continue
        end = min(hi, start + width)
        pairs = _assign(ptoks, tokens, start, min(hi, end + 2), acronyms(phrase)) if acronyms(phrase) else _assign(ptoks, tokens, start, end)
        score = _score(ptoks, pairs, tokens)
        if score is None or score < threshold:
            continue
        positions = sorted(j + e for j, _, n in pairs if j != -1 for e in range(n))
        found.append(PhraseHit(phrase, tokens[positions[0]].start_s, tokens[positions[-1]].end_s,
                               tuple(tokens[j].norm for j in positions), round(score, 3), positions[0], positions[-1]))
    # keep the best of overlapping candidates
    found.sort(key=lambda h: -h.score)
    kept: list[PhraseHit] = []
    for h in found:
        if all(h.last_token < k.first_token or h.first_token > k.last_token for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.first_token)


def find_handoffs(phrase: str, tokens: Sequence[Token], lo: int = 0, hi: int | None = None) -> list[Handoff]:
    """Where an "I <verb>" phrase was said with another subject ("we pulled", "my teammate reproduced")."""
    ptoks = phrase_tokens(phrase)
    if not _is_ownership(ptoks):
        return []
    hi = len(tokens) if hi is None else hi
    verb = ptoks[1]
    out: list[Handoff] = []
    for j in range(lo, hi):
        if match_similarity(verb, tokens[j]) < VERB_MIN:
            continue
        k = j - 1
        while k >= lo and j - k <= 3 and tokens[k].norm in VERB_SKIPPABLE:
            k -= 1
        if k < lo or tokens[k].norm not in SUBJECTS or tokens[k].sentence != tokens[j].sentence:
            continue
        first = k - 1 if k - 1 >= lo and tokens[k - 1].norm in ("my", "our", "the", "their") else k
        said = " ".join(t.norm for t in tokens[first : j + 1])
        out.append(Handoff(phrase, said, tokens[first].start_s, tokens[j].end_s))
    return out
