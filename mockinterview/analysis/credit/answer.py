"""Which strong phrases a section earned, how (`exact`, `fuzzy`, `meaning`), and which signals it shows.

Literal credits (matcher.py) come first; a phrase not found literally may be credited by meaning
(meaning.py) within its own section. For a candidate's own story told to a built-in question
(`own_story`), the model answer's story-specific phrases (and those carrying its figures) are shown as
the model answer's wording, not as misses, and the section is judged on its transferable signals.
"""

from __future__ import annotations

import re
from itertools import groupby
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ...bank.model import SIGNALS, STORY_SPECIFIC, Question, Section, WeakAnswer
from .embeddings import DEFAULT_MODEL
from .lesson import lesson_sentence, plainly_own
from .matcher import FUNCTION_WORDS, NEGATIONS, PRONOUNS, PhraseHit, find_handoffs, find_phrase, phrase_tokens
from .claims import TIME_PREPOSITIONS, word_before
from .meaning import NEIGHBOUR_THRESHOLD, Wanted, candidates, example_clause, find_by_meaning, warm
from .quantities import phrase_values
from .reading import reframed
from ..report_data import Hit, SignalFinding, TimedPhrase
from ..sections import Span
from ..text import GluedWord, Token

if TYPE_CHECKING:  # the section classifier imports the embedder from this package
    from ..section_model import SentenceReader

CHANGE_WORDS = frozenset("from to dropped fell cut rose grew increased reduced down up by halved doubled".split())
VALUE_WORDS = frozenset(
    "dollars revenue customers customer users merchants cost costs saved saving savings hours minutes days "
    "weeks sales orders money churn retention conversion complaints".split())
LESSON_WORDS = ("learned", "lesson", "next time", "root cause", "takeaway", "taught me", "realised", "realized")
MIN_OWN_ACTIONS = 2  # "I <verb>" clauses that show first-person action in an own story
# In an own story a signal may be shown in any words ("I came across it", "what I took from it"): it is
# judged like a strong phrase, by the same judge and rules, against what any story that shows it asserts.
SIGNAL_CLAIMS = {
    "initiative": ("I noticed", "I noticed the problem myself and decided to act on it without being asked."),
    "lesson": ("I learned", "I learned something from it that I now do differently."),
}


@dataclass(frozen=True)
class SectionCredit:
    hits: tuple[Hit, ...]
    handoffs: tuple[TimedPhrase, ...]
    model_phrases: tuple[str, ...]  # own story: the model answer's wording, not judged
    signals: tuple[SignalFinding, ...]


def is_model_only(phrase: str, signal: str) -> bool:
    """In an own story, a phrase that belongs to the model story: its details or its figures."""
    return signal == STORY_SPECIFIC or any(ch.isdigit() for ch in phrase)


def credit_answer(question: Question, spans: Sequence[Span], tokens: Sequence[Token], glued: Sequence[GluedWord],
                  section_of: Sequence[str], *, meaning: bool = True, own_story: bool = False,
                  model: str = DEFAULT_MODEL, red_ranges: Sequence[tuple[int, int]] = (),
                  reader: SentenceReader | None = None) -> list[SectionCredit]:
    """Every section's credits. Literal credits are found first in the whole answer, so words that
    earned one (or said a red flag) never earn a second phrase by meaning. `reader` (the sentence
    classifier) finds an own story's lesson said in any words."""
    literal: list[tuple[Section, Span, list[Hit], list[str]]] = []
    taken = list(red_ranges)
    for span, sec in zip(spans, question.sections):
        model_phrases = tuple(p for p in sec.strong_phrases if own_story and is_model_only(p, sec.signal_of(p)))
        hits: list[Hit] = []
        pending: list[str] = []
        for phrase in (p for p in sec.strong_phrases if p not in model_phrases):
            own = find_phrase(phrase, tokens, span.first, span.last + 1) if span.first != -1 else None
            found: PhraseHit | None = own or find_phrase(phrase, tokens)
            if found is not None and (contradicted(phrase, found, tokens, _example(question, sec))
                                      or reframed(phrase, example_clause(phrase, _example(question, sec)),
                                                  *sentence_around(tokens, glued, found.first_token, found.last_token),
                                                  reflective=sec.name == "reflection", claim_sentence=sec.claim_of(phrase))):
                found = None
            if found is None:
                pending.append(phrase)
                continue
            hits.append(_literal_hit(phrase, found, sec.signal_of(phrase), section_of[found.first_token], own is None, glued, tokens))
            # a figure, or a lesson's opener ("I learned"), uses up only its own words: the rest of the
            # clause may still earn another phrase (the lesson it opens: "I learned to ask why each step exists")
            ptoks = phrase_tokens(phrase)
            opener = sec.signal_of(phrase) == "lesson" and len(ptoks) == 2 and ptoks[0] == "i"
            taken.append((found.first_token, found.last_token, bool(phrase_values(ptoks)) or opener))
        literal.append((sec, span, hits, pending))
    contrasts = tuple(question.weak_answer.red_flags) if question.weak_answer else ()
    if meaning and any(pending for *_, pending in literal):
        warm([t for sec, _, _, pending in literal for p in pending for t in _wanted(p, sec, question).texts]
             + list(contrasts) + [c.claim for _, span, _, pending in literal if pending and span.first != -1
                                  for c in candidates(tokens, glued, span.first, span.last + 1)], model)
    if meaning:
        # own section first; then, for what is still missing, the neighbouring sections with a higher bar
        # (a sentence the segmenter put in the next section still counts, flagged as said elsewhere)
        for neighbours in (False, True):
            for index, (sec, span, hits, pending) in enumerate(literal):
                lo, hi = _neighbourhood(spans, index) if neighbours else (span.first, span.last + 1)
                if not pending or lo >= hi or (neighbours and (lo, hi) == (span.first, span.last + 1)):
                    continue
                wanted = [_wanted(p, sec, question) for p in pending]
                threshold = NEIGHBOUR_THRESHOLD if neighbours else None
                for m in find_by_meaning(wanted, tokens, glued, lo, hi, model=model, threshold=threshold, taken=taken,
                                         contrasts=contrasts, reflective=sec.name == "reflection").values():
                    where = section_of[m.first]
                    words = tuple(t.norm for t in tokens[m.first : m.last + 1])
                    hits.append(Hit(m.phrase, words, round(tokens[m.first].start_s, 2), round(tokens[m.last].end_s, 2),
                                    m.similarity, where, where != sec.name, method="meaning", said=m.said,
                                    signal=sec.signal_of(m.phrase)))
                    pending.remove(m.phrase)
                    taken.append((m.first, m.last))
    shown = [_signals_by_meaning(sec, span, tokens, glued, hits, taken, model, reader) if own_story and meaning else {}
             for sec, span, hits, _ in literal]
    return [_finish(sec, span, tokens, hits, own_story, by_meaning)
            for (sec, span, hits, _), by_meaning in zip(literal, shown)]


def _signals_by_meaning(sec: Section, span: Span, tokens: Sequence[Token], glued: Sequence[GluedWord],
                        hits: Sequence[Hit], taken: Sequence[tuple[int, ...]], model: str,
                        reader: SentenceReader | None) -> dict[str, str]:
    """Own story: the SIGNAL_CLAIMS signals of this section that no credited phrase shows, found said in
    other words by the claim judge, or (a lesson) a sentence the classifier reads as one (signal -> evidence)."""
    wanted = [Wanted(phrase, signal, claim, claim) for signal, (phrase, claim) in SIGNAL_CLAIMS.items()
              if span.first != -1 and signal in sec.signals and not any(h.signal == signal for h in hits)]
    if not wanted:
        return {}
    found = find_by_meaning(wanted, tokens, glued, span.first, span.last + 1, model=model, taken=taken,
                            reflective=sec.name == "reflection")
    out = {w.signal: f"meaning: {found[w.phrase].said}" for w in wanted if w.phrase in found}
    if reader is not None and any(w.signal == "lesson" for w in wanted) and "lesson" not in out:
        said = lesson_sentence(finished_sentences(tokens, glued, span.first, span.last + 1), reader)
        if said:
            out["lesson"] = f"reading: {said}"
    return out


def _wanted(phrase: str, sec: Section, question: Question) -> Wanted:
    return Wanted(phrase, sec.signal_of(phrase), example_clause(phrase, _example(question, sec)), sec.claim_of(phrase))


def texts_to_compare(question: Question, tokens: Sequence[Token], glued: Sequence[GluedWord],
                     upto: int | None = None) -> list[str]:
    """What crediting this question may embed: each strong phrase and its model-answer clause, the weak
    answer's red flags, the own-story signals' claims, and the candidate clauses of tokens[:upto] (all of them by default). Embedded
    ahead (while the answer is spoken), they make the report after the end a lookup."""
    texts = [t for sec in question.sections for p in sec.strong_phrases
             for t in _wanted(p, sec, question).texts]
    texts += list(question.weak_answer.red_flags) if question.weak_answer else []
    texts += [t for phrase, claim in SIGNAL_CLAIMS.values() for t in (phrase, claim)]  # an own story's signals
    upto = len(tokens) if upto is None else upto
    return texts + [c.claim for c in candidates(tokens, glued, 0, upto)]


def sentence_around(tokens: Sequence[Token], glued: Sequence[GluedWord], first: int, last: int) -> tuple[str, int, int]:
    """The sentence holding tokens[first..last], as said, and the characters of those tokens in it."""
    a, b = first, last
    while a > 0 and tokens[a - 1].sentence == tokens[first].sentence:
        a -= 1
    while b + 1 < len(tokens) and tokens[b + 1].sentence == tokens[first].sentence:
        b += 1
    before = " ".join(g.text for g in glued[tokens[a].first_word : tokens[first].first_word])
    said = " ".join(g.text for g in glued[tokens[first].first_word : tokens[last].word + 1])
    start = len(before) + (1 if before else 0)
    return " ".join(g.text for g in glued[tokens[a].first_word : tokens[b].word + 1]), start, start + len(said)


def finished_sentences(tokens: Sequence[Token], glued: Sequence[GluedWord], lo: int, hi: int) -> list[str]:
    """The sentences of tokens[lo:hi] as said (the text sentence_around gives), for the parser ahead."""
    out = []
    i = lo
    while i < hi:
        j = i
        while j + 1 < hi and tokens[j + 1].sentence == tokens[i].sentence:
            j += 1
        out.append(sentence_around(tokens, glued, i, j)[0])
        i = j + 1
    return out


def contradicted(phrase: str, found: PhraseHit, tokens: Sequence[Token], example: str) -> bool:
    """The words of a phrase said in a frame that undoes them: another time ("the week after Black
    Friday" is not "on Black Friday", "two weeks after the promised date") or a negation ("with no
    control group" is not "a control group"), unless the model answer frames the phrase that way too
    ("without a shared webhook SLO")."""
    ptoks = phrase_tokens(phrase)
    before = _word_before(tokens, found.first_token)
    if ptoks[0] in TIME_PREPOSITIONS and found.words[0] != ptoks[0] and before in TIME_PREPOSITIONS:
        return True
    if before in NEGATIONS and not any(p in NEGATIONS for p in ptoks):
        ex = phrase_tokens(example_clause(phrase, example))
        at = next((i for i in range(len(ex)) if ex[i] == found.words[0]), None)
        return at is None or word_before(ex, at) not in NEGATIONS
    return False


def _word_before(tokens: Sequence[Token], index: int) -> str:
    """The word before tokens[index] within its sentence, articles skipped."""
    first = index
    while first > 0 and tokens[first - 1].sentence == tokens[index].sentence:
        first -= 1
    return word_before([t.norm for t in tokens[first : index + 1]], index - first)


def _example(question: Question, sec: Section) -> str:
    """The model answer's words for a section; a Reflection without its own example uses the levels'."""
    if sec.strong_example or sec.name != "reflection":
        return sec.strong_example
    return " ".join(question.reflections.get(level, "") for level in ("senior", "sde2", "sde1"))


def _neighbourhood(spans: Sequence[Span], index: int) -> tuple[int, int]:
    """Token range from the nearest present section before this one to the nearest present one after."""
    before = [s for s in spans[:index] if s.first != -1]
    after = [s for s in spans[index + 1 :] if s.first != -1]
    own = spans[index]
    lo = before[-1].first if before else (own.first if own.first != -1 else (after[0].first if after else 0))
    hi = (after[0].last if after else (own.last if own.first != -1 else (before[-1].last if before else -1))) + 1
    return lo, hi


def credit_section(sec: Section, span: Span, tokens: Sequence[Token], glued: Sequence[GluedWord],
                   section_of: Sequence[str], *, meaning: bool = True, own_story: bool = False,
                   model: str = DEFAULT_MODEL, weak_answer: WeakAnswer | None = None,
                   reader: SentenceReader | None = None) -> SectionCredit:
    """One section alone (the meaning bench, the drill): as credit_answer for a one-section question, with
    the question's weak answer if given (its red flags are what an action must be closer to than to them)."""
    alone = Question(id="section", principles=(), question="", scenario_overview="", scenario_summary="", sections=(sec,),
                     weak_answer=weak_answer)
    return credit_answer(alone, [span], tokens, glued, section_of, meaning=meaning, own_story=own_story, model=model,
                         reader=reader)[0]


def _finish(sec: Section, span: Span, tokens: Sequence[Token], hits: list[Hit], own_story: bool,
            by_meaning: dict[str, str]) -> SectionCredit:
    model_phrases = tuple(p for p in sec.strong_phrases if own_story and is_model_only(p, sec.signal_of(p)))
    hit_names = {h.phrase for h in hits}
    lo, hi = (span.first, span.last + 1) if span.first != -1 else (0, len(tokens))
    handoffs = [TimedPhrase(h.phrase, h.said, round(h.start_s, 2), round(h.end_s, 2))
                for phrase in sec.strong_phrases if phrase not in hit_names and phrase not in model_phrases
                for h in find_handoffs(phrase, tokens, lo, hi)[:1]]
    order = {p: i for i, p in enumerate(sec.strong_phrases)}
    hits.sort(key=lambda h: order[h.phrase])
    return SectionCredit(tuple(hits), tuple(handoffs), model_phrases, _signals(sec, span, tokens, hits, own_story, by_meaning))


def _literal_hit(phrase: str, found: PhraseHit, signal: str, where: str, misplaced: bool,
                 glued: Sequence[GluedWord], tokens: Sequence[Token]) -> Hit:
    method = "exact" if found.words == phrase_tokens(phrase) else "fuzzy"
    said = " ".join(g.text for g in glued[tokens[found.first_token].first_word : tokens[found.last_token].word + 1])
    return Hit(phrase, found.words, round(found.start_s, 2), round(found.end_s, 2), found.score, where, misplaced,
               method=method, said=said, signal=signal)


def _signals(sec: Section, span: Span, tokens: Sequence[Token], hits: Sequence[Hit], own_story: bool,
             by_meaning: dict[str, str]) -> tuple[SignalFinding, ...]:
    """Each transferable signal the section's phrases stand for: met by a credited phrase, or (own story)
    by what any story would show: initiative or a lesson in any words (`by_meaning`), a figure with a
    change, a business unit, "I <verb>" clauses, a lesson's cue word."""
    said = [t.norm for t in tokens[span.first : span.last + 1]] if span.first != -1 else []
    sentences = [[t.norm for t in group] for _, group in groupby(tokens[span.first : span.last + 1], lambda t: t.sentence)] \
        if span.first != -1 else []
    out = []
    for signal in SIGNALS:
        phrases = [p for p in sec.strong_phrases if sec.signal_of(p) == signal]
        if signal == STORY_SPECIFIC or not phrases:
            continue
        by = [h for h in hits if h.signal == signal]
        if by:
            out.append(SignalFinding(signal, True, f"{by[0].method}: {by[0].said or ' '.join(by[0].words)}"))
            continue
        evidence = (by_meaning.get(signal) or _detect(signal, said, sentences)) if own_story else ""
        out.append(SignalFinding(signal, bool(evidence), evidence))
    return tuple(out)


def _detect(signal: str, said: Sequence[str], sentences: Sequence[Sequence[str]]) -> str:
    numbers = [w for w in said if w[:1].isdigit()]
    if signal == "metric" and numbers and CHANGE_WORDS & set(said):
        return "figure: " + ", ".join(numbers[:3])
    if signal == "business-value" and VALUE_WORDS & set(said):
        return "value: " + ", ".join(sorted(VALUE_WORDS & set(said))[:3])
    if signal == "ownership-action":
        actions = [said[i + 1] for i in range(len(said) - 1)
                   if said[i] == "i" and said[i + 1] not in FUNCTION_WORDS and said[i + 1] not in PRONOUNS]
        if len(set(actions)) >= MIN_OWN_ACTIONS:
            return "I " + ", I ".join(dict.fromkeys(actions[:4]))
    if signal == "lesson":
        for sentence in sentences:  # a cue word said in a hedge ("maybe there's a lesson in there") is none
            text = " ".join(sentence)
            cue = next((c for c in LESSON_WORDS if re.search(rf"\b{c}\b", text)), None)
            if cue and plainly_own(sentence):
                return f'"{cue}"'
    return ""
