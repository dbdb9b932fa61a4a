"""The seed's strong answer in two neural voices of two engines (Piper's en_US-joe-medium at 195 words a
minute, Kokoro-82M's jm_kumo at 163; rendered by audio_fixtures/make_fixtures.py; no fixture of
espeak-ng's sounds like them): the bar raiser's verdict is on content, so a fast speaker still gets
"Leaning hire", with every section found and the pace named; a normal take gets no delivery finding, from
`score` and from `practice` alike."""

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
# one take per voice: the fixtures stay near 10 MB (Piper's 138 and 169 wpm takes: see the README)
TAKES = ("neural_strong_200", "kokoro_strong_165")
DEMO_TAKE = "kokoro_strong_165"  # what `make demo` plays as the candidate


def _take(stem: str) -> Path:
    return FIXTURES / f"{stem}.ogg"


@pytest.fixture(scope="module")
def scored() -> dict[str, ScoreReport]:
    transcriber = Transcriber.load()
    return {stem: score_recording(QUESTION, open_audio(_take(stem)), transcriber) for stem in TAKES}


@pytest.mark.parametrize("stem", TAKES)
def test_the_strong_answer_is_leaning_hire_in_every_voice(scored, stem):
    report = scored[stem]
    assert report.verdict == HireVerdict.HIRE.value, report.reasons
    assert [s.name for s in report.sections if s.verdict == "missing"] == []
    truth = json.loads((FIXTURES / f"{stem}.truth.json").read_text())
    assert abs(report.wpm - truth["spoken_wpm"]) < 0.1 * truth["spoken_wpm"]


def test_the_pace_is_named_for_what_it_is(scored):
    assert "fast" in scored["neural_strong_200"].pace  # 195 wpm
    assert "fast" in scored["kokoro_strong_165"].pace  # 163 wpm, over the comfortable 130-160


@pytest.mark.parametrize("stem", TAKES)
def test_a_normal_neural_take_gets_no_delivery_finding(scored, stem):
    assert scored[stem].prosody is not None
    assert [f.kind for f in scored[stem].prosody.findings] == []


@pytest.mark.parametrize("stem", TAKES)
def test_faded_ends_of_a_neural_take_are_found(scored, stem, tmp_path):
    """The same take with every sentence's last 0.8 s ramped down to -18 dB gets the fading finding: the
    rule that keeps a neural voice's own release out still hears a voice trailing off."""
    from helpers_prosody import fade_ends
    from mockinterview.analysis import prosody
    from mockinterview.analysis.pitch import track_pitch

    truth = json.loads((FIXTURES / f"{stem}.truth.json").read_text())
    spans = [(s["start_s"], s["end_s"]) for s in truth["sentences"]]
    faded = fade_ends(_take(stem), tmp_path / "faded.wav", spans)
    frames = track_pitch(read_audio(faded).samples)
    report = prosody.analyze(frames, [("answer", spans[0][0], spans[-1][1])], spans)
    assert [f.kind for f in report.findings] == ["fading_ends"]
    normal = prosody.analyze(track_pitch(read_audio(_take(stem)).samples), [("answer", spans[0][0], spans[-1][1])], spans)
    assert normal.findings == ()


@pytest.mark.parametrize("stem", TAKES)
def test_practice_hears_the_same_delivery_as_score(scored, stem):
    """`practice` transcribes while the answer plays and tracks its pitch while recording; replayed as if
    live (each 0.1 s block, then the worker settles), the neural take gets score's verdict and findings."""
    from mockinterview.analysis.pacing import speech_onsets
    from mockinterview.analysis.pitch import PitchFollower
    from mockinterview.analysis.prosody import attach_prosody
    from mockinterview.analysis.score import score_answer

    samples = read_audio(_take(stem)).samples
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
    whole = scored[stem]
    assert live.verdict == whole.verdict
    assert [f.kind for f in live.prosody.findings] == [f.kind for f in whole.prosody.findings] == []
    assert live.prosody.pitch_spread_semitones == pytest.approx(whole.prosody.pitch_spread_semitones, abs=0.05)
    # the Result's figures are what tiny.en loses in espeak-ng's take; streamed, a neural take keeps them
    assert _result_hits(live) == _result_hits(whole)
    if stem == DEMO_TAKE:
        assert _result_hits(live) == set(QUESTION.section("result").strong_phrases), _result_hits(live)


def _result_hits(report: ScoreReport) -> set[str]:
    return {phrase for s in report.sections if s.name == "result" for phrase in s.phrases_hit}

