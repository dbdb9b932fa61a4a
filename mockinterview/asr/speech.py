"""Speech detection for live transcription: frame energies, and which frames are speech judged against
the recent noise floor and loud level (so a quiet headset and a noisy room both work)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ

FRAME_S = 0.02  # energy frames: fine enough to place a cut inside a short pause
FRAME_SAMPLES = int(FRAME_S * SAMPLE_RATE_HZ)
FLOOR_WINDOW_S = 30.0  # the noise floor follows the last half minute
SPEECH_MARGIN_DB = 12.0  # a frame this far above the floor is speech...
LOUD_HEADROOM_DB = 15.0  # ...or this close below the loud level, whichever is lower (noisy rooms)
MIN_CONTRAST_DB = 10.0  # speech makes the level swing at least this much between words and pauses
_BLOCK_FRAMES = 3000  # one minute of frames


def frame_levels_db(samples: np.ndarray) -> list[float]:
    """The level of each whole FRAME_S of `samples`, in dB (a partial last frame waits for more audio)."""
    n = samples.size // FRAME_SAMPLES
    levels: list[float] = []
    for first in range(0, n, _BLOCK_FRAMES):  # a block at a time: a long file needs no float64 copy of itself
        last = min(n, first + _BLOCK_FRAMES)
        frames = samples[first * FRAME_SAMPLES : last * FRAME_SAMPLES].reshape(-1, FRAME_SAMPLES).astype(np.float64)
        levels.extend((10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)).tolist())
    return levels


def speech_mask(levels_db: Sequence[float], first: int, last: int) -> np.ndarray:
    """Per frame in [first, last): is it speech, judged against the floor and loud level before `last`."""
    window = int(FLOOR_WINDOW_S / FRAME_S)
    recent = np.asarray(levels_db[max(0, last - window) : last])
    heard = recent[recent > -100.0]  # digital zeros say nothing about the room
    if heard.size == 0:
        return np.zeros(last - first, bool)
    floor, loud = np.percentile(heard, 10), np.percentile(heard, 95)
    if loud - floor < MIN_CONTRAST_DB:
        return np.zeros(last - first, bool)  # steady noise or silence: nothing stands out as speech
    threshold = max(-70.0, min(floor + SPEECH_MARGIN_DB, loud - LOUD_HEADROOM_DB))
    return np.asarray(levels_db[first:last]) > threshold
