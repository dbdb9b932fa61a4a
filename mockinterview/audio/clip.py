"""A piece of audio in memory: mono float32 samples in [-1, 1] and their rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE_HZ = 16_000  # what Whisper expects; everything is converted to this on the way in


@dataclass(frozen=True, eq=False)
class AudioClip:
    samples: np.ndarray  # shape (n,), float32
    sample_rate_hz: int = SAMPLE_RATE_HZ

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate_hz

    def slice_s(self, start_s: float, end_s: float) -> AudioClip:
        a = max(0, int(round(start_s * self.sample_rate_hz)))
        b = max(a, int(round(end_s * self.sample_rate_hz)))
        return AudioClip(self.samples[a:b], self.sample_rate_hz)
