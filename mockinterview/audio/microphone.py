"""Where answers come from: a real microphone, or an audio file or clip that plays the part.

Every source delivers 16 kHz mono float32 blocks through the same small interface, so the
recorder and the interview flow never know which one they have:

    with mic:                       # start() ... stop()
        block = mic.read(timeout_s=0.1)   # samples; empty if none arrived in time; None at the end
        meter = mic.level_dbfs            # RMS of the last block, for a level meter
"""

from __future__ import annotations

import math
import os
import queue
from pathlib import Path
from typing import Any, Iterator, Protocol

import numpy as np

from ..errors import DeviceError
from .clip import SAMPLE_RATE_HZ, AudioClip
from .clock import Clock, SystemClock
from .devices import DeviceInfo, find_device, sounddevice

BLOCK_S = 0.1  # short enough for a lively meter and a quick stop, long enough to cost nothing
SILENCE_DBFS = -120.0  # what a block of digital zeros reports, instead of -inf


def level_dbfs(block: np.ndarray) -> float:
    """RMS level of a block in dB relative to full scale, floored at SILENCE_DBFS."""
    if block.size == 0:
        return SILENCE_DBFS
    rms = math.sqrt(float(np.mean(np.square(block, dtype=np.float64))))
    return max(SILENCE_DBFS, 20.0 * math.log10(rms)) if rms > 0 else SILENCE_DBFS


class Microphone(Protocol):
    name: str
    sample_rate_hz: int

    @property
    def level_dbfs(self) -> float: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def read(self, timeout_s: float = BLOCK_S) -> np.ndarray | None:
        """The next block (float32, mono); an empty array if none came within `timeout_s`;
        None once the source has ended (a file; a live microphone never ends)."""

    def __enter__(self) -> Microphone: ...

    def __exit__(self, *exc_info: object) -> None: ...


class _Source:
    """What every source shares: the with-block, the level of the last block, a block iterator."""

    name = "microphone"
    sample_rate_hz = SAMPLE_RATE_HZ
    _level_dbfs = SILENCE_DBFS

    @property
    def level_dbfs(self) -> float:
        return self._level_dbfs

    def _delivered(self, block: np.ndarray) -> np.ndarray:
        if block.size:
            self._level_dbfs = level_dbfs(block)
        return block

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def read(self, timeout_s: float = BLOCK_S) -> np.ndarray | None:
        raise NotImplementedError

    def blocks(self) -> Iterator[np.ndarray]:
        """Non-empty blocks until the source ends (forever, for a live microphone)."""
        while (block := self.read()) is not None:
            if block.size:
                yield block

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class ClipSource(_Source):
    """An AudioClip played as if it were the microphone, in real time (paced by `clock`) or at once."""

    def __init__(
        self,
        clip: AudioClip,
        *,
        realtime: bool = False,
        clock: Clock | None = None,
        block_s: float = BLOCK_S,
        name: str = "memory",
    ) -> None:
        if clip.sample_rate_hz != SAMPLE_RATE_HZ:
            raise ValueError(f"a microphone clip must be {SAMPLE_RATE_HZ} Hz, not {clip.sample_rate_hz} Hz")
        self.name = name
        self._samples = np.asarray(clip.samples, dtype=np.float32)
        self._realtime = realtime
        self._clock = clock or SystemClock()
        self._block = max(1, int(round(block_s * SAMPLE_RATE_HZ)))
        self._pos = 0
        self._started_s: float | None = None

    @classmethod
    def from_blocks(cls, blocks: list[np.ndarray], **kwargs: Any) -> ClipSource:
        samples = np.concatenate([np.asarray(b, np.float32).reshape(-1) for b in blocks]) if blocks else np.zeros(0, np.float32)
        return cls(AudioClip(samples), **kwargs)

    def start(self) -> None:
        # pretend the samples already delivered were played just now, so a paused file resumes in step
        self._started_s = self._clock.now_s() - self._pos / SAMPLE_RATE_HZ

    def stop(self) -> None:
        self._started_s = None

    def read(self, timeout_s: float = BLOCK_S) -> np.ndarray | None:
        if self._started_s is None:
            raise RuntimeError(f"{self.name}: read() before start()")
        if self._pos >= self._samples.size:
            return None
        end = min(self._pos + self._block, self._samples.size)
        if self._realtime:
            wait_s = self._started_s + end / SAMPLE_RATE_HZ - self._clock.now_s()
            if wait_s > timeout_s:
                self._clock.sleep(timeout_s)
                return np.zeros(0, np.float32)
            self._clock.sleep(wait_s)
        block = self._samples[self._pos : end]
        self._pos = end
        return self._delivered(block)


class FileSource(ClipSource):
    """An audio file (any format `read_audio` knows) as the microphone; real time by default."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        realtime: bool = True,
        clock: Clock | None = None,
        block_s: float = BLOCK_S,
    ) -> None:
        from .file import read_audio

        self.path = Path(path)
        super().__init__(read_audio(self.path), realtime=realtime, clock=clock, block_s=block_s, name=str(self.path))


class SoundDeviceMicrophone(_Source):
    """A real input device through sounddevice, 16 kHz mono.

    If the device refuses 16 kHz (some ALSA hardware does), it is opened at its own default rate
    and resampled here; `open_rate_hz` forces a rate, which is how the tests exercise that path.
    """

    def __init__(self, device: str | int | None = None, *, block_s: float = BLOCK_S, open_rate_hz: int | None = None) -> None:
        self._spec = device
        self._block_s = block_s
        self._open_rate_hz = open_rate_hz
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self._stream: Any = None
        self._resampler: _StreamResampler | None = None
        self.device: DeviceInfo | None = None
        self.name = str(device) if device is not None else "default input"
        self.overflows = 0  # blocks PortAudio dropped because we read too slowly

    def start(self) -> None:
        if self._stream is not None:
            return
        sd = sounddevice()
        self.device = find_device(self._spec, "input")
        self.name = self.device.name
        rate_hz = self._open_rate_hz or self._pick_rate(sd, self.device)
        self._resampler = _StreamResampler(rate_hz, SAMPLE_RATE_HZ) if rate_hz != SAMPLE_RATE_HZ else None
        self._queue = queue.Queue()

        def callback(indata: np.ndarray, frames: int, time: Any, status: Any) -> None:
            if status.input_overflow:
                self.overflows += 1
            self._queue.put(indata[:, 0].copy())

        try:
            self._stream = sd.InputStream(
                device=self.device.index,
                samplerate=rate_hz,
                channels=1,
                dtype="float32",
                blocksize=int(round(self._block_s * rate_hz)),
                callback=callback,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._stream = None
            raise DeviceError(f'input device {self.device.index} "{self.device.name}" cannot be opened ({exc})') from exc

    @staticmethod
    def _pick_rate(sd: Any, device: DeviceInfo) -> int:
        try:
            sd.check_input_settings(device=device.index, samplerate=SAMPLE_RATE_HZ, channels=1, dtype="float32")
            return SAMPLE_RATE_HZ
        except (sd.PortAudioError, ValueError):
            return device.default_sample_rate_hz

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except sounddevice().PortAudioError:
                pass  # a device that vanished cannot be stopped; there is nothing left to release

    def read(self, timeout_s: float = BLOCK_S) -> np.ndarray | None:
        if self._stream is None:
            raise RuntimeError(f"{self.name}: read() before start()")
        try:
            block = self._queue.get(timeout=timeout_s)
        except queue.Empty:
            return np.zeros(0, np.float32)
        if self._resampler is not None:
            block = self._resampler.process(block)
        return self._delivered(block)


class _StreamResampler:
    """Band-limited resampling of a stream, block by block, keeping the filter state between blocks."""

    def __init__(self, from_hz: int, to_hz: int) -> None:
        import av  # PyAV comes with faster-whisper

        self._av = av
        self._from_hz = from_hz
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=to_hz)

    def process(self, block: np.ndarray) -> np.ndarray:
        frame = self._av.AudioFrame.from_ndarray(np.ascontiguousarray(block, np.float32)[None, :], format="flt", layout="mono")
        frame.sample_rate = self._from_hz
        out = [f.to_ndarray()[0] for f in self._resampler.resample(frame)]
        return np.concatenate(out).astype(np.float32, copy=False) if out else np.zeros(0, np.float32)
