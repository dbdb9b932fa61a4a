"""A WAV file that is valid on disk after every block, so a crash, kill or Ctrl-C keeps the answer.

Python's `wave` module rewrites the header sizes after each `writeframes`; flushing right after
puts both the samples and the new header in the OS page cache, which survives SIGKILL (fsync,
every few seconds, is only for power loss). Samples are 16-bit PCM: what a microphone gives is
far below its 96 dB range, and every reader knows it.
"""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from ..errors import AudioError
from .clip import SAMPLE_RATE_HZ

_FSYNC_EVERY_S = 2.0


class WavWriter:
    """Append float32 mono blocks to a 16-bit WAV; `close()` (or the `with` block) ends it."""

    def __init__(self, path: str | os.PathLike[str], sample_rate_hz: int = SAMPLE_RATE_HZ) -> None:
        self.path = Path(path)
        self.sample_rate_hz = sample_rate_hz
        self.frames_written = 0
        self._unsynced_frames = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "wb")
        except OSError as exc:
            raise AudioError(f"{self.path}: cannot create ({exc.strerror or exc})") from exc
        self._wav = wave.open(self._file, "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate_hz)
        self._write(np.zeros(0, np.float32))  # a valid, empty WAV exists from the start

    @property
    def duration_s(self) -> float:
        return self.frames_written / self.sample_rate_hz

    def write(self, block: np.ndarray) -> None:
        self._write(np.asarray(block, dtype=np.float32).reshape(-1))

    def _write(self, block: np.ndarray) -> None:
        pcm = (np.clip(block, -1.0, 1.0) * 32767.0).round().astype("<i2")
        try:
            self._wav.writeframes(pcm.tobytes())  # also patches the header sizes
            self._file.flush()
            self.frames_written += pcm.size
            self._unsynced_frames += pcm.size
            if self._unsynced_frames >= _FSYNC_EVERY_S * self.sample_rate_hz:
                os.fsync(self._file.fileno())
                self._unsynced_frames = 0
        except OSError as exc:
            raise AudioError(f"{self.path}: cannot write ({exc.strerror or exc})") from exc

    def close(self) -> None:
        if self._file.closed:
            return
        try:
            self._wav.close()
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise AudioError(f"{self.path}: cannot finish the file ({exc.strerror or exc})") from exc
        finally:
            self._file.close()

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
