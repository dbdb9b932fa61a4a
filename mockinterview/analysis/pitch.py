"""Pitch and level over time from the recorded audio, with swift-f0 (a 135 KB ONNX pitch tracker on the
onnxruntime the speech model already needs): whole files with `track_pitch`, or block by block while the
answer is recorded with `PitchFollower`, so nothing is left to do when the candidate stops.

bench/pitch.py compares it with librosa's pYIN and YIN (accuracy on known tones, espeak-ng takes, cost).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ

FRAME_S = 256 / SAMPLE_RATE_HZ  # swift-f0's hop: 16 ms
FMIN_HZ, FMAX_HZ = 65.0, 500.0  # adult speaking voices; a narrower band means fewer octave slips
VOICED_CONFIDENCE = 0.5  # swift-f0 calibrates its confidence so that 0.5 means voiced
PUSH_EVERY_S = 1.0  # the follower runs the model on a second of audio at a time, not every 0.1 s block
TRACKER = "swift-f0"

_detector: Any = None
_detector_lock = threading.Lock()


@dataclass(frozen=True, eq=False)
class PitchFrames:
    """One row per 16 ms frame: its centre time, f0 (NaN when unvoiced) and the level of the 32 ms
    around it in dBFS (RMS)."""

    times_s: np.ndarray
    f0_hz: np.ndarray
    level_dbfs: np.ndarray

    @property
    def duration_s(self) -> float:
        return float(self.times_s[-1] + FRAME_S) if self.times_s.size else 0.0

    @staticmethod
    def empty() -> PitchFrames:
        return PitchFrames(np.zeros(0), np.zeros(0), np.zeros(0))


def track_pitch(samples: np.ndarray, sample_rate_hz: int = SAMPLE_RATE_HZ) -> PitchFrames:
    """The whole recording at once (the `score` command; a file answer)."""
    _check_rate(sample_rate_hz)
    if samples.size == 0:
        return PitchFrames.empty()
    result = _get_detector().detect(np.asarray(samples, dtype=np.float32), SAMPLE_RATE_HZ, fmin=FMIN_HZ, fmax=FMAX_HZ)
    return _frames(result)


class PitchFollower:
    """Fed the recording's blocks as they arrive (from the recording thread); `frames()` is the track so
    far, `finish()` the whole track once the answer ended. Equal to `track_pitch` of the same audio."""

    def __init__(self, sample_rate_hz: int = SAMPLE_RATE_HZ) -> None:
        _check_rate(sample_rate_hz)
        self._stream = _get_detector().stream(fmin=FMIN_HZ, fmax=FMAX_HZ)
        self._pending: list[np.ndarray] = []
        self._pending_n = 0
        self._parts: list[PitchFrames] = []
        self._lock = threading.Lock()
        self._done: PitchFrames | None = None

    def feed(self, block: np.ndarray) -> None:
        with self._lock:
            if self._done is not None or block.size == 0:
                return
            self._pending.append(np.asarray(block, dtype=np.float32).reshape(-1))
            self._pending_n += block.size
            if self._pending_n >= PUSH_EVERY_S * SAMPLE_RATE_HZ:
                self._push()

    def frames(self) -> PitchFrames:
        with self._lock:
            return self._done if self._done is not None else _join(self._parts)

    def finish(self) -> PitchFrames:
        with self._lock:
            if self._done is None:
                self._push()
                self._parts.append(_frames(self._stream.flush()))
                self._done = _join(self._parts)
            return self._done

    def _push(self) -> None:
        if self._pending:
            self._parts.append(_frames(self._stream.push(np.concatenate(self._pending), SAMPLE_RATE_HZ)))
            self._pending, self._pending_n = [], 0


def semitones(f0_hz: np.ndarray, reference_hz: float) -> np.ndarray:
    """f0 in semitones re: `reference_hz`, with octave slips folded back: a tracker now and then reads
    half or double the true f0 (seen on espeak-ng's female voice), a 12-semitone jump no voice makes
    within a sentence, and one that would swamp the spread."""
    st = 12.0 * np.log2(f0_hz / reference_hz)
    st = np.where(st > 8.0, st - 12.0, st)
    st = np.where(st < -8.0, st + 12.0, st)
    return st


def _check_rate(sample_rate_hz: int) -> None:
    if sample_rate_hz != SAMPLE_RATE_HZ:  # every source is converted to 16 kHz on the way in (audio/clip.py)
        raise ValueError(f"pitch tracking takes {SAMPLE_RATE_HZ} Hz audio, not {sample_rate_hz} Hz")


def _get_detector() -> Any:
    global _detector
    with _detector_lock:
        if _detector is None:
            from swift_f0 import SwiftF0  # onnxruntime: imported only when audio is analysed

            # Two threads and no spinning: the speech model shares the two cores and must not be starved.
            _detector = SwiftF0(threads=2, spin=False)
        return _detector


def _frames(result: Any) -> PitchFrames:
    voiced = result.confidence >= VOICED_CONFIDENCE
    return PitchFrames(np.asarray(result.timestamps, dtype=np.float64),
                       np.where(voiced, result.pitch_hz, np.nan),
                       np.asarray(result.loudness_db, dtype=np.float64))


def _join(parts: list[PitchFrames]) -> PitchFrames:
    if not parts:
        return PitchFrames.empty()
    return PitchFrames(*(np.concatenate([getattr(p, name) for p in parts]) for name in ("times_s", "f0_hz", "level_dbfs")))
