"""Speech that a whole-file decode left without words, found and decoded again.

Two failure modes of Whisper's 30 s windows, both seen on our fixtures:
- A whole window skipped: when a window's first decode scores below Whisper's log-probability rule and
  its no-speech probability is just over 0.6, faster-whisper drops the window and seeks 30 s on (the
  long-Situation fixture lost 34 s of speech that way: no_speech_prob 0.61).
- A burst of invented words squeezed into an instant at a window's edge ("I got over a bunch of
  dollars" twice, 30 words in 1.6 s on the second voice), where the speech under it went unheard.

Both leave speech (by frame energy) that no believable word covers. Such a stretch is decoded again on
its own, from the word before it to the word after it, with the no-speech rule off (the energy says it
is speech), and its words are put in place. Squeezed bursts are removed first (asr/inventions.py, the
guard every decode passes), and the new decode passes the same guard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ
from .guards import COVER_SLACK_S, covered_frames
from .inventions import speech_frames, without_inventions
from .speech import FRAME_S, FRAME_SAMPLES
from .transcript import Segment, Word

UNHEARD_MIN_S = 1.0  # this much speech with no word on it is a skipped clause, not a breath
UNHEARD_JOIN_S = 0.5  # unheard speech frames this close together are one stretch
EDGE_PAD_S = 0.2  # decode from a little before the stretch (word times are approximate)

Decode = Callable[[np.ndarray], Sequence[Segment]]  # 16 kHz samples -> segments timed from their start


def unheard_stretches(words: Sequence[Word], mask: np.ndarray) -> list[tuple[float, float]]:
    """(start_s, end_s) of each stretch with UNHEARD_MIN_S or more of speech frames under no word."""
    covered = covered_frames(words, mask.size)
    unheard = np.flatnonzero(mask & ~covered)
    out: list[tuple[float, float]] = []
    if unheard.size == 0:
        return out
    groups = np.split(unheard, np.flatnonzero(np.diff(unheard) > UNHEARD_JOIN_S / FRAME_S) + 1)
    for g in groups:
        if g.size * FRAME_S >= UNHEARD_MIN_S:
            out.append((g[0] * FRAME_S, (g[-1] + 1) * FRAME_S))
    return out


def repaired(segments: Sequence[Segment], samples: np.ndarray, decode: Decode,
             mask: np.ndarray | None = None) -> list[Segment]:
    """The segments (already guarded: asr/inventions.py) with every unheard stretch decoded again, passed
    through the same guard, and put in place. `mask`: speech_frames(samples), if the caller has it."""
    kept = list(segments)
    words = [w for s in kept for w in s.words]
    mask = speech_frames(samples) if mask is None else mask
    duration_s = samples.size / SAMPLE_RATE_HZ
    ranges: list[tuple[float, float]] = []  # stretches between the same two words are decoded once
    for start_s, end_s in unheard_stretches(words, mask):
        lo_s = max([w.end_s for w in words if w.end_s <= start_s + COVER_SLACK_S] + [0.0])
        hi_s = min([w.start_s for w in words if w.start_s >= end_s - COVER_SLACK_S] + [duration_s])
        lo_s = max(0.0, min(lo_s, start_s - EDGE_PAD_S))
        if ranges and lo_s < ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(hi_s, ranges[-1][1]))
        else:
            ranges.append((lo_s, hi_s))
    added: list[Segment] = []
    for lo_s, hi_s in ranges:
        piece = samples[int(lo_s * SAMPLE_RATE_HZ) : int(hi_s * SAMPLE_RATE_HZ)]  # times from its start
        if piece.size < FRAME_SAMPLES:
            continue
        start = int(lo_s * SAMPLE_RATE_HZ)
        for seg in without_inventions(decode(piece), mask, first=-start)[0]:
            inside = tuple(_shifted(w, lo_s) for w in seg.words if lo_s + w.start_s < hi_s)
            if inside:
                added.append(replace(seg, words=inside, text=" ".join(w.text for w in inside),
                                     start_s=inside[0].start_s, end_s=inside[-1].end_s))
    if not added:
        return kept
    return sorted(kept + added, key=lambda s: s.start_s)


def _shifted(w: Word, offset_s: float) -> Word:
    return replace(w, start_s=round(w.start_s + offset_s, 3), end_s=round(w.end_s + offset_s, 3))
