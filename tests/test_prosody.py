"""How it sounded: the real pitch tracker (swift-f0) on known tones, the fixtures, held-out espeak-ng voices
the project never uses, and sox-made copies (24 dB quieter, fading sentence ends); the live cue; the
`score` command end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FIXTURES, run_cli
from helpers_prosody import fade_ends, gain, synthesize
from mockinterview.analysis import prosody
from mockinterview.analysis.pitch import FRAME_S, PitchFollower, track_pitch
from mockinterview.analysis.report_data import ReportWord
from mockinterview.audio.clip import SAMPLE_RATE_HZ
from mockinterview.audio.file import read_audio
from mockinterview.commands import check
from mockinterview.interview import display
from mockinterview.interview.display import LiveState, choose_cue

QID = "anticipate-customer-need"
HELD_OUT = ("en-029+m3", 40), ("en-gb-scotland+f4", 60)  # voices (and base pitches) no fixture uses


def analyze_fixture(stem: str):
    truth = json.loads((FIXTURES / f"{stem}.truth.json").read_text())
    frames = track_pitch(read_audio(FIXTURES / f"{stem}.flac").samples)
    sections = [(s["name"], s["start_s"], s["end_s"]) for s in truth["sections"]]
    return prosody.analyze(frames, sections, [(s["start_s"], s["end_s"]) for s in truth["sentences"]])


def analyze_take(path, spans):
    frames = track_pitch(read_audio(path).samples)
    return prosody.analyze(frames, [("answer", spans[0][0], spans[-1][1])], spans)


@pytest.fixture(scope="module", params=HELD_OUT, ids=[v for v, _ in HELD_OUT])
def held_out(request, tmp_path_factory):
    voice, pitch = request.param
    out = tmp_path_factory.mktemp("held-out")
    path, spans = synthesize(out / "take.wav", voice, pitch=pitch)
    return path, spans, voice, pitch


def test_the_tracker_follows_a_known_glide():
    t = np.arange(3 * SAMPLE_RATE_HZ) / SAMPLE_RATE_HZ
    f0 = 100.0 * 2 ** (t / 3)  # 100 -> 200 Hz over 3 s, one octave
    phase = 2 * np.pi * np.cumsum(f0) / SAMPLE_RATE_HZ
    x = sum(np.sin(k * phase) / k**1.5 for k in range(1, 20)).astype(np.float32) * 0.1
    frames = track_pitch(x)
    inner = (frames.times_s > 0.1) & (frames.times_s < 2.9)
    truth = 100.0 * 2 ** (frames.times_s[inner] / 3)
    cents = np.abs(1200 * np.log2(frames.f0_hz[inner] / truth))
    assert np.mean(np.isnan(cents)) < 0.02 and np.nanmedian(cents) < 20 and np.nanmax(cents) < 100


def test_following_the_recording_block_by_block_equals_the_whole_file():
    x = read_audio(FIXTURES / "skip_reflection.flac").samples
    whole = track_pitch(x)
    follower = PitchFollower()
    for start in range(0, x.size, 1600):  # the recorder's 0.1 s blocks
        follower.feed(x[start : start + 1600])
    live = follower.finish()
    assert live.times_s.size == whole.times_s.size
    assert np.array_equal(np.isnan(live.f0_hz), np.isnan(whole.f0_hz))
    voiced = ~np.isnan(whole.f0_hz)
    assert np.allclose(live.f0_hz[voiced], whole.f0_hz[voiced], rtol=1e-3)
    assert np.allclose(live.level_dbfs, whole.level_dbfs, atol=0.01)


@pytest.mark.parametrize("stem", ["strong_answer", "second_voice_answer", "noisy_answer", "filler_answer"])
def test_normal_fixture_takes_get_plausible_figures_and_no_finding(stem):
    p = analyze_fixture(stem)
    assert p.findings == ()
    assert 1.0 < p.pitch_spread_semitones < 3.5 and p.flattest_window_semitones > prosody.MONOTONE_SEMITONES
    assert -36 < p.loudness_dbfs < -24  # the fixtures peak at -12 dBFS
    expected_hz = 200 if stem == "second_voice_answer" else 100  # espeak-ng's female and male base pitch
    assert abs(12 * np.log2(p.pitch_median_hz / expected_hz)) < 2
    for s in p.sections:
        if s.voiced_s >= prosody.MIN_VOICED_S:
            assert abs(s.loudness_dbfs - p.loudness_dbfs) < 3 and s.pitch_spread_semitones > 0.75


def test_a_held_out_voice_is_plausible_and_its_quiet_copy_is_told_to_speak_up(held_out, tmp_path):
    path, spans, _, _ = held_out
    normal = analyze_take(path, spans)
    assert normal.findings == ()
    assert 0.9 < normal.pitch_spread_semitones < 3.5 and -36 < normal.loudness_dbfs < -24

    quiet = analyze_take(gain(path, tmp_path / "quiet.wav", -24), spans)
    assert quiet.loudness_dbfs == pytest.approx(normal.loudness_dbfs - 24, abs=1.5)
    assert quiet.pitch_spread_semitones == pytest.approx(normal.pitch_spread_semitones, abs=0.3)
    assert [f.kind for f in quiet.findings] == ["too_quiet"]
    (finding,) = quiet.findings
    assert (finding.spans[0].start_s, finding.spans[0].end_s) == (spans[0][0], spans[-1][1])
    assert f"{quiet.peak_dbfs:.0f} dBFS" in finding.text
    # the advice names the levels at which the live view and the mic check would have spoken up
    assert f"{display.QUIET_DBFS:g} dBFS" in finding.text and f"{check.QUIET_DBFS:g}" in finding.text
    assert display.QUIET_DBFS > quiet.peak_dbfs  # the live view would have said "Louder"...
    assert normal.peak_dbfs > display.QUIET_DBFS  # ...and not for the original


def test_a_flat_take_is_monotone_with_the_times_and_the_live_cue_says_vary(held_out, tmp_path):
    path, spans, voice, pitch = held_out
    flat_path, flat_spans = synthesize(tmp_path / "flat.wav", voice, pitch=pitch, pitch_range="x-low")
    flat = analyze_take(flat_path, flat_spans)
    assert [f.kind for f in flat.findings] == ["monotone"]
    assert flat.pitch_spread_semitones < prosody.MONOTONE_SEMITONES
    (finding,) = flat.findings
    assert finding.spans[0].start_s <= flat_spans[0][0] + prosody.WINDOW_STEP_S
    assert finding.spans[-1].end_s >= flat_spans[-1][1] - prosody.WINDOW_STEP_S  # the whole take is flat
    assert all(s.value < prosody.MONOTONE_SEMITONES for s in finding.spans)

    end_s = flat_spans[-1][1]
    flat_now = prosody.recent_spread(track_pitch(read_audio(flat_path).samples), end_s)
    normal_now = prosody.recent_spread(track_pitch(read_audio(path).samples), end_s)
    assert flat_now < prosody.MONOTONE_SEMITONES < normal_now
    base = dict(total_elapsed_s=end_s, total_target_s=175, peak_dbfs_recent=-20)
    assert choose_cue(LiveState(**base, pitch_spread_recent_semitones=flat_now)) == "Vary your tone"
    assert choose_cue(LiveState(**base, pitch_spread_recent_semitones=normal_now)) is None


def test_fading_sentence_ends_are_found_where_they_fade(held_out, tmp_path):
    path, spans, _, _ = held_out
    faded = analyze_take(fade_ends(path, tmp_path / "fade.wav", spans), spans)
    assert [f.kind for f in faded.findings] == ["fading_ends"]
    (finding,) = faded.findings
    assert len(finding.spans) >= len(spans) / 3
    ends = {round(b, 2) for _, b in spans}
    assert all(round(s.end_s, 2) in ends and s.value >= prosody.FADE_DB for s in finding.spans)
    assert faded.sentence_end_drop_db > analyze_take(path, spans).sentence_end_drop_db + 5


def test_one_cue_at_a_time_and_vary_your_tone_last():
    flat = dict(total_elapsed_s=40, total_target_s=175, section="action", section_target_s=90,
                section_elapsed_s=10, peak_dbfs_recent=-20, pitch_spread_recent_semitones=0.3)
    assert choose_cue(LiveState(**flat)) == "Vary your tone"
    assert choose_cue(LiveState(**{**flat, "peak_dbfs_recent": -50})) == "Louder"
    assert choose_cue(LiveState(**{**flat, "section_elapsed_s": 200})) == "Move on"
    assert choose_cue(LiveState(**flat, recent_wpm=220)) == "Slow down"
    assert choose_cue(LiveState(**{**flat, "pitch_spread_recent_semitones": None})) is None  # under 20 s: not judged


def test_recent_spread_waits_for_a_full_window():
    frames = track_pitch(read_audio(FIXTURES / "strong_answer.flac").samples)
    assert prosody.recent_spread(frames, prosody.WINDOW_S - 1) is None
    assert prosody.recent_spread(frames, 60.0) > prosody.MONOTONE_SEMITONES


def test_sentences_come_from_full_stops_and_long_pauses():
    def w(text, a, b):
        return ReportWord(text, a, b, "situation", ())

    words = [w("I", 0.0, 0.2), w("noticed.", 0.3, 0.8), w("Then", 1.0, 1.2), w("I", 1.3, 1.4), w("fixed", 1.5, 1.9),
             w("it", 2.8, 3.0), w("fast", 3.1, 3.5)]
    assert prosody.sentences_of(words) == [(0.0, 0.8), (1.0, 1.9), (2.8, 3.5)]


def test_silence_has_no_figures_and_no_finding():
    p = prosody.analyze(track_pitch(read_audio(FIXTURES / "silence.flac").samples), [("situation", None, None)], [])
    assert (p.pitch_spread_semitones, p.loudness_dbfs, p.findings) == (None, None, ())
    assert all(v is None for v in p.contour_pitch_semitones)
    assert len(p.contour_pitch_semitones) == pytest.approx(5.0 / prosody.CONTOUR_STEP_S, abs=1)
    assert FRAME_S == 0.016


@pytest.mark.slow
def test_score_command_tells_the_quiet_copy_to_speak_up_and_not_the_original(tmp_path):
    path, _ = synthesize(tmp_path / "held-out.wav", "en-029+m3", pitch=40)
    quiet = gain(path, tmp_path / "quiet.wav", -24)
    reports = {}
    for name, audio in (("normal", path), ("quiet", quiet)):
        done = run_cli("score", QID, str(audio), "--format", "json")
        assert done.returncode == 0, done.stderr
        reports[name] = json.loads(done.stdout)["prosody"]
    assert [f["kind"] for f in reports["normal"]["findings"]] == []
    assert "too_quiet" in [f["kind"] for f in reports["quiet"]["findings"]]
    assert reports["quiet"]["loudness_dbfs"] == pytest.approx(reports["normal"]["loudness_dbfs"] - 24, abs=1.5)
    md = run_cli("score", QID, str(quiet), "--format", "markdown")
    assert "## How it sounded" in md.stdout and "Too quiet" in md.stdout
