"""Record one answer from a Microphone to a crash-safe WAV, until Enter, silence, a time limit or Ctrl-C.

    recorder = Recorder(mic, "take.wav", stop_on_silence_s=3, max_s=180)
    # another thread (a key listener) may call recorder.stop(); a UI may read level_dbfs/elapsed_s
    recording = recorder.run(on_block=lambda r: meter.update(r.level_dbfs, r.elapsed_s))

Silence is judged relative to the noise floor (a low percentile of the recent block levels), so
the same setting works on a quiet headset and in a noisy room; it only counts once speech began,
so thinking before the first word does not end the answer (unless `no_speech_stop_s` passes with no
word at all: a muted or dead input). In a room louder than LOUD_DBFS nothing
is ever quiet: there only Enter and max_s end the answer.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

import numpy as np

from ..errors import DeviceError
from .clock import Clock, SystemClock
from .microphone import SILENCE_DBFS, Microphone, level_dbfs
from .wavwriter import WavWriter

EndReason = Literal["enter", "silence", "max", "interrupt", "end"]  # "end": a file source ran out

SPEECH_MARGIN_DB = 12.0  # a block this far above the noise floor is speech
MIN_SPEECH_S = 0.2  # this much loud audio in a row starts the answer (a click or a cough does not)
LOWEST_FLOOR_DBFS = -80.0  # a very quiet room must not make every hiss count as speech
DIGITAL_SILENCE_DBFS = -100.0  # exact zeros: no room noise at all, so they say nothing about the room
FLOOR_WINDOW_BLOCKS = 300  # the floor follows the last ~30 s, so a fan switching on is learnt
# A block this loud is speech whatever the floor says: with no room noise at all (a virtual device, a
# synthetic voice) or a voice under automatic gain control, the low percentile is speech itself.
LOUD_DBFS = -30.0
NO_AUDIO_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Recording:
    path: Path
    duration_s: float
    ended_by: EndReason
    sample_rate_hz: int
    heard_speech: bool  # the level rose above the noise floor for long enough to count as talking
    max_level_dbfs: float  # loudest block
    noise_floor_dbfs: float  # the level the silence judgement used
    signalled: bool = False  # ended by Ctrl-C (SIGINT), not by a key: the caller exits 130


class SpeechDetector:
    """Energy-based: is each block speech, has speech started, how long has it been quiet since."""

    def __init__(self, sample_rate_hz: int, margin_db: float = SPEECH_MARGIN_DB, min_speech_s: float = MIN_SPEECH_S) -> None:
        self.sample_rate_hz = sample_rate_hz
        self.margin_db = margin_db
        self.min_speech_s = min_speech_s
        self.speech_started = False
        self.silence_s = 0.0  # quiet audio since the last speech (only once speech started)
        self.max_level_dbfs = SILENCE_DBFS
        self._levels: deque[float] = deque(maxlen=FLOOR_WINDOW_BLOCKS)
        self._loud_run_s = 0.0

    @property
    def noise_floor_dbfs(self) -> float:
        if not self._levels:
            return LOWEST_FLOOR_DBFS
        return max(LOWEST_FLOOR_DBFS, float(np.percentile(self._levels, 10)))

    @property
    def threshold_dbfs(self) -> float:
        """Blocks at least this loud count as speech."""
        return min(self.noise_floor_dbfs + self.margin_db, LOUD_DBFS)

    def feed(self, block: np.ndarray, level: float | None = None) -> bool:
        """Account for one block; True if it counts as speech."""
        level = level_dbfs(block) if level is None else level
        block_s = block.size / self.sample_rate_hz
        if level > DIGITAL_SILENCE_DBFS:
            self._levels.append(level)
        self.max_level_dbfs = max(self.max_level_dbfs, level)
        loud = level >= self.threshold_dbfs
        if loud:
            self._loud_run_s += block_s
            self.silence_s = 0.0
            if self._loud_run_s >= self.min_speech_s:
                self.speech_started = True
        else:
            self._loud_run_s = 0.0
            if self.speech_started:
                self.silence_s += block_s
        return loud


class Recorder:
    def __init__(
        self,
        microphone: Microphone,
        out_path: str | os.PathLike[str],
        clock: Clock | None = None,
        *,
        stop_on_silence_s: float | None = None,
        max_s: float | None = None,
        no_audio_timeout_s: float = NO_AUDIO_TIMEOUT_S,
        no_speech_stop_s: float | None = None,
    ) -> None:
        if stop_on_silence_s is not None and stop_on_silence_s <= 0:
            raise ValueError(f"stop_on_silence_s must be positive, not {stop_on_silence_s}")
        if max_s is not None and max_s <= 0:
            raise ValueError(f"max_s must be positive, not {max_s}")
        if no_speech_stop_s is not None and no_speech_stop_s <= 0:
            raise ValueError(f"no_speech_stop_s must be positive, not {no_speech_stop_s}")
        self.microphone = microphone
        self.out_path = Path(out_path)
        self.clock = clock or SystemClock()
        self.stop_on_silence_s = stop_on_silence_s
        self.max_s = max_s
        self.no_audio_timeout_s = no_audio_timeout_s
        self.no_speech_stop_s = no_speech_stop_s  # a muted or dead input: stop when no word came this long
        self.detector = SpeechDetector(microphone.sample_rate_hz)
        self._frames = 0
        self._stop_requested = threading.Event()
        self._stop_reason: EndReason = "enter"

    @property
    def elapsed_s(self) -> float:
        """Audio recorded so far (what is in the file, not wall time)."""
        return self._frames / self.microphone.sample_rate_hz

    @property
    def level_dbfs(self) -> float:
        return self.microphone.level_dbfs

    @property
    def speech_started(self) -> bool:
        return self.detector.speech_started

    def stop(self, reason: EndReason = "enter") -> None:
        """End the recording after the current block; safe to call from another thread."""
        self._stop_reason = reason
        self._stop_requested.set()

    def run(self, on_block: Callable[[Recorder], None] | None = None) -> Recording:
        """Record until a stop; starts and stops the microphone. Ctrl-C ends it with ended_by="interrupt"."""
        rate_hz = self.microphone.sample_rate_hz
        max_frames = None if self.max_s is None else int(round(self.max_s * rate_hz))
        ended_by: EndReason = "enter"
        signalled = False
        self.microphone.start()  # first, so a missing device leaves no empty file behind
        try:
            writer = WavWriter(self.out_path, rate_hz)
        except BaseException:
            self.microphone.stop()
            raise
        try:
            last_audio_s = self.clock.now_s()
            while True:
                if self._stop_requested.is_set():
                    ended_by = self._stop_reason
                    break
                block = self.microphone.read(timeout_s=0.1)
                if block is None:
                    ended_by = "end"
                    break
                if block.size == 0:
                    if self.clock.now_s() - last_audio_s > self.no_audio_timeout_s:
                        raise DeviceError(
                            f'input device "{self.microphone.name}" delivered no audio for {self.no_audio_timeout_s:g} s'
                        )
                    continue
                last_audio_s = self.clock.now_s()
                if max_frames is not None and self._frames + block.size >= max_frames:
                    block = block[: max_frames - self._frames]
                    ended_by = "max"
                writer.write(block)
                self._frames += block.size
                self.detector.feed(block)
                if on_block is not None:
                    on_block(self)
                    last_audio_s = self.clock.now_s()  # a UI may have paused the microphone in there
                if ended_by == "max":
                    break
                if self.stop_on_silence_s is not None and self.detector.silence_s >= self.stop_on_silence_s:
                    ended_by = "silence"
                    break
                if self.no_speech_stop_s is not None and not self.detector.speech_started \
                        and self.elapsed_s >= self.no_speech_stop_s:
                    ended_by = "silence"
                    break
        except KeyboardInterrupt:
            ended_by, signalled = "interrupt", True
        finally:
            try:
                self.microphone.stop()
            finally:
                writer.close()
        return Recording(
            path=self.out_path,
            duration_s=self.elapsed_s,
            ended_by=ended_by,
            sample_rate_hz=rate_hz,
            heard_speech=self.detector.speech_started,
            max_level_dbfs=self.detector.max_level_dbfs,
            noise_floor_dbfs=self.detector.noise_floor_dbfs,
            signalled=signalled,
        )
