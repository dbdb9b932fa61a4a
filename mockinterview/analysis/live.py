"""Which STAR section the candidate is in, from the words heard so far (auto mode's live display).

    tracker = LiveSectionTracker(question)
    tracker.update(session.words_so_far())     # whenever convenient, e.g. every recorded block
    tracker.current()                          # ("action", 51.2) or None before the first words

The words so far are segmented exactly as the final report segments the whole answer (sections.segment,
the monotonic alignment); the section of the last sentence is the candidate. A move forward is taken at
the first update that finds it (the streaming peeks keep the words about 2 s behind the speech;
waiting for a second update doubled the lag, bench/label_lag.py). A jump over a section, or a move back,
needs three updates in a row, so one odd sentence does not make the display flicker back. A section the
candidate never reached is not entered: skipping the Reflection never shows it. The label opens on the
first section (the Situation) whatever the first fragment resembles. Pure: no threads, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..asr.transcript import Word
from ..bank.model import Question
from .section_model import SentenceReader
from .sections import segment
from .text import words_of

MIN_FORWARD_S = 3.0  # a candidate section already this long (in speech) is taken at once
FORWARD_CONFIRM = 1  # otherwise it must be the candidate in this many updates in a row
SKIP_CONFIRM = 3  # jumping over a section (it may have been skipped) needs this many
BACK_CONFIRM = 3  # going back to an earlier section needs this many
HORIZON_WORD = "mm"  # no cue, phrase or example word of any section


@dataclass(frozen=True)
class LiveSection:
    name: str
    start_s: float  # when the candidate started it, in the answer's audio time


class LiveSectionTracker:
    def __init__(self, question: Question, *, level: str | None = None, reader: SentenceReader | None = None) -> None:
        self.question = question
        self._reader = reader  # the sentence classifier, as the report segments with it
        self._names = [s.name for s in question.sections]
        self._total_target_s = sum(question.targets_s(level).values()) or 120.0
        self._entered: list[LiveSection] = []
        self._candidate: tuple[int, int] | None = None  # (section index, updates in a row)
        self._seen: tuple[int, float] | None = None  # (word count, last word end) of the last update

    @property
    def entered(self) -> tuple[LiveSection, ...]:
        """Sections entered so far, in order, each with its start."""
        return tuple(self._entered)

    def current(self) -> tuple[str, float] | None:
        """(section name, start_s), the shape record_turn's `current_section` callback returns."""
        return (self._entered[-1].name, self._entered[-1].start_s) if self._entered else None

    def update(self, words: Sequence[Word]) -> LiveSection | None:
        """Take the words so far (all of them, from the start of the answer); returns the current section."""
        key = (len(words), words[-1].end_s if words else 0.0)
        if key == self._seen:
            return self._entered[-1] if self._entered else None
        self._seen = key
        _, tokens = words_of(words)
        if not tokens:
            return None
        # sections.segment weighs each sentence's position within the answer; an answer half said is not
        # a whole one, so a silent marker word at the expected end puts the words said so far where they
        # belong in time (it carries no evidence, and the alignment gives it to no real section)
        horizon_s = max(tokens[0].start_s + self._total_target_s, tokens[-1].end_s + 1.0)
        _, marked = words_of([*words, Word(HORIZON_WORD, horizon_s, horizon_s + 0.1, 1.0)])
        spans = segment(self.question, marked, self._reader)
        n = len(tokens)
        present = [(self._names.index(s.name), tokens[s.first].start_s, tokens[min(s.last, n - 1)].end_s)
                   for s in spans if s.first != -1 and s.first < n]
        if not present:
            return self._entered[-1] if self._entered else None
        starts = {self._names[k]: start for k, start, _ in present}
        k, start_s, end_s = present[-1]
        held = self._candidate[1] + 1 if self._candidate and self._candidate[0] == k else 1
        self._candidate = (k, held)
        here = self._names.index(self._entered[-1].name) if self._entered else -1
        if here == -1:
            # The answer has begun, and an answer opens with its first section (the Situation): the first
            # words heard are a fragment too short to read, and labelling them by what they resemble
            # flickered to the Task or the Action in the first seconds (bench/live_label.py). The next
            # update moves on if the opening was the Task after all.
            self._candidate = (0, 1)
            self._entered.append(LiveSection(self._names[0], round(tokens[0].start_s, 2)))
            return self._entered[-1]
        elif k == here + 1 and (held >= FORWARD_CONFIRM or end_s - start_s >= MIN_FORWARD_S) or \
                k > here + 1 and held >= SKIP_CONFIRM:
            # sections the alignment found in between were entered too, at their own starts
            for j, start, _ in present:
                if here < j <= k:
                    self._entered.append(LiveSection(self._names[j], round(start, 2)))
        elif k < here and held >= BACK_CONFIRM:
            self._entered = [e for e in self._entered if self._names.index(e.name) < k]
            self._entered.append(LiveSection(self._names[k], round(start_s, 2)))
        # the alignment refines where the current section began as more words come in
        name = self._entered[-1].name
        if name in starts and abs(starts[name] - self._entered[-1].start_s) > 0.01:
            self._entered[-1] = LiveSection(name, round(starts[name], 2))
        return self._entered[-1]
