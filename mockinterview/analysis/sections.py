"""Where each STAR section starts: from marks taken live, or by a monotonic alignment of the answer's
sentences to Situation -> Task -> Action -> Result -> Reflection (dynamic programming).

Each sentence is scored against each section by evidence only: what the sentence does as read by the
sentence classifier learned from data (`section_model.py`: context, scope, action, result, lesson), the
section's strong phrases, words its strong example shares with no other section, first-person past-tense
verbs and numbers. A weak prior on the position in the answer only breaks ties. A section no sentence gives
evidence for is missing, not invented. Without the classifier (literal-only scoring), general cue words
stand in for it ("I noticed", "not my team", "as a result", "I learned"...), and an opening that states no
other section in its strong phrases is taken as the Situation.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..bank.model import Question
from .credit.matcher import FUNCTION_WORDS, NEGATION_DOUBT, PRONOUNS, find_all
from .credit.phonetic import stem
from .section_model import SentenceReader
from .text import Token

# General cue words per section, as (token sequence, weight). Matched on stems.
CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "situation": (("i noticed", 1.5), ("noticed", 0.8), ("working as", 1.0), ("at my", 0.6), ("company", 0.6),
                  ("recurring", 0.6), ("was working", 1.0), ("last year", 0.8), ("ago", 0.5), ("previous", 0.5),
                  ("impacting", 0.5), ("problem", 0.3), ("existed", 0.5), ("background", 1.0), ("context", 1.0)),
    "task": (("not my", 1.5), ("wasnt my", 1.0), ("nobody", 1.2), ("no one", 1.2), ("asked", 0.8),
             ("ownership", 1.0), ("my job", 1.0), ("responsibility", 0.8), ("decided", 1.0), ("scope", 1.0),
             ("goal", 1.0), ("needed to", 0.8), ("had to", 0.6), ("my task", 1.5), ("assigned", 0.8),
             ("owned by", 1.2), ("another team", 1.2), ("other team", 1.0), ("belonged", 1.0), ("someone", 0.6),
             ("should", 0.4), ("responsible", 0.8), ("i had to", 1.0), ("my role", 1.0),
             # said in other words (credit by meaning): "nobody requested it", "I made the call"
             ("requested", 0.8), ("made the call", 1.0), ("step in", 0.8), ("outside my", 1.2), ("remit", 1.0)),
    "action": (("first", 0.5), ("then", 0.5), ("next", 0.4), ("after that", 0.5), ("i built", 1.0),
               ("i wrote", 1.0), ("i ran", 1.0), ("i set up", 1.0), ("fix", 0.5), ("pull request", 0.6)),
    "result": (("percent", 1.0), ("dollars", 1.0), ("dropped", 1.0), ("reduced", 0.8), ("increased", 0.8),
               ("saved", 1.0), ("recovered", 1.0), ("as a result", 1.5), ("result", 0.8), ("impact", 0.6),
               ("improved", 0.8), ("improving", 0.6), ("adopted", 1.0), ("standard", 0.6), ("zero", 0.6),
               ("revenue", 0.8), ("outcome", 1.0), ("went from", 1.0), ("down to", 0.8), ("up to", 0.5)),
    "reflection": (("i learned", 2.0), ("learned", 1.2), ("lesson", 1.5), ("looking back", 2.0),
                   ("in hindsight", 2.0), ("next time", 1.5), ("differently", 1.2), ("would", 0.5),
                   ("root cause", 0.8), ("realized", 1.2), ("taught me", 1.5), ("takeaway", 1.5),
                   ("going forward", 1.2), ("systemic", 1.0), ("importance", 0.8), ("important", 0.8),
                   ("reflect", 1.5), ("i now", 1.0), ("now i", 1.0), ("since then", 1.0), ("showed me", 1.2),
                   ("it showed", 0.8), ("i think", 0.5), ("took away", 1.5), ("the real", 0.6),
                   ("deeper", 1.0), ("underlying", 1.0), ("my lesson", 1.5), ("real cause", 1.0)),
}
_IRREGULAR_PAST = frozenset("wrote built ran made took set sent led found met got brought drove spoke told "
                            "began gave kept put read rewrote split shipped".split())
PHRASE_WEIGHT = 3.0
EXAMPLE_WEIGHT = 0.6
ACTION_VERB_WEIGHT = 1.2
NUMBER_WEIGHT = 1.0
SWITCH_COST = 0.6
PRIOR_WEIGHT = 1.5
READER_WEIGHT = 1.0
CHANCE = math.log(1 / 5)  # a sentence read as no more one section than another adds nothing
MIN_EVIDENCE = 0.5  # a section whose sentences gather less than this is reported missing


@dataclass(frozen=True)
class Span:
    """Tokens [first, last] (inclusive) given to one section; first == -1 when missing."""

    name: str
    first: int
    last: int


SENTENCE_GAP_S = 0.3  # an unpunctuated silence this long also ends a unit: Whisper misses some full stops


def sentence_spans(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Units to assign: Whisper's sentences, also cut where the speaker paused."""
    out: list[tuple[int, int]] = []
    for i, t in enumerate(tokens):
        paused = i > 0 and t.start_s - tokens[i - 1].end_s >= SENTENCE_GAP_S and not tokens[i - 1].comma_after
        if out and tokens[out[-1][0]].sentence == t.sentence and not paused:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return _split_long(tokens, out)


def sentence_text(tokens: Sequence[Token], first: int, last: int) -> str:
    """A unit's words as the sentence reader reads them (normalised, as in the transcript)."""
    return " ".join(t.norm for t in tokens[first : last + 1])


def _split_long(tokens: Sequence[Token], spans: list[tuple[int, int]], max_tokens: int = 40) -> list[tuple[int, int]]:
    """Whisper sometimes leaves a run of sentences unpunctuated; cut long runs at commas or mid-way."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while b - a + 1 > max_tokens:
            cut = next((k for k in range(a + max_tokens // 2, b) if tokens[k].comma_after), a + max_tokens - 1)
            out.append((a, cut))
            a = cut + 1
        out.append((a, b))
    return out


def _stems(norms: Sequence[str]) -> list[str]:
    return [stem(n) for n in norms]


def _contains(hay: Sequence[str], needle: Sequence[str]) -> int:
    n = len(needle)
    return sum(1 for i in range(len(hay) - n + 1) if list(hay[i : i + n]) == list(needle))


@dataclass(frozen=True)
class _SectionWords:
    """What the evidence weighs, per question: the words each section's example uses, how many sections
    use each, and the cue phrases as stems."""

    vocab: dict[str, set[str]]
    sections_using: dict[str, int]
    cues: dict[str, list[tuple[list[str], float]]]


@lru_cache(maxsize=64)
def _section_words(question: Question) -> _SectionWords:
    vocab: dict[str, set[str]] = {}
    for s in question.sections:
        text = " ".join((s.strong_example, " ".join(s.strong_phrases)))
        if s.name == "reflection":
            text += " " + " ".join(question.reflections.values())
        vocab[s.name] = {stem(t) for t in re.findall(r"[a-z]+", text.lower()) if t not in FUNCTION_WORDS and t not in PRONOUNS and len(t) > 2}
    using: dict[str, int] = {}
    for words in vocab.values():
        for w in words:
            using[w] = using.get(w, 0) + 1
    cues = {s.name: [(_stems(c.split()), w) for c, w in CUES.get(s.name, ())] for s in question.sections}
    return _SectionWords(vocab, using, cues)


# A sentence's evidence depends on its words alone, and the live label segments the words so far every
# second: each finished sentence is weighed once, so the report after the end weighs only the last few.
_rows: OrderedDict[tuple, dict[str, float]] = OrderedDict()
_rows_lock = threading.Lock()
_ROWS_KEPT = 4096


def evidence(question: Question, tokens: Sequence[Token], spans: Sequence[tuple[int, int]],
             reader: SentenceReader | None = None) -> list[dict[str, float]]:
    """Per sentence, per section: how much the sentence sounds like that section."""
    out: list[dict[str, float]] = []
    for a, b in spans:
        # what the phrase matcher and the cues read of a token: its words, a doubtful negation, sentence ends
        key = (question, reader, tuple((t.norm, t.probability < NEGATION_DOUBT, t.sentence - tokens[a].sentence)
                                       for t in tokens[a : b + 1]))
        with _rows_lock:
            row = _rows.get(key)
            if row is not None:
                _rows.move_to_end(key)
        if row is None:
            row = _evidence_row(question, tokens, a, b, reader)
            with _rows_lock:
                _rows[key] = row
                if len(_rows) > _ROWS_KEPT:
                    _rows.popitem(last=False)
        out.append(dict(row))
    return out


def _evidence_row(question: Question, tokens: Sequence[Token], a: int, b: int,
                  reader: SentenceReader | None = None) -> dict[str, float]:
    words = _section_words(question)
    n_sections = len(question.sections)
    norms = [t.norm for t in tokens[a : b + 1]]
    stems = _stems(norms)
    row: dict[str, float] = {}
    for s in question.sections:
        score = 0.0
        for phrase in s.strong_phrases:
            score += PHRASE_WEIGHT * len(find_all(phrase, tokens, a, b + 1))
        distinct = {st for st, nm in zip(stems, norms) if nm not in FUNCTION_WORDS and nm not in PRONOUNS}
        score += EXAMPLE_WEIGHT * sum(1.0 / words.sections_using[w] for w in distinct
                                      if w in words.vocab[s.name] and words.sections_using[w] < n_sections)
        # the cue words stay beside the reader: without them the project's own answers lost sections
        for cue, weight in words.cues[s.name]:
            score += weight * min(1, _contains(stems, cue))
        row[s.name] = score
    # first-person past-tense verbs mark the Action; numbers and units mark the Result
    verbs = sum(1 for x, y in zip(norms, norms[1:]) if x == "i" and (y.endswith("ed") or y in _IRREGULAR_PAST))
    if "action" in row:
        row["action"] += ACTION_VERB_WEIGHT * min(verbs, 2)
    if "result" in row:
        row["result"] += NUMBER_WEIGHT * min(2, sum(1 for n in norms if n[:1].isdigit() or n in ("percent", "dollars")))
    if reader is not None and b > a:  # a lone word ("Yes.", the live view's horizon) says too little to read
        read = reader.read([sentence_text(tokens, a, b)])[0]
        for name in row:
            row[name] += READER_WEIGHT * (read.get(name, CHANCE) - CHANCE)
    return row


def segment(question: Question, tokens: Sequence[Token], reader: SentenceReader | None = None) -> list[Span]:
    """Automatic segmentation: one Span per question section, in the question's order. `reader` (the
    sentence classifier) adds what each sentence does to the evidence."""
    names = [s.name for s in question.sections]
    spans = sentence_spans(tokens)
    if not spans or not names:
        return [Span(n, -1, -1) for n in names]
    ev = evidence(question, tokens, spans, reader)
    total_target = sum(s.target_s for s in question.sections) or 1.0
    centers: list[float] = []
    acc = 0.0
    for s in question.sections:
        centers.append((acc + s.target_s / 2) / total_target)
        acc += s.target_s
    t0, t1 = tokens[0].start_s, max(tokens[-1].end_s, tokens[0].start_s + 1e-3)

    def local(i: int, k: int) -> float:
        a, b = spans[i]
        mid = ((tokens[a].start_s + tokens[b].end_s) / 2 - t0) / (t1 - t0)
        return ev[i][names[k]] - PRIOR_WEIGHT * abs(mid - centers[k])

    n, m = len(spans), len(names)
    neg = float("-inf")
    best = [[neg] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    for k in range(m):
        best[0][k] = local(0, k)
    for i in range(1, n):
        for k in range(m):
            stay = best[i - 1][k]
            move_from = max(range(k), key=lambda j: best[i - 1][j], default=None)
            move = best[i - 1][move_from] - SWITCH_COST if move_from is not None else neg
            if stay >= move:
                best[i][k], back[i][k] = stay + local(i, k), k
            else:
                best[i][k], back[i][k] = move + local(i, k), move_from
    k = max(range(m), key=lambda j: best[n - 1][j])
    labels = [0] * n
    for i in range(n - 1, -1, -1):
        labels[i] = k
        k = back[i][k]
    # a section whose sentences carry too little evidence goes to its neighbour: missing, not invented
    # (a sentence read as unlike the section does not cancel another's evidence for it)
    for k in range(m):
        members = [i for i in range(n) if labels[i] == k]
        if members and sum(max(0.0, ev[i][names[k]]) for i in members) < MIN_EVIDENCE:
            prev_k = max((labels[i] for i in range(n) if labels[i] < k), default=None)
            for i in members:
                labels[i] = prev_k if prev_k is not None else -1
    # Without the reader, an answer opens with its Situation unless the opening states another section in
    # that section's own strong phrases: an opening without a cue word ("A couple of years back I was on
    # the mobile team...") is still the set-up. The reader reads such openings as context by itself.
    if reader is None and names[0] == "situation" and 0 not in labels and labels[0] != 0 and max(labels) > 0:
        said = labels[0] != -1 and any(find_all(p, tokens, spans[0][0], spans[0][1] + 1)
                                       for p in question.sections[labels[0]].strong_phrases)
        if not said:
            labels[0] = 0
    return _spans_from_labels(names, spans, labels)


def _spans_from_labels(names: Sequence[str], spans: Sequence[tuple[int, int]], labels: Sequence[int]) -> list[Span]:
    out = []
    for k, name in enumerate(names):
        members = [spans[i] for i, lab in enumerate(labels) if lab == k]
        out.append(Span(name, members[0][0], members[-1][1]) if members else Span(name, -1, -1))
    # leading sentences with no section (off-topic opening) join the first present section
    unassigned = [spans[i] for i, lab in enumerate(labels) if lab == -1]
    if unassigned:
        present = [s for s in out if s.first != -1]
        if present:
            first = present[0]
            out = [Span(s.name, min(s.first, unassigned[0][0]), s.last) if s is first else s for s in out]
    return out


def segment_by_marks(names: Sequence[str], tokens: Sequence[Token], marks_s: Sequence[float]) -> list[Span]:
    """Marks are section start times in order. As many marks as sections: every start is given. One fewer:
    the marks are the moments the candidate moved on, so the first section starts with the speech."""
    marks = sorted(float(m) for m in marks_s)
    if len(marks) < len(names):
        marks = [float("-inf")] + marks
    marks = (marks + [float("inf")] * len(names))[: len(names)]
    out = []
    for k, name in enumerate(names):
        lo, hi = marks[k], marks[k + 1] if k + 1 < len(names) else float("inf")
        idx = [i for i, t in enumerate(tokens) if lo <= (t.start_s + t.end_s) / 2 < hi]
        out.append(Span(name, idx[0], idx[-1]) if idx else Span(name, -1, -1))
    return out
