"""Where to cut a long file into windows that are decoded one after another, so transcribing it needs the
memory of one window whatever its length: in the longest pause near each window's end."""

from __future__ import annotations

import numpy as np

from .speech import FRAME_SAMPLES, frame_levels_db

# A file up to this long is decoded whole, exactly as before: every answer and probe reply is shorter (an
# answer's target tops out near 220 s). Longer audio costs the memory of this much, not of the file.
WINDOW_S = 300.0
CUT_SEARCH_S = 30.0  # the cut is placed in the longest pause within the window's last this-many seconds
# A frame this close to the stretch's quietest is a pause. Relative to the stretch itself, not to a noise floor
# taken from percentiles: a fast talker's 30 s may hold too few pauses for a percentile to find the floor.
QUIET_WITHIN_DB = 10.0


def window_cut(samples: np.ndarray, search_samples: int) -> int:
    """The sample at which to end a window over `samples`: the middle of the longest quiet run in the last
    `search_samples`, so no word is cut in two (with no pause at all, the quietest moment)."""
    first = max(0, samples.size - search_samples)
    levels = frame_levels_db(samples[first:])
    if not levels:
        return samples.size
    quiet = np.asarray(levels) < min(levels) + QUIET_WITHIN_DB
    best_len, best_mid, run = 0, -1, 0
    for i, q in enumerate(quiet):
        run = run + 1 if q else 0
        if run >= best_len:  # of equal pauses the latest, for the longest window
            best_len, best_mid = run, i - run // 2
    return first + best_mid * FRAME_SAMPLES + FRAME_SAMPLES // 2
