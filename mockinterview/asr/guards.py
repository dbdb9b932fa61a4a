"""Guards against Whisper's known failure modes on live chunks, as pure functions of a decoded segment
and the speech mask under it: edge repeats, prompt leaks, words invented on silence or with collapsed
times, sign-offs on a quiet end, repeat loops, and clauses skipped under a stretched word."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ
from .chunking import LEAD_PAD_S
from .inventions import norm, voiced_share
from .speech import FRAME_S, FRAME_SAMPLES
from .transcript import Segment, Word

EDGE_OVERLAP_S = 0.3  # a repeated word starting this soon after the committed end is the same word
COLLAPSED_WORD_S = 0.05  # mean word length below this: the aligner found no audio for the words
SHORT_SEGMENT_WORDS = 6  # a sign-off hallucination is a short segment...
MIN_VOICED_SHARE = 0.3  # ...lying mostly over quiet (real words are voiced most of their length)
COVER_SLACK_S = 0.4  # a word's times cover the speech this far around it (the aligner is approximate)
MAX_WORD_S = 1.5  # no spoken word lasts longer
UNHEARD_S = 0.6  # this much speech under no word (within UNHEARD_SPAN_S) is a skipped clause, not a filler's tail
UNHEARD_SPAN_S = 1.5


def guard(seg: Segment, mask: np.ndarray, first: int, prompt_words: set[str],
          before: list[Segment]) -> tuple[Segment | None, str]:
    """The segment without what it should not have, or (None, why it was dropped). `mask` is the speech
    mask from sample `first`; `before`: the last segments committed, then those kept from this decode."""
    words = list(seg.words)
    previous = [w for s in before for w in s.words][-3:]
    if previous:  # the same word on both sides of a cut made by word times
        for k in range(min(3, len(words), len(previous)), 0, -1):
            tail = previous[-k:]
            if [norm(w.text) for w in words[:k]] == [norm(w.text) for w in tail] and \
                    words[0].start_s < tail[-1].end_s + EDGE_OVERLAP_S:
                words = words[k:]
                break
    if not words:
        return None, "repeat at the cut"
    norms = [norm(w.text) for w in words]
    if all(n in prompt_words or not n for n in norms) and no_speech_under(words, mask, first, loose=True):
        return None, "prompt leak"  # prompt text echoed on a breath or a click
    if no_speech_under(words, mask, first, loose=False):
        return None, "no speech under it"  # invented on silence
    if sum(w.end_s - w.start_s for w in words) < COLLAPSED_WORD_S * len(words):
        return None, "collapsed word times"  # the aligner found no audio for the words
    if len(words) <= SHORT_SEGMENT_WORDS and mask.any() and voiced_share(words, mask, first) < MIN_VOICED_SHARE:
        return None, "short and mostly quiet"  # "Thank you.": Whisper's sign-off on a chunk's quiet end
    if before and len(norms) >= 4 and norms == [norm(w.text) for w in before[-1].words]:
        return None, "repeats the last sentence"  # Whisper's repeat loop
    if len(words) == len(seg.words):
        return seg, ""
    return replace(seg, words=tuple(words), text=" ".join(w.text for w in words), start_s=words[0].start_s), ""


def first_unheard(segments: Sequence[Segment], mask: np.ndarray, first: int, end: int) -> int | None:
    """Where to cut before the first stretch of speech (per the energy mask) that no word covers: after
    the last word before it, and no later than LEAD_PAD_S before it. None if the words cover it all."""
    f0 = first // FRAME_SAMPLES
    n = min(mask.size, max(0, -(-end // FRAME_SAMPLES) - f0))
    words = [w for seg in segments for w in seg.words]
    covered = covered_frames(words, n, f0)
    unheard = np.flatnonzero(mask[:n] & ~covered)
    need, span = int(UNHEARD_S / FRAME_S), int(UNHEARD_SPAN_S / FRAME_S)
    for i in range(unheard.size - need + 1):
        if unheard[i + need - 1] - unheard[i] < span:
            gap_s = ((f0 + unheard[i]) * FRAME_SAMPLES) / SAMPLE_RATE_HZ
            before = [w.end_s for w in words if w.end_s <= gap_s]
            cut_s = max(before[-1] if before else 0.0, gap_s - LEAD_PAD_S)
            return max(first, int(cut_s * SAMPLE_RATE_HZ))
    return None


def covered_frames(words: Sequence[Word], n: int, first_frame: int = 0) -> np.ndarray:
    """Per FRAME_S frame from `first_frame`, n of them: does a word's time (with COVER_SLACK_S) cover it."""
    covered = np.zeros(n, bool)
    for w in words:
        # a word stretched over seconds (Whisper's way of skipping a clause) covers only its ends
        spans = [(w.start_s, w.end_s)] if w.end_s - w.start_s <= MAX_WORD_S else \
            [(w.start_s, w.start_s + MAX_WORD_S / 2), (w.end_s - MAX_WORD_S / 2, w.end_s)]
        for a_s, b_s in spans:
            lo = int((a_s - COVER_SLACK_S) * SAMPLE_RATE_HZ) // FRAME_SAMPLES - first_frame
            hi = int((b_s + COVER_SLACK_S) * SAMPLE_RATE_HZ) // FRAME_SAMPLES - first_frame + 1
            covered[max(0, lo) : max(0, hi)] = True
    return covered


def no_speech_under(words: Sequence[Word], mask: np.ndarray, first: int, *, loose: bool) -> bool:
    """No speech frame under the words' span (widened by 0.2 s: word times are approximate). `loose`
    asks for only a trace of speech (a breath or click that made Whisper echo its prompt)."""
    lo = int((words[0].start_s - 0.2) * SAMPLE_RATE_HZ - first) // FRAME_SAMPLES
    hi = int((words[-1].end_s + 0.2) * SAMPLE_RATE_HZ - first) // FRAME_SAMPLES + 1
    voiced = int(mask[max(0, lo) : max(0, hi)].sum())
    return voiced < (int(0.25 / FRAME_S) if loose else 1)


def norm_words(text: str) -> set[str]:
    return {n for n in (norm(t) for t in text.split()) if n}
