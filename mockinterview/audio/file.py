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
from typing import Any

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
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError as exc:
        raise AudioError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not head:
        raise AudioError(f"{path}: empty file (0 bytes)")

    is_wav = head[:4] in (b"RIFF", b"RIFX") and head[8:12] == b"WAVE"
    if not is_wav or _wav_header_is_whole(path):
        # read block by block: memory stays that of the 16 kHz result, whatever the file's length and rate
        try:
            mono = _soundfile_stream(path)
        except Exception as first:  # libsndfile's errors share no base class worth naming
            if is_wav:
                raise AudioError(f"{path}: corrupt WAV file ({_short(first)})") from first
            try:
                samples, rate_hz = _pyav_read(path)
            except Exception:
                raise AudioError(f"{path}: not an audio file (or a format that cannot be decoded)") from first
            mono = resample(samples[:, 0], rate_hz, SAMPLE_RATE_HZ)
    else:
        samples, rate_hz = _read_wav(path, _read_bytes(path))  # a killed recorder's WAV: header repaired in memory
        mono = resample(samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1 else samples[:, 0],
                        rate_hz, SAMPLE_RATE_HZ)
    if mono.size == 0:
        raise AudioError(f"{path}: holds no audio frames")
    return AudioClip(mono)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AudioError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def _wav_header_is_whole(path: Path) -> bool:
    """The WAV's data chunk size is set and fits in the file, so libsndfile can read it from disk; else
    (a recorder killed before closing it, a file cut short) the header is repaired in memory."""
    file_size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    fmt = "<I" if head[:4] == b"RIFF" else ">I"
    pos = 12
    while pos + 8 <= len(head):
        (size,) = struct.unpack(fmt, head[pos + 4 : pos + 8])
        if head[pos : pos + 4] == b"data":
            return 0 < size <= file_size - (pos + 8)
        pos += 8 + size + (size & 1)
    return False


def _soundfile_stream(path: Path) -> np.ndarray:
    """16 kHz mono float32, decoded and resampled a block at a time (no full-rate copy of the file)."""
    import soundfile

    with soundfile.SoundFile(str(path)) as source:
        rate_hz = int(source.samplerate)
        resampler = _Resampler(rate_hz, SAMPLE_RATE_HZ)
        for block in source.blocks(blocksize=_BLOCK_FRAMES, dtype="float32", always_2d=True):
            resampler.feed(block.mean(axis=1, dtype=np.float32) if block.shape[1] > 1 else block[:, 0])
        return resampler.finish()


class _Resampler:
    """libswresample through PyAV, fed in blocks; `finish` keeps the exact duration, as `resample` does."""

    def __init__(self, from_hz: int, to_hz: int) -> None:
        self.from_hz, self.to_hz = from_hz, to_hz
        self.frames_in = 0
        self.out: list[np.ndarray] = []
        self._resampler: Any = None
        if from_hz != to_hz:
            import av

            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=to_hz)

    def feed(self, samples: np.ndarray) -> None:
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        self.frames_in += samples.size
        if self._resampler is None:
            self.out.append(samples.copy())
            return
        from av import AudioFrame  # imported with the resampler in __init__

        for start in range(0, samples.size, _BLOCK_FRAMES):
            frame = AudioFrame.from_ndarray(samples[None, start : start + _BLOCK_FRAMES], format="flt", layout="mono")
            frame.sample_rate = self.from_hz
            self.out.extend(f.to_ndarray()[0] for f in self._resampler.resample(frame))

    def finish(self) -> np.ndarray:
        if self._resampler is not None and self.frames_in:
            self.out.extend(f.to_ndarray()[0] for f in self._resampler.resample(None))
        result = np.concatenate(self.out) if self.out else np.zeros(0, np.float32)
        self.out = []
        # the resampler's delay line can add or drop a few samples; keep the exact duration
        want = int(round(self.frames_in * self.to_hz / self.from_hz))
        if result.size >= want:
            return np.ascontiguousarray(result[:want], dtype=np.float32)
        return np.concatenate([result, np.zeros(want - result.size, np.float32)])


def resample(samples: np.ndarray, from_hz: int, to_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Mono float32 samples at `to_hz` (libswresample through PyAV: band-limited, not linear)."""
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    if from_hz == to_hz or samples.size == 0:
        return samples
    resampler = _Resampler(from_hz, to_hz)
    resampler.feed(samples)
    return resampler.finish()


def _read_wav(path: Path, data: bytes) -> tuple[np.ndarray, int]:
    repaired = _repair_wav_header(path, data)
    try:
        return _soundfile_read(io.BytesIO(repaired))
    except Exception as exc:  # libsndfile raises LibsndfileError/RuntimeError for bad content
        raise AudioError(f"{path}: corrupt WAV file ({_short(exc)})") from exc


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
