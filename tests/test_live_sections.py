"""The live section tracker on real transcripts of the fixtures, words revealed as streaming reveals them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockinterview.analysis.live import LiveSectionTracker
from mockinterview.asr.transcript import Word
from mockinterview.bank import BUILTIN_DIR, load_bank

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "audio_fixtures"
STEP_S = 1.0  # how often the display asks
ARRIVAL_S = 3.0  # words become known in groups, up to this long after they were said


@pytest.fixture(scope="module")
def bank():
    return load_bank([BUILTIN_DIR])


def _truth(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.truth.json").read_text())


def _replay(tracker: LiveSectionTracker, words: tuple[Word, ...], duration_s: float):
    """Ask the tracker every STEP_S of audio time, with the words said up to the last ARRIVAL_S boundary.
    Returns [(time asked, current section or None)]."""
    seen = []
    t = 0.0
    while t <= duration_s + STEP_S:
        known_until = (t // ARRIVAL_S) * ARRIVAL_S
        current = tracker.update([w for w in words if w.end_s <= known_until])
        seen.append((t, current))
        t += STEP_S
    return seen


def _entries(seen):
    """(section name, first time shown, its start_s when first shown) in the order shown."""
    out = []
    for t, cur in seen:
        if cur is not None and (not out or out[-1][0] != cur.name):
            out.append((cur.name, t, cur.start_s))
    return out


def test_strong_answer_moves_through_every_section_in_order(bank, transcript_of):
    truth = _truth("strong_answer")
    question = bank.get(truth["question_id"])
    transcript = transcript_of(FIXTURES / truth["audio"], question.terms)
    tracker = LiveSectionTracker(question)
    entries = _entries(_replay(tracker, transcript.words, transcript.duration_s))
    assert [e[0] for e in entries] == ["situation", "task", "action", "result", "reflection"], entries
    for (name, shown_at, start_s), section in zip(entries, truth["sections"]):
        assert section["name"] == name
        assert abs(start_s - section["start_s"]) <= 3.0, (name, start_s, section["start_s"])
        # shown within a few seconds of being said, counting the words' own arrival delay
        assert shown_at - section["start_s"] <= ARRIVAL_S + 8.0, (name, shown_at, section["start_s"])
    assert [e.name for e in tracker.entered] == [e[0] for e in entries]


def test_the_display_never_flickers_back(bank, transcript_of):
    truth = _truth("strong_answer")
    question = bank.get(truth["question_id"])
    transcript = transcript_of(FIXTURES / truth["audio"], question.terms)
    names = [s.name for s in question.sections]
    seen = [cur.name for _, cur in _replay(LiveSectionTracker(question), transcript.words, transcript.duration_s) if cur]
    order = [names.index(n) for n in seen]
    assert order == sorted(order)


def test_a_skipped_reflection_is_never_entered(bank, transcript_of):
    truth = _truth("skip_reflection")
    question = bank.get(truth["question_id"])
    transcript = transcript_of(FIXTURES / truth["audio"], question.terms)
    tracker = LiveSectionTracker(question)
    seen = _replay(tracker, transcript.words, transcript.duration_s)
    shown = {cur.name for _, cur in seen if cur}
    assert "reflection" not in shown
    assert "reflection" not in {e.name for e in tracker.entered}
    assert {s["name"] for s in truth["sections"]} <= shown | {"task"}  # the others are reached
    assert tracker.current()[0] == truth["sections"][-1]["name"]


def test_no_words_no_section(bank):
    tracker = LiveSectionTracker(bank.get("anticipate-customer-need"))
    assert tracker.update([]) is None
    assert tracker.current() is None
    assert tracker.entered == ()


def test_same_words_same_answer(bank, transcript_of):
    """Pure: two trackers given the same updates agree; asking twice with no new words changes nothing."""
    truth = _truth("strong_answer")
    question = bank.get(truth["question_id"])
    words = transcript_of(FIXTURES / truth["audio"], question.terms).words
    half = [w for w in words if w.end_s <= 90]
    a, b = LiveSectionTracker(question), LiveSectionTracker(question)
    for tracker in (a, b):
        tracker.update(half[: len(half) // 2])
        tracker.update(half)
    assert a.entered == b.entered
    before = a.entered
    a.update(half)
    assert a.entered == before


def test_an_answer_opens_on_its_situation_and_moves_on_when_the_opening_was_the_task(bank):
    """The first words heard are a fragment: the label starts at the first section whatever they resemble,
    and the next update moves to the Task if the opening states it."""
    from mockinterview.testing import transcript_from_sentences

    question = bank.get("anticipate-customer-need")
    words = transcript_from_sentences(["Nobody had asked me to, and it was not my team's service, but I decided "
                                       "to own the webhook failures myself."]).words
    tracker = LiveSectionTracker(question)
    assert tracker.update(words[:3]).name == "situation"
    assert tracker.update(words).name == "task"
    assert [e.name for e in tracker.entered] == ["situation", "task"]
