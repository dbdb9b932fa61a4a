"""STAR segmentation: automatic (monotonic alignment on evidence) and from live marks.

The answers here are written for these tests, in other words than the fixtures, with the same pause
after every sentence so no boundary is given away by silence."""

from __future__ import annotations

import pytest

from mockinterview.testing import transcript_from_sentences
from mockinterview.analysis.sections import segment, segment_by_marks
from mockinterview.analysis.text import words_of
from mockinterview.bank import BUILTIN_DIR, load_bank

QUESTION = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")

ANSWER = {
    "situation": [
        "Last spring I was a backend engineer on the invoicing team of a fintech startup.",
        "Looking at our error graphs one evening, I noticed that a small slice of partner callbacks never arrived.",
        "The callback system wasn't my team's area, and there were no alerts on it at all.",
    ],
    "task": [
        "It belonged to another group, so this was not my team and nobody had asked me to help.",
        "Still, I decided to act, because partners were losing money every day.",
    ],
    "action": [
        "First I pulled a month of delivery records and sorted the failures by partner.",
        "I traced the drops to two retries racing for the same record.",
        "I reproduced the race on my laptop with a deliberately slow endpoint.",
        "I wrote a patch that takes a lock before any retry, and I added a queue alarm for dead messages.",
        "Then I submitted the change with tests, and I coordinated the rollout with their lead.",
    ],
    "result": [
        "As a result the failure rate went from 0.3% to zero within a week.",
        "Finance put the recovered revenue at about $8,000 per week.",
    ],
    "reflection": [
        "Looking back, I learned that the real problem was an organizational gap between the two teams.",
        "Since then I keep proactively monitoring the systems my work depends on.",
    ],
}


def spans_of(sections: dict[str, list[str]]):
    sentences = [s for name in sections for s in sections[name]]
    transcript = transcript_from_sentences(sentences)
    _, tokens = words_of(transcript.words)
    return tokens, segment(QUESTION, tokens)


def first_sentence_index(tokens, span):
    return tokens[span.first].sentence if span.first != -1 else None


def expected_starts(sections):
    out, n = {}, 0
    for name, lines in sections.items():
        out[name] = n
        n += len(lines)
    return out


def test_every_section_starts_at_its_first_sentence():
    tokens, spans = spans_of(ANSWER)
    assert {s.name: first_sentence_index(tokens, s) for s in spans} == expected_starts(ANSWER)
    assert [s.name for s in spans] == ["situation", "task", "action", "result", "reflection"]


def test_skipped_reflection_is_missing_not_invented():
    answer = {k: v for k, v in ANSWER.items() if k != "reflection"}
    tokens, spans = spans_of(answer)
    got = {s.name: first_sentence_index(tokens, s) for s in spans}
    assert got == {**expected_starts(answer), "reflection": None}


def test_skipped_task_is_missing():
    answer = {k: v for k, v in ANSWER.items() if k != "task"}
    tokens, spans = spans_of(answer)
    got = {s.name: first_sentence_index(tokens, s) for s in spans}
    assert got == {**expected_starts(answer), "task": None}


def test_off_topic_answer_has_no_sections_and_does_not_crash():
    tokens, spans = spans_of({"x": ["My favourite food is pasta with tomatoes.", "On weekends we go hiking in the hills."]})
    assert all(s.first == -1 for s in spans)


def test_no_words_no_sections():
    assert all(s.first == -1 for s in segment(QUESTION, []))


@pytest.mark.parametrize("with_first", [True, False])
def test_marks_split_the_words_by_time(with_first):
    transcript = transcript_from_sentences(["a b c", "d e", "f g h", "i", "j k"], wpm=60, pause_s=0.0, start_s=0.0)
    _, tokens = words_of(transcript.words)
    # words start at 0,1,2,...; sections start at 0, 3, 5, 8, 9
    marks = [0, 3, 5, 8, 9] if with_first else [3, 5, 8, 9]
    spans = segment_by_marks([s.name for s in QUESTION.sections], tokens, marks)
    assert [(s.first, s.last) for s in spans] == [(0, 2), (3, 4), (5, 7), (8, 8), (9, 10)]


def test_a_mark_with_no_words_after_it_gives_a_missing_section():
    transcript = transcript_from_sentences(["a b c d"], wpm=60, pause_s=0.0, start_s=0.0)
    _, tokens = words_of(transcript.words)
    spans = segment_by_marks([s.name for s in QUESTION.sections], tokens, [2, 2.5, 3, 10])
    assert [s.first for s in spans] == [0, 2, -1, 3, -1]


def test_each_sentence_is_weighed_once_however_often_the_live_label_segments(monkeypatch):
    from mockinterview.analysis import sections
    from mockinterview.analysis.section_model import default_reader

    reader = default_reader()
    sentences = [f"(weighed once) {s}" for s in ANSWER["situation"] + ANSWER["task"] + ANSWER["action"]]
    words = transcript_from_sentences(sentences, wpm=160).words
    _, tokens = words_of(words)
    fresh = [dict(r) for r in (sections._evidence_row(QUESTION, tokens, a, b, reader)
                               for a, b in sections.sentence_spans(tokens))]
    weighed: list[int] = []
    real_row = sections._evidence_row
    monkeypatch.setattr(sections, "_evidence_row", lambda q, t, a, b, r: weighed.append(a) or real_row(q, t, a, b, r))
    for n in range(10, len(words) + 1, 10):  # the words so far, once a second
        segment(QUESTION, words_of(words[:n])[1], reader)
    first = len(weighed)
    assert sections.evidence(QUESTION, tokens, sections.sentence_spans(tokens), reader) == fresh
    assert len(weighed) - first <= 1  # the whole answer again: at most its last sentence is new
    assert first < 3 * len(fresh)  # each sentence weighed about once as it grew, not every second
