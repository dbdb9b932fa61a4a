"""The seed's strong answer in a neural voice (Piper's en_US-joe-medium, rendered by
audio_fixtures/make_fixtures.py; no fixture of espeak-ng's sounds like it) at 195 words a minute: the bar
raiser's verdict is on content, so a fast speaker still gets "Leaning hire", with every section found and
the pace named; a normal take gets no delivery finding, from `score` and from `practice` alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli
from mockinterview.analysis.report_data import ScoreReport
from mockinterview.analysis.verdicts import HireVerdict
from mockinterview.asr import Transcriber
from mockinterview.audio.clip import SAMPLE_RATE_HZ
from mockinterview.audio.file import open_audio, read_audio
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.commands.score import score_recording

QUESTION = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")
PACES_WPM = (200,)  # one take: the fixtures stay under 10 MB (the 138 and 169 wpm takes: see the README)


def _take(wpm: int) -> Path:
    return FIXTURES / f"neural_strong_{wpm}.ogg"


@pytest.fixture(scope="module")
def scored() -> dict[int, ScoreReport]:
    transcriber = Transcriber.load()
    return {wpm: score_recording(QUESTION, open_audio(_take(wpm)), transcriber) for wpm in PACES_WPM}


@pytest.mark.parametrize("wpm", PACES_WPM)
def test_the_strong_answer_is_leaning_hire_at_every_pace(scored, wpm):
    report = scored[wpm]
    assert report.verdict == HireVerdict.HIRE.value, report.reasons
    assert [s.name for s in report.sections if s.verdict == "missing"] == []
    truth = json.loads((FIXTURES / f"neural_strong_{wpm}.truth.json").read_text())
    assert abs(report.wpm - truth["spoken_wpm"]) < 0.1 * truth["spoken_wpm"]


def test_the_pace_is_named_for_what_it_is(scored):
    assert "fast" in scored[200].pace


@pytest.mark.parametrize("wpm", PACES_WPM)
def test_a_normal_neural_take_gets_no_delivery_finding(scored, wpm):
    assert scored[wpm].prosody is not None
    assert [f.kind for f in scored[wpm].prosody.findings] == []


def test_practice_hears_the_same_delivery_as_score(scored):
    """`practice` transcribes while the answer plays and tracks its pitch while recording; replayed as if
    live (each 0.1 s block, then the worker settles), the neural take gets score's verdict and findings."""
    from mockinterview.analysis.pacing import speech_onsets
    from mockinterview.analysis.pitch import PitchFollower
    from mockinterview.analysis.prosody import attach_prosody
    from mockinterview.analysis.score import score_answer

    samples = read_audio(_take(200)).samples
    session = Transcriber.load().stream(terms=QUESTION.terms, max_backlog_s=float("inf"))
    follower = PitchFollower()
    block = SAMPLE_RATE_HZ // 10  # the recorder's 0.1 s blocks
    for start in range(0, samples.size, block):
        piece = samples[start : start + block]
        session.feed(piece)
        follower.feed(piece)
        session.settle()
    live = score_answer(QUESTION, session.finish(), speech_onsets_s=speech_onsets(samples, SAMPLE_RATE_HZ))
    live = attach_prosody(live, follower.finish())
    whole = scored[200]
    assert live.verdict == whole.verdict
    assert [f.kind for f in live.prosody.findings] == [f.kind for f in whole.prosody.findings] == []
    assert live.prosody.pitch_spread_semitones == pytest.approx(whole.prosody.pitch_spread_semitones, abs=0.05)
