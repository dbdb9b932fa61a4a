"""read_audio on real speech in every format, rate and channel layout, and on every kind of bad file."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from mockinterview.audio.clip import SAMPLE_RATE_HZ
from mockinterview.audio.file import read_audio, resample
from mockinterview.errors import AudioError

SENTENCE = "I noticed a recurring webhook failure rate, so I traced the root cause and wrote a fix."


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> Path:
    """Real speech: espeak-ng's own WAV (22.05 kHz mono, 16-bit)."""
    path = tmp_path_factory.mktemp("speech") / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path), SENTENCE], check=True)
    return path


@pytest.fixture(scope="module")
def reference(speech) -> np.ndarray:
    """The speech at 16 kHz mono as sox converts it, to compare our decoding against."""
    out = speech.with_name("reference.wav")
    subprocess.run(["sox", str(speech), "-r", "16000", "-c", "1", "-b", "32", "-e", "floating-point", str(out)], check=True)
    samples, rate = soundfile.read(out, dtype="float32")
    assert rate == SAMPLE_RATE_HZ
    return samples


# --- bad input -------------------------------------------------------------------------------


def _error(path: Path) -> str:
    with pytest.raises(AudioError) as info:
        read_audio(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    return message


def test_missing_file(tmp_path):
    assert "no such file" in _error(tmp_path / "nope.wav")


def test_directory(tmp_path):
    assert "directory" in _error(tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    assert "empty" in _error(path)


def test_text_file_renamed_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("Situation: payments platform. Task: fix webhooks.\n" * 20)
    assert "not an audio file" in _error(path)


def test_text_file_renamed_mp3(tmp_path):
    path = tmp_path / "notes.mp3"
    path.write_text("just some text\n" * 100)
    assert "not an audio file" in _error(path)


def test_wav_with_garbage_format_chunk(tmp_path, speech):
    data = bytearray(speech.read_bytes())
    fmt = data.find(b"fmt ")
    data[fmt + 8 : fmt + 24] = b"\xff" * 16  # format tag, channels, rate... all nonsense
    path = tmp_path / "corrupt.wav"
    path.write_bytes(bytes(data))
    assert "corrupt WAV" in _error(path)


def test_wav_without_data_chunk(tmp_path, speech):
    data = speech.read_bytes()
    path = tmp_path / "nodata.wav"
    path.write_bytes(data[: data.find(b"data")])
    assert "corrupt WAV" in _error(path)


def test_wav_cut_inside_header(tmp_path, speech):
    path = tmp_path / "cut.wav"
    path.write_bytes(speech.read_bytes()[:20])
    assert "corrupt WAV" in _error(path)


def test_wav_with_zero_frames(tmp_path):
    path = tmp_path / "zero.wav"
    soundfile.write(path, np.zeros(0, np.float32), SAMPLE_RATE_HZ, subtype="PCM_16")
    assert path.stat().st_size > 0
    assert "no audio frames" in _error(path)


# --- crash leftovers ---------------------------------------------------------------------------


def _zero_sizes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4:8] = b"\0\0\0\0"
    at = data.find(b"data")
    data[at + 4 : at + 8] = b"\0\0\0\0"
    path.write_bytes(bytes(data))


def test_wav_with_zeroed_sizes_reads_all_audio(tmp_path, reference):
    path = tmp_path / "killed.wav"
    soundfile.write(path, reference, SAMPLE_RATE_HZ, subtype="PCM_16")
    _zero_sizes(path)
    assert soundfile.info(path).frames == 0  # what a plain reader sees
    clip = read_audio(path)
    assert clip.samples.size == reference.size
    np.testing.assert_allclose(clip.samples, reference, atol=1 / 16384)


def test_wav_cut_mid_data_reads_what_is_there(tmp_path, reference):
    path = tmp_path / "short.wav"
    soundfile.write(path, reference, SAMPLE_RATE_HZ, subtype="PCM_16")
    data = path.read_bytes()
    header = data.find(b"data") + 8
    kept_frames = 20_000
    path.write_bytes(data[: header + kept_frames * 2 + 1])  # half a frame at the end too
    clip = read_audio(path)
    assert clip.samples.size == kept_frames
    np.testing.assert_allclose(clip.samples, reference[:kept_frames], atol=1 / 16384)


# --- formats, rates, channels --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subtype", "atol"),
    [("PCM_U8", 1 / 64), ("PCM_16", 1 / 16384), ("PCM_24", 1e-5), ("PCM_32", 1e-6), ("FLOAT", 1e-6), ("DOUBLE", 1e-6)],
)
def test_wav_sample_formats(tmp_path, reference, subtype, atol):
    path = tmp_path / f"{subtype}.wav"
    soundfile.write(path, reference, SAMPLE_RATE_HZ, subtype=subtype)
    clip = read_audio(path)
    assert clip.sample_rate_hz == SAMPLE_RATE_HZ and clip.samples.dtype == np.float32
    np.testing.assert_allclose(clip.samples, reference, atol=atol)


def test_downmix_is_the_mean_of_the_channels(tmp_path, reference):
    path = tmp_path / "left_only.wav"
    stereo = np.stack([reference, np.zeros_like(reference)], axis=1)
    soundfile.write(path, stereo, SAMPLE_RATE_HZ, subtype="FLOAT")
    np.testing.assert_allclose(read_audio(path).samples, reference / 2, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("rate_hz", [44_100, 48_000])
def test_stereo_at_other_rates_is_converted(tmp_path, speech, reference, transcript_of, rate_hz):
    path = tmp_path / f"stereo_{rate_hz}.wav"
    subprocess.run(["sox", str(speech), "-c", "2", "-r", str(rate_hz), str(path)], check=True)
    assert soundfile.info(path).channels == 2
    clip = read_audio(path)
    assert clip.sample_rate_hz == SAMPLE_RATE_HZ
    assert abs(clip.duration_s - reference.size / SAMPLE_RATE_HZ) < 0.01
    heard = _content(transcript_of(clip).text)
    assert len(_content(SENTENCE) & heard) >= 0.8 * len(_content(SENTENCE)), heard


@pytest.mark.parametrize("rate_hz", [8_000, 22_050, 96_000])
def test_other_rates_keep_the_duration(tmp_path, speech, reference, rate_hz):
    path = tmp_path / f"mono_{rate_hz}.wav"
    subprocess.run(["sox", str(speech), "-r", str(rate_hz), str(path)], check=True)
    clip = read_audio(path)
    assert abs(clip.duration_s - reference.size / SAMPLE_RATE_HZ) < 0.01
    assert np.sqrt(np.mean(clip.samples**2)) > 0.5 * np.sqrt(np.mean(reference**2))


@pytest.mark.slow
@pytest.mark.parametrize("extension", ["flac", "ogg", "mp3"])
def test_compressed_formats(tmp_path, reference, transcript_of, extension):
    path = tmp_path / f"speech.{extension}"
    soundfile.write(path, reference, SAMPLE_RATE_HZ)  # libsndfile picks the codec from the name
    clip = read_audio(path)
    # lossy codecs pad the start and end a little
    assert abs(clip.duration_s - reference.size / SAMPLE_RATE_HZ) < 0.1
    heard = _content(transcript_of(clip).text)
    assert len(_content(SENTENCE) & heard) >= 0.8 * len(_content(SENTENCE)), heard


def test_fixture_flac_reads_at_its_stated_length():
    root = Path(__file__).resolve().parents[1] / "audio_fixtures"
    import json

    truth = json.loads((root / "filler_answer.truth.json").read_text())
    clip = read_audio(root / "filler_answer.flac")
    assert abs(clip.duration_s - truth["duration_s"]) < 0.01


def test_resample_keeps_a_tone_and_the_duration():
    rate = 44_100
    t = np.arange(rate * 2) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    out = resample(tone, rate)
    assert out.size == 2 * SAMPLE_RATE_HZ
    middle = out[1000:-1000]
    assert abs(np.sqrt(np.mean(middle**2)) - 0.5 / np.sqrt(2)) < 0.01
    spectrum = np.abs(np.fft.rfft(middle))
    peak_hz = np.argmax(spectrum) * SAMPLE_RATE_HZ / middle.size
    assert abs(peak_hz - 440) < 2


def test_header_sizes_are_little_endian_riff(tmp_path, reference):
    # guards the repair code's assumption about what soundfile writes
    path = tmp_path / "x.wav"
    soundfile.write(path, reference[:1000], SAMPLE_RATE_HZ, subtype="PCM_16")
    data = path.read_bytes()
    at = data.find(b"data")
    assert data[:4] == b"RIFF" and struct.unpack("<I", data[at + 4 : at + 8])[0] == 2000


@pytest.mark.parametrize("rate_hz", [16_000, 44_100])
def test_a_file_read_block_by_block_equals_the_whole_file_converted_at_once(tmp_path, rate_hz):
    """read_audio streams a long file through one resampler (memory of the 16 kHz result only); the
    samples are those of down-mixing and resampling the whole file in one piece."""
    rng = np.random.default_rng(7)
    frames = 600_000 if rate_hz == 16_000 else 1_700_000  # longer than several read blocks
    stereo = (rng.standard_normal((frames, 2)) * 0.05).astype(np.float32)
    path = tmp_path / "long.flac"
    soundfile.write(path, stereo, rate_hz, subtype="PCM_16")
    whole, _ = soundfile.read(path, dtype="float32", always_2d=True)
    expected = resample(whole.mean(axis=1, dtype=np.float32), rate_hz, SAMPLE_RATE_HZ)
    got = read_audio(path).samples
    assert got.size == round(frames * SAMPLE_RATE_HZ / rate_hz)
    assert np.array_equal(got, expected)
