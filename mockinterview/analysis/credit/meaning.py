"""Credit a strong phrase when its meaning is said in other words ("nobody requested that I look into
it" for "nobody had asked"), with the rules that keep the literal matcher honest.

How (all general rules; the thresholds are set on tests/data/meaning/dev.json and trap_answers.json,
the later rules on the second set, review.json and review_traps.json):
- Candidates are the clauses of the section: each sentence cut at commas and at "and", "but", "so",
  "yet", "because", "which"; each clause is a candidate, with its time, and so is each pair of
  neighbouring clauses and each whole sentence of up to MAX_JOINED words. A clause that names nobody
  is judged with the subject the parse says it shares ("added a canary stage" after "I automated the
  steps" is "I added a canary stage"; reading.implied_subject).
- A phrase is represented by itself, by the clause of the model answer (`strong_example`) that holds
  it ("I traced" -> "I traced the root cause to a race condition in the Platform team's retry logic")
  and by its claim sentence from the question file ("no alerts" -> "Nothing alerted anyone to the
  webhook failures."). Its similarity to a candidate is the mean of the cosines (sentence embeddings,
  `embeddings.py`; `_similarity`).
- A credit needs similarity >= THRESHOLD (plus UNGATED_EXTRA for a phrase that no rule below can
  check: not "I ...", no negation, no figure, such as "the alert data alone"), and it must pass every
  rule of claims.py (who did it, figures by value, negation, opposites, hedges, plans, hand-offs,
  assignment).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .embeddings import DEFAULT_MODEL, load_embedder
from .claims import NEGATION_CUES, gated, negated, passes_rules
from .matcher import phrase_tokens
from .quantities import phrase_values
from .reading import reframed
from .subject import implied_subject
from ..text import GluedWord, Token

THRESHOLD = 0.30
NEIGHBOUR_THRESHOLD = 0.40  # a phrase said in the section next to its own (the segmenter may misplace a sentence)
CONTENT_MIN = 0.23  # a negation-only phrase, negations taken out: traps 0.18, true paraphrases 0.29 and up
UNGATED_EXTRA = 0.20  # a phrase no rule can check ("the alert data alone") needs this much more similarity
TAKEN_SHARE = 0.4  # "I refused to ship a release that crashed for 3% of users" holds a literal "3% of users"
TIGHT_SLACK = 0.05  # a clause this close to its joined candidate's similarity is credited in its place
MIN_WORDS = 3  # "it back", "who automated": fragments, not claims
MAX_JOINED = 20  # tokens: a clause pair or a sentence longer than this is not a candidate of its own
LEADING_JOINER = re.compile(r"^(and|but|or|so|then)\b,?\s*", re.IGNORECASE)  # "I" + "and posted it": "I posted it"
CLAUSE_BREAKS = frozenset("and but so yet because which while although though then".split())


@dataclass(frozen=True)
class Candidate:
    first: int  # token index range, inclusive
    last: int
    text: str  # as spoken (glued words)
    sentence_text: str
    start_char: int  # where `text` starts in `sentence_text` (a clause said twice is read where it was said)
    subject: str = ""  # who does it when the clause names nobody ("I" for "added a canary stage" after "I automated ...")
    one_clause: bool = True  # False for a pair of clauses or a sentence of several

    @property
    def claim(self) -> str:
        """The clause as a claim of its own, its unsaid subject restored: what is judged."""
        return f"{self.subject} {LEADING_JOINER.sub('', self.text)}" if self.subject else self.text


@dataclass(frozen=True)
class Wanted:
    """A strong phrase to look for, with what represents its meaning."""
    phrase: str
    signal: str
    example: str  # the model answer's clause that holds it (example_clause): the rules read it
    claim: str = ""  # what it asserts, from the question file ("" in files without claims)

    @property
    def texts(self) -> tuple[str, ...]:
        """What the candidate is compared with: the phrase, its model clause, and its claim."""
        return (self.phrase, self.example, self.claim or self.example)


@dataclass(frozen=True)
class MeaningHit:
    phrase: str
    first: int
    last: int
    said: str
    similarity: float


def candidates(tokens: Sequence[Token], glued: Sequence[GluedWord], lo: int, hi: int) -> list[Candidate]:
    """Clauses, neighbouring clause pairs and whole sentences of tokens[lo:hi]."""
    out: list[Candidate] = []
    i = lo
    while i < hi:
        j = i
        while j + 1 < hi and tokens[j + 1].sentence == tokens[i].sentence:
            j += 1
        clauses: list[tuple[int, int]] = []
        start = i
        for k in range(i + 1, j + 1):
            if tokens[k].comma_before or tokens[k - 1].comma_after or tokens[k].norm in CLAUSE_BREAKS:
                if k > start:
                    clauses.append((start, k - 1))
                start = k + 1 if tokens[k].norm in CLAUSE_BREAKS else k
        if start <= j:
            clauses.append((start, j))
        spans = set(clauses) | {(a[0], b[1]) for a, b in zip(clauses, clauses[1:])} | {(i, j)}
        spans = {(a, b) for a, b in spans if (a, b) in clauses or b - a < MAX_JOINED}  # long joins cost, rarely win
        sentence_text = _said(tokens, glued, i, j)
        whole = i <= 0 or tokens[i - 1].sentence != tokens[i].sentence  # not cut by a section boundary
        for a, b in sorted(spans):
            before = " ".join(g.text for g in glued[tokens[i].first_word : tokens[a].first_word])
            at = len(before) + bool(before)
            # a clause of its own may leave its subject unsaid; a pair of clauses is read as said
            one_clause = (a, b) in clauses
            subject = implied_subject(sentence_text, at, whole) if one_clause or (a, b) == (i, j) else ""
            if b - a + 1 + bool(subject) >= MIN_WORDS:  # a word or two is a fragment, not a claim; "[I] added tests" is one
                out.append(Candidate(a, b, _said(tokens, glued, a, b), sentence_text, at, subject, one_clause))
        i = j + 1
    return out


def _said(tokens: Sequence[Token], glued: Sequence[GluedWord], a: int, b: int) -> str:
    return " ".join(g.text for g in glued[tokens[a].first_word : tokens[b].word + 1])


def example_clause(phrase: str, example: str) -> str:
    """The clause of the model answer that holds the phrase (by its first content word), else the phrase."""
    words = [w for w in phrase_tokens(phrase) if w not in ("i", "my", "the", "a", "to")]
    for sentence in re.split(r"(?<=[.!?])\s+", example):
        for clause in re.split(r",|;| - | and (?=I )| but ", sentence):
            norm = " ".join(phrase_tokens(clause))
            if words and all(re.search(rf"\b{re.escape(w[:5])}", norm) for w in words):
                return clause.strip()
    return phrase


def _norms(tokens: Sequence[Token], a: int, b: int) -> list[str]:
    return [t.norm for t in tokens[a : b + 1]]


def _claim_norms(tokens: Sequence[Token], cand: Candidate) -> list[str]:
    return list(phrase_tokens(cand.subject)) + _norms(tokens, cand.first, cand.last)


def _taken(cand: Candidate, taken: Sequence[tuple[int, ...]]) -> bool:
    """The candidate's words already earned a credit (or said a red flag): two or more of them, or over
    half; words that earned a figure phrase (`(first, last, True)`) count only from TAKEN_SHARE of the
    candidate, so "I refused to ship a release that crashed for 3% of users" may still earn "I was not
    willing" beside "3% of our users"."""
    n = cand.last - cand.first + 1
    strict: set[int] = set()
    every: set[int] = set()
    for a, b, *figure in taken:
        words = set(range(max(a, cand.first), min(b, cand.last) + 1))
        every |= words
        if not (figure and figure[0]):
            strict |= words
    return len(strict) >= 2 or 2 * len(strict) > n or len(every) >= TAKEN_SHARE * n


_VECTORS: dict[tuple[str, str], np.ndarray] = {}
_VECTORS_MAX = 20_000  # about 30 MB of float32 rows: many answers' clauses
_VECTORS_LOCK = threading.Lock()  # the clause warmer (interview/warmer.py) fills the cache from its thread


def _encode_cached(model: str, texts: Sequence[str]) -> np.ndarray:
    """Candidate vectors, each clause embedded once per process (a section and its neighbours share them)."""
    with _VECTORS_LOCK:
        missing = list(dict.fromkeys(t for t in texts if (model, t) not in _VECTORS))
        if missing:
            if len(_VECTORS) + len(missing) > _VECTORS_MAX:
                _VECTORS.clear()
            for text, row in zip(missing, load_embedder(model).encode(missing)):
                _VECTORS[(model, text)] = row
        return np.array([_VECTORS[(model, t)] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def is_embedded(text: str, model: str = DEFAULT_MODEL) -> bool:
    """This text's vector is cached (warmed ahead or used before)."""
    with _VECTORS_LOCK:
        return (model, text) in _VECTORS


def warm(texts: Sequence[str], model: str = DEFAULT_MODEL) -> None:
    """Embed what an answer will compare in one go (few, well-filled batches instead of many small ones)."""
    _encode_cached(model, list(texts))


WANTED_TEXTS = 3  # columns per phrase in the similarity matrix: phrase, model clause, claim


def _similarity(cols: np.ndarray, signal: str) -> np.ndarray:
    """A phrase's similarity to each candidate: the mean of the cosines to the phrase, its model clause and
    its claim. An action's or a business value's model clause already states the claim ("I wrote a
    runbook for each alert", "improving overall system reliability"), and a second statement of it adds
    mostly its nouns, which a different act on the same thing shares ("I sorted the alerts"): for those
    the claim is left out. Chosen on the credit corpus's dev split and the calibration sets
    (tests/data/meaning: dev, review, trap_answers, review_traps)."""
    if signal in ("ownership-action", "business-value"):
        return (cols[:, 0] + cols[:, 1]) / 2
    return cols.mean(axis=1)


def _denials(phrase: str, cands: Sequence[Candidate], denying: Sequence[bool], score: np.ndarray) -> dict[str, float]:
    """Per sentence, the best similarity to a claim without a negation among its negated clauses: a
    sentence whose closest words to the claim deny it earns the claim from none of its other words. Only
    a clause denies: "we had no tags, so I labelled every resource" holds a negation, but not of the act.
    The closest clause itself is left to the claim rules, which know when the model answer says a
    negation too ("lowering the risk without breaking the features")."""
    if negated(phrase_tokens(phrase)):
        return {}
    out: dict[str, float] = {}
    for c, cand in enumerate(cands):
        if denying[c]:
            out[cand.sentence_text] = max(out.get(cand.sentence_text, -1.0), float(score[c]))
    return out


def _claimed(phrase: str, cand: Candidate, tokens: Sequence[Token]) -> tuple[int, int, bool]:
    """The words a meaning credit uses up: a figure phrase only its figure's words ("3% of users" in "I
    refused to ship a release that crashed for 3% of users"), any other phrase the whole candidate, and so
    does a figure said as one's own act ("I found two problems": the finding is the clause's claim)."""
    ptoks = set(phrase_tokens(phrase))
    if not phrase_values(tuple(ptoks)) or phrase_tokens(phrase)[:1] == ("i",):
        return cand.first, cand.last, False
    mine = [j for j in range(cand.first, cand.last + 1) if tokens[j].norm in ptoks or tokens[j].norm[:1].isdigit()]
    return (min(mine), max(mine), True) if mine else (cand.first, cand.last, True)


def _tightest(pairs: list[tuple[float, int, int]], cands: Sequence[Candidate]) -> list[tuple[float, int, int]]:
    """Without a joined candidate when a clause inside it earns the same phrase almost as well, so the
    other clause stays free for another phrase ("the code was mine, so I refused to ship")."""
    def inside(a: Candidate, b: Candidate) -> bool:
        return b.first <= a.first and a.last <= b.last and (a.first, a.last) != (b.first, b.last)

    return [(s, k, c) for s, k, c in pairs
            if not any(k2 == k and s2 >= s - TIGHT_SLACK and inside(cands[c2], cands[c]) for s2, k2, c2 in pairs)]


def _content_agrees(phrase: str, said: str, model: str) -> bool:
    """A phrase whose only claim is a negation ("never went down", "nobody had asked") is earned by
    saying the same thing is absent, not by any negated sentence: with the negations taken out of both,
    what is left must still be alike ("went down" vs "take a snapshot" is not)."""
    ptoks = phrase_tokens(phrase)
    if not negated(ptoks) or ptoks[:1] == ("i",) or phrase_values(ptoks):
        return True
    a, b = _encode_cached(model, [_without_negations(phrase), _without_negations(said)])
    return float(a @ b) >= CONTENT_MIN


def _reframed(wanted: Wanted, cand: Candidate, reflective: bool) -> str:
    """The frame (hedge, plan, report, request, negation) that keeps the candidate from saying the claim."""
    return reframed(wanted.phrase, wanted.example, cand.sentence_text, cand.start_char, cand.start_char + len(cand.text),
                    reflective, polarity=False, claim_sentence=wanted.claim)


def _without_negations(text: str) -> str:
    words = re.findall(r"[\w'%$.,]+", text.lower())
    return " ".join(w for w in words if w.strip(".,") not in NEGATION_CUES and not w.endswith("n't"))


def find_by_meaning(wanted: Sequence[Wanted], tokens: Sequence[Token], glued: Sequence[GluedWord],
                    lo: int, hi: int, *, model: str = DEFAULT_MODEL, threshold: float | None = None,
                    taken: Sequence[tuple[int, ...]] = (), contrasts: Sequence[str] = (),
                    reflective: bool = False) -> dict[str, MeaningHit]:
    """Meaning credits for (phrase, signal, model-answer clause) in tokens[lo:hi], best first: each stretch
    of words earns one phrase at most, and none made of `taken` words (two or more, or over half, of
    its words already earned a literal credit or said a red flag). An action closer to a weak-answer phrase (`contrasts`, e.g.
    "sent them a Slack message") than to the strong action earns nothing ("I sent a message" is not
    "I submitted")."""
    threshold = THRESHOLD if threshold is None else threshold
    if not wanted or lo >= hi:
        return {}
    cands = [c for c in candidates(tokens, glued, lo, hi) if not _taken(c, taken)]
    if not cands:
        return {}
    texts = tuple(t for w in wanted for t in w.texts) + tuple(contrasts)
    pv = _encode_cached(model, texts)
    cv = _encode_cached(model, [c.claim for c in cands])
    sims = cv @ pv.T  # candidates x (phrase, clause, ..., contrasts)
    weak = sims[:, WANTED_TEXTS * len(wanted):].max(axis=1) if contrasts else np.full(len(cands), -1.0)
    pairs = []
    norms = [_claim_norms(tokens, c) for c in cands]
    denying = [c.one_clause and negated(n) for c, n in zip(cands, norms)]  # a negated clause of its own
    for k, w in enumerate(wanted):
        phrase, signal, example = w.phrase, w.signal, w.example
        score = _similarity(sims[:, WANTED_TEXTS * k : WANTED_TEXTS * (k + 1)], signal)
        denied = _denials(phrase, cands, denying, score)
        for c in np.flatnonzero(score >= threshold + (0.0 if gated(phrase) else UNGATED_EXTRA)):
            if score[c] < denied.get(cands[int(c)].sentence_text, -1.0):
                continue  # the sentence's closest words to the claim deny it ("I never called the vendor, I emailed them")
            if (signal != "ownership-action" or score[c] > weak[c]) and passes_rules(phrase, signal, norms[int(c)], cands[int(c)].sentence_text, example, w.claim) \
                    and _content_agrees(phrase, cands[int(c)].text, model) and not _reframed(w, cands[int(c)], reflective):
                pairs.append((float(score[c]), k, int(c)))
    pairs = _tightest(pairs, cands)
    out: dict[str, MeaningHit] = {}
    used: list[tuple[int, int, bool]] = []
    for score, k, c in sorted(pairs, reverse=True):
        phrase, cand = wanted[k].phrase, cands[c]
        if phrase in out or _taken(cand, used):
            continue
        out[phrase] = MeaningHit(phrase, cand.first, cand.last, cand.text, round(score, 3))
        used.append(_claimed(phrase, cand, tokens))
    return out
