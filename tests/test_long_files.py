"""A long file is read, transcribed, pitch-tracked and scored a block at a time, holding at most one window
of audio (audio/file.open_audio, asr/windows.py, Transcriber.transcribe_blocks, analysis/pacing.OnsetFinder):
what it costs in memory does not grow with the file, and what it hears is what the whole file gives."""

from __future__ import annotations

import re

import numpy as np
import pytest
import soundfile

from mockinterview.analysis.pacing import OnsetFinder, speech_onsets
from mockinterview.asr import Transcriber, Transcript, Word
from mockinterview.asr.model import load_model
from mockinterview.asr.transcript import Segment
from mockinterview.asr.windows import window_cut
from mockinterview.audio.clip import SAMPLE_RATE_HZ
from mockinterview.audio.file import open_audio, read_audio
from mockinterview.errors import AudioError

from conftest import FIXTURES
from conftest_asr import SEED
from helpers_measure import peak_bytes as _peak_bytes
from helpers_measure import script_words, wer

RATE = SAMPLE_RATE_HZ


def _bursts(spans_s: list[tuple[float, float]], total_s: float, seed: int = 1) -> np.ndarray:
    """Noise-like "speech" (-20 dBFS) in `spans_s`, a quiet room (-70 dBFS) elsewhere."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 10 ** (-70 / 20), int(total_s * RATE)).astype(np.float32)
    for a, b in spans_s:
        b = min(b, total_s)
        x[int(a * RATE) : int(b * RATE)] += rng.normal(0, 0.1, int(b * RATE) - int(a * RATE)).astype(np.float32)
    return x


# -- where a window ends ----------------------------------------------------------------------------------

def test_a_window_ends_in_the_middle_of_the_longest_pause_near_its_end():
    # speech with short gaps, and one 1 s pause from 52.0 to 53.0 s, inside the last 20 s searched
    spans = [(0, 10), (10.3, 30), (30.4, 45), (45.2, 52), (53, 60)]
    x = _bursts(spans, 60)
    cut_s = window_cut(x, 20 * RATE) / RATE
    assert 52.3 < cut_s < 52.7


def test_a_pause_before_the_searched_stretch_is_not_used():
    x = _bursts([(0, 5), (8, 60)], 60)  # the only long pause is 50 s before the end
    cut = window_cut(x, 20 * RATE)
    assert cut >= x.size - 20 * RATE


# -- the windows, with a transcriber that records what it is given --------------------------------------

class RecordingTranscriber(Transcriber):
    """The real windowing; each decode returns one word at its piece's first second, named by the piece."""

    def __init__(self) -> None:
        super().__init__(model=None)
        self.pieces: list[tuple[int, str]] = []

    def transcribe(self, audio, *, context="", on_progress=None, **_options) -> Transcript:
        samples = np.asarray(audio)
        self.pieces.append((samples.size, context))
        duration_s = samples.size / RATE
        word = Word(text=f"piece{len(self.pieces)}", start_s=1.0, end_s=1.5, probability=0.9)
        if on_progress is not None:
            on_progress(duration_s)
        return Transcript(words=(word,), segments=(Segment(word.text, 1.0, 1.5, (word,)),), duration_s=duration_s,
                          model="recording")

    @property
    def model(self):  # the name only, for the joined transcript
        class Named:
            name = "recording"

        return Named()


def _blocks(x: np.ndarray, size: int = 4096):
    for start in range(0, x.size, size):
        yield x[start : start + size]


def test_a_long_stream_is_decoded_in_windows_cut_in_pauses_that_cover_it_once():
    spans = [(a, a + 8.0) for a in np.arange(0, 200, 9.0)]  # 8 s utterances, 1 s pauses
    x = _bursts(spans, 200)
    transcriber = RecordingTranscriber()
    progress: list[float] = []
    transcript = transcriber.transcribe_blocks(_blocks(x), window_s=60, on_progress=progress.append)

    sizes = [n for n, _ in transcriber.pieces]
    assert sum(sizes) == x.size and len(sizes) == 4 and max(sizes) <= 60 * RATE
    ends_s = np.cumsum(sizes)[:-1] / RATE
    assert all(((e - 8.0) % 9.0) > 0.1 and ((e - 8.0) % 9.0) < 0.9 for e in ends_s), ends_s  # each in a pause
    # each window's words are moved to the file's time, and the next window hears them as context
    starts_s = [w.start_s for w in transcript.words]
    assert starts_s == pytest.approx([1.0, *(e + 1.0 for e in ends_s)], abs=1e-3)
    assert [c for _, c in transcriber.pieces] == ["", "piece1", "piece1 piece2", "piece1 piece2 piece3"]
    assert transcript.duration_s == pytest.approx(200.0)
    assert progress == sorted(progress) and progress[-1] == pytest.approx(200.0)


def test_the_windowing_holds_a_window_not_the_file():
    x = np.resize(_bursts([(a, a + 8.0) for a in np.arange(0, 60, 9.0)], 60), 12 * 60 * RATE)  # 12 minutes
    window_bytes = 60 * RATE * 4
    peak, transcript = _peak_bytes(lambda: RecordingTranscriber().transcribe_blocks(_blocks(x), window_s=60))
    assert len(transcript.words) >= 12
    assert peak < 4 * window_bytes < x.nbytes / 2, f"{peak / 1e6:.1f} MB"


# -- the same audio, block by block ----------------------------------------------------------------------

def test_reading_a_file_in_blocks_gives_read_audios_samples_and_holds_little(tmp_path):
    answer = read_audio(FIXTURES / "strong_answer.flac").samples
    stereo_44k = tmp_path / "long.flac"
    # ten minutes at 44.1 kHz, stereo: the resampler runs block by block
    left = np.resize(answer, 10 * 60 * RATE)
    from mockinterview.audio.file import resample

    full_rate = resample(left, RATE, 44_100)
    soundfile.write(stereo_44k, np.stack([full_rate, full_rate], axis=1), 44_100)
    del full_rate

    source = open_audio(stereo_44k)
    assert source.duration_s == pytest.approx(600.0, abs=0.01)
    whole = read_audio(stereo_44k).samples

    def count() -> tuple[int, float]:
        n, energy = 0, 0.0
        for block in source.blocks():
            n += block.size
            energy += float(np.sum(block.astype(np.float64) ** 2))
        return n, energy

    peak, (n, energy) = _peak_bytes(count)
    assert n == whole.size == 600 * RATE
    assert energy == pytest.approx(float(np.sum(whole.astype(np.float64) ** 2)), rel=1e-6)
    assert peak < 16e6 < whole.nbytes / 2, f"{peak / 1e6:.1f} MB to read {whole.nbytes / 1e6:.0f} MB of samples"


def test_an_empty_or_unreadable_file_is_refused_when_opened(tmp_path):
    empty = tmp_path / "empty.wav"
    soundfile.write(empty, np.zeros(0, np.float32), RATE)
    text = tmp_path / "notes.flac"
    text.write_text("not audio at all\n" * 20)
    for path, message in ((empty, "holds no audio frames"), (text, "(not an audio file|holds no audio frames)")):
        with pytest.raises(AudioError, match=re.escape(str(path)) + ".*" + message):
            open_audio(path)


def test_onsets_found_block_by_block_equal_the_whole_recording():
    answer = read_audio(FIXTURES / "strong_answer.flac").samples
    finder = OnsetFinder(RATE)
    for block in _blocks(answer, 1601):  # blocks that split the 20 ms frames
        finder.feed(block)
    assert len(finder.onsets()) > 20 and finder.onsets() == speech_onsets(answer, RATE)


# -- the real model ---------------------------------------------------------------------------------------

def test_a_file_shorter_than_a_window_is_transcribed_exactly_as_a_whole():
    path = FIXTURES / "probe_strong.flac"
    streamed = Transcriber(load_model(None, seed=SEED)).transcribe_blocks(open_audio(path).blocks())
    whole = Transcriber(load_model(None, seed=SEED)).transcribe(read_audio(path))
    assert streamed == whole and len(whole.words) > 10


def test_a_file_longer_than_a_window_reads_as_well_as_the_whole_file():
    import json

    path = FIXTURES / "strong_answer.flac"
    truth = json.loads(path.with_suffix(".truth.json").read_text())
    transcript = Transcriber(load_model(None, seed=SEED)).transcribe_blocks(open_audio(path).blocks(), window_s=60)
    starts = [w.start_s for w in transcript.words]
    assert starts == sorted(starts) and 0 <= starts[0] and transcript.words[-1].end_s <= transcript.duration_s
    assert transcript.duration_s == pytest.approx(read_audio(path).duration_s)
    error = wer(script_words(truth["text"]), script_words(transcript.text))
    assert error < 0.22, f"WER {error:.3f}: {transcript.text}"  # the whole file's band (test_transcriber_fixtures)


# -- the commands, in real processes ----------------------------------------------------------------------

def _long_file(path, total_s: float) -> None:
    """The strong answer's first 20 s at the start and its last 20 s at the end of `total_s` of a quiet room:
    the file is decoded in windows, and whatever lies between costs reading, VAD and pitch but no decode."""
    answer = read_audio(FIXTURES / "strong_answer.flac").samples
    room = np.random.default_rng(3).normal(0, 10 ** (-65 / 20), int(total_s * RATE)).astype(np.float32)
    head, tail = answer[: 20 * RATE], answer[-20 * RATE :]
    room[: head.size] += head
    room[-tail.size :] += tail
    soundfile.write(path, room, RATE, subtype="PCM_16")


def _peak_rss_mb(*args: str) -> tuple[float, str]:
    """Peak RSS of `python -m mockinterview ARGS` on its own, and its standard output."""
    import subprocess
    import sys

    probe = ("import resource, subprocess, sys; out = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "sys.stderr.write(out.stderr); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
             "print(out.stdout, end=''); sys.exit(out.returncode)")
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "mockinterview", *args],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    first, _, rest = done.stdout.partition("\n")
    return int(first) / 1024, rest


def test_transcribe_and_score_of_a_long_file_hear_both_ends_and_memory_does_not_grow_with_its_length(tmp_path):
    import json

    short, long = tmp_path / "six_minutes.wav", tmp_path / "twenty_minutes.wav"
    _long_file(short, 6 * 60)
    _long_file(long, 20 * 60)

    _, out = _peak_rss_mb("transcribe", str(short), "--format", "json")
    words = json.loads(out)["words"]
    assert any(w["start_s"] < 20 for w in words) and any(w["start_s"] > 6 * 60 - 20 for w in words)
    assert "checkout team" in " ".join(w["text"] for w in words if w["start_s"] < 20).lower()

    peaks = {}
    for path in (short, long):
        peaks[path], out = _peak_rss_mb("score", "anticipate-customer-need", str(path), "--format", "json")
        report = json.loads(out)
        assert report["duration_s"] > soundfile.info(path).duration - 30  # first word to last
    # whole, 14 more minutes held 54 MB more samples alone (more with Whisper's and the pitch tracker's copies)
    assert peaks[long] - peaks[short] < 25, peaks
