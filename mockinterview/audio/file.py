"""Read any audio file (WAV of any sample format, FLAC, OGG, MP3, ...) as 16 kHz mono float32.

soundfile (libsndfile) reads the common formats; PyAV, which faster-whisper already needs, is the
fallback for containers libsndfile does not know (m4a, webm). A WAV left behind by a killed
recorder has a zero (or too large) data size in its header; we repair the header in memory and
read all the bytes that are really there.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AudioError
from .clip import SAMPLE_RATE_HZ, AudioClip

_BLOCK_FRAMES = 1 << 18  # resample in blocks so a long file never needs two full float copies


@dataclass(frozen=True)
class AudioSource:
    """An audio file opened for reading a block at a time as 16 kHz mono float32, so a long file is never
    held whole (`score` and `transcribe` stream it). A killed recorder's WAV and the formats only PyAV
    reads are decoded whole once, when opened."""

    path: Path
    duration_s: float  # from the header; the blocks may add up to a few samples more or less
    _blocks: Callable[[], Iterator[np.ndarray]] = field(repr=False)

    def blocks(self) -> Iterator[np.ndarray]:
        """The audio from its start, each block at most _BLOCK_FRAMES at the file's rate; empty blocks skipped."""
        return (b for b in self._blocks() if b.size)


def open_audio(path: str | Path) -> AudioSource:
    """The file checked (it exists, is not empty, is audio) and ready to read; nothing decoded yet when
    libsndfile reads it."""
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
    if is_wav and not _wav_header_is_whole(path):
        samples, rate_hz = _read_wav(path, _read_bytes(path))  # a killed recorder's WAV: header repaired in memory
        return _in_memory(path, resample(samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1
                                         else samples[:, 0], rate_hz, SAMPLE_RATE_HZ))
    try:
        import soundfile

        info = soundfile.info(str(path))
    except Exception as first:  # libsndfile's errors share no base class worth naming
        if is_wav:
            raise AudioError(f"{path}: corrupt WAV file ({_short(first)})") from first
        try:
            samples, rate_hz = _pyav_read(path)
        except Exception:
            raise AudioError(f"{path}: not an audio file (or a format that cannot be decoded)") from first
        return _in_memory(path, resample(samples[:, 0], rate_hz, SAMPLE_RATE_HZ))
    if info.frames <= 0 or info.samplerate <= 0:
        raise AudioError(f"{path}: holds no audio frames")
    duration_s = info.frames / info.samplerate
    return AudioSource(path, duration_s, lambda: _soundfile_blocks(path))


def read_audio(path: str | Path) -> AudioClip:
    """The file's audio, down-mixed to mono and resampled to 16 kHz, all in memory."""
    source = open_audio(path)
    blocks = list(source.blocks())
    mono = np.concatenate(blocks) if blocks else np.zeros(0, np.float32)
    if mono.size == 0:
        raise AudioError(f"{source.path}: holds no audio frames")
    return AudioClip(np.ascontiguousarray(mono, dtype=np.float32))


def _in_memory(path: Path, mono: np.ndarray) -> AudioSource:
    if mono.size == 0:
        raise AudioError(f"{path}: holds no audio frames")

    def blocks() -> Iterator[np.ndarray]:
        for start in range(0, mono.size, _BLOCK_FRAMES):
            yield mono[start : start + _BLOCK_FRAMES]

    return AudioSource(path, mono.size / SAMPLE_RATE_HZ, blocks)


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


def _soundfile_blocks(path: Path) -> Iterator[np.ndarray]:
    """16 kHz mono float32, decoded and resampled a block at a time (no full-rate copy of the file)."""
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as source:
            resampler = _Resampler(int(source.samplerate), SAMPLE_RATE_HZ)
            for block in source.blocks(blocksize=_BLOCK_FRAMES, dtype="float32", always_2d=True):
                yield resampler.feed(block.mean(axis=1, dtype=np.float32) if block.shape[1] > 1 else block[:, 0])
            yield resampler.finish()
    except Exception as exc:  # a file that opened but whose data cannot be decoded
        raise AudioError(f"{path}: corrupt audio data ({_short(exc)})") from exc


class _Resampler:
    """libswresample through PyAV, fed in blocks, each `feed` returning what is ready; `finish` returns the
    rest so that the total keeps the exact duration, as `resample` does."""

    def __init__(self, from_hz: int, to_hz: int) -> None:
        self.from_hz, self.to_hz = from_hz, to_hz
        self.frames_in = 0
        self.frames_out = 0
        self._held = np.zeros(0, np.float32)  # output beyond the input's duration so far (never, in practice)
        self._resampler: Any = None
        if from_hz != to_hz:
            import av

            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=to_hz)

    def feed(self, samples: np.ndarray) -> np.ndarray:
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        self.frames_in += samples.size
        if self._resampler is None:
            return self._release([samples.copy()], final=False)
        from av import AudioFrame  # imported with the resampler in __init__

        out = []
        for start in range(0, samples.size, _BLOCK_FRAMES):
            frame = AudioFrame.from_ndarray(samples[None, start : start + _BLOCK_FRAMES], format="flt", layout="mono")
            frame.sample_rate = self.from_hz
            out.extend(f.to_ndarray()[0] for f in self._resampler.resample(frame))
        return self._release(out, final=False)

    def finish(self) -> np.ndarray:
        out = []
        if self._resampler is not None and self.frames_in:
            out.extend(f.to_ndarray()[0] for f in self._resampler.resample(None))
        return self._release(out, final=True)

    def _release(self, out: list[np.ndarray], *, final: bool) -> np.ndarray:
        # the resampler's delay line can add or drop a few samples; keep the exact duration
        want = int(round(self.frames_in * self.to_hz / self.from_hz))
        ready = np.concatenate([self._held, *out]).astype(np.float32, copy=False)
        room = want - self.frames_out
        self._held = ready[room:] if not final else np.zeros(0, np.float32)
        ready = ready[:room]
        if final and ready.size < room:
            ready = np.concatenate([ready, np.zeros(room - ready.size, np.float32)])
        self.frames_out += ready.size
        return np.ascontiguousarray(ready)


def resample(samples: np.ndarray, from_hz: int, to_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Mono float32 samples at `to_hz` (libswresample through PyAV: band-limited, not linear)."""
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    if from_hz == to_hz or samples.size == 0:
        return samples
    resampler = _Resampler(from_hz, to_hz)
    return np.concatenate([resampler.feed(samples), resampler.finish()])


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
