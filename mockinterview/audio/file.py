"""Read any audio file (WAV of any sample format, FLAC, OGG, MP3, ...) as 16 kHz mono float32.

soundfile (libsndfile) reads the common formats; PyAV, which faster-whisper already needs, is the
fallback for containers libsndfile does not know (m4a, webm). A WAV left behind by a killed
recorder has a zero (or too large) data size in its header; we repair the header in memory and
read all the bytes that are really there.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np

from ..errors import AudioError
from .clip import SAMPLE_RATE_HZ, AudioClip

_BLOCK_FRAMES = 1 << 18  # resample in blocks so a long file never needs two full float copies


def read_audio(path: str | Path) -> AudioClip:
    """The file's audio, down-mixed to mono and resampled to 16 kHz."""
    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if path.is_dir():
        raise AudioError(f"{path}: is a directory, not an audio file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AudioError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not data:
        raise AudioError(f"{path}: empty file (0 bytes)")

    if data[:4] in (b"RIFF", b"RIFX") and data[8:12] == b"WAVE":
        samples, rate_hz = _read_wav(path, data)
    else:
        samples, rate_hz = _read_other(path, data)
    if samples.shape[0] == 0:
        raise AudioError(f"{path}: holds no audio frames")
    mono = samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1 else samples[:, 0]
    return AudioClip(resample(mono, rate_hz, SAMPLE_RATE_HZ))


def resample(samples: np.ndarray, from_hz: int, to_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Mono float32 samples at `to_hz` (libswresample through PyAV: band-limited, not linear)."""
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    if from_hz == to_hz or samples.size == 0:
        return samples
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=to_hz)
    out: list[np.ndarray] = []
    for start in range(0, samples.size, _BLOCK_FRAMES):
        frame = av.AudioFrame.from_ndarray(samples[None, start : start + _BLOCK_FRAMES], format="flt", layout="mono")
        frame.sample_rate = from_hz
        out.extend(f.to_ndarray()[0] for f in resampler.resample(frame))
    out.extend(f.to_ndarray()[0] for f in resampler.resample(None))
    result = np.concatenate(out) if out else np.zeros(0, np.float32)
    # the resampler's delay line can add or drop a few samples; keep the exact duration
    want = int(round(samples.size * to_hz / from_hz))
    if result.size >= want:
        return np.ascontiguousarray(result[:want], dtype=np.float32)
    return np.concatenate([result, np.zeros(want - result.size, np.float32)])


def _read_wav(path: Path, data: bytes) -> tuple[np.ndarray, int]:
    repaired = _repair_wav_header(path, data)
    try:
        return _soundfile_read(io.BytesIO(repaired))
    except Exception as exc:  # libsndfile raises LibsndfileError/RuntimeError for bad content
        raise AudioError(f"{path}: corrupt WAV file ({_short(exc)})") from exc


def _read_other(path: Path, data: bytes) -> tuple[np.ndarray, int]:
    try:
        return _soundfile_read(io.BytesIO(data))
    except Exception as first:
        try:
            return _pyav_read(path)
        except Exception:
            raise AudioError(f"{path}: not an audio file (or a format that cannot be decoded)") from first


def _soundfile_read(source: io.BytesIO) -> tuple[np.ndarray, int]:
    import soundfile

    samples, rate_hz = soundfile.read(source, dtype="float32", always_2d=True)
    return samples, int(rate_hz)


def _pyav_read(path: Path) -> tuple[np.ndarray, int]:
    import av

    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise ValueError("no audio stream")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=stream.rate or SAMPLE_RATE_HZ)
        chunks = [f.to_ndarray()[0] for frame in container.decode(stream) for f in resampler.resample(frame)]
        chunks.extend(f.to_ndarray()[0] for f in resampler.resample(None))
        rate_hz = stream.rate or SAMPLE_RATE_HZ
    mono = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    return mono[:, None], int(rate_hz)


def _repair_wav_header(path: Path, data: bytes) -> bytes:
    """The same bytes with RIFF and data sizes that match what the file really holds.

    A recorder killed before closing its file leaves the sizes it wrote at the start (soundfile
    writes 0); a file cut short claims more data than it has. Both lose nothing if we trust the
    file length instead.
    """
    little = data[:4] == b"RIFF"
    fmt = "<I" if little else ">I"
    pos = 12
    block_align = 0
    while pos + 8 <= len(data):
        chunk_id = data[pos : pos + 4]
        (size,) = struct.unpack(fmt, data[pos + 4 : pos + 8])
        body = pos + 8
        if chunk_id == b"fmt " and body + 14 <= len(data):
            (block_align,) = struct.unpack("<H" if little else ">H", data[body + 12 : body + 14])
        if chunk_id == b"data":
            available = len(data) - body
            if size == 0 or size > available:
                if block_align <= 0:
                    raise AudioError(f"{path}: corrupt WAV file (no format chunk before the audio data)")
                size = available - available % block_align
            fixed = bytearray(data[: body + size])
            fixed[pos + 4 : pos + 8] = struct.pack(fmt, size)
            fixed[4:8] = struct.pack(fmt, len(fixed) - 8)
            return bytes(fixed)
        pos = body + size + (size & 1)  # chunks are padded to an even length
    raise AudioError(f"{path}: corrupt WAV file (header has no audio data chunk)")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
