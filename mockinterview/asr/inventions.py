"""The one guard against words Whisper invents, used by every path that decodes: whole-file, each
streaming chunk (it decodes through the same Transcriber) and the repair re-decodes.

What it drops, each seen on our fixtures under one CPU kernel or another (CTranslate2 picks its kernel
by processor, and the kernel changes the decode: CT2_FORCE_CPU_ISA=AVX2 ends the weak-we answer with
"Thank you very much." twice in zero-length words, AVX512 with one "Thank", GENERIC with nothing):
- squeezed words: several words at one instant (three or more in under SQUEEZED_S_PER_WORD each, or a
  burst of BURST_WORDS in under BURST_S_PER_WORD each). A lone zero-length word ("I") is a real word
  whose time the aligner could not place, and stays.
- words over silence: no speech frame (by frame energy, asr/speech.py) under a word or near it.
- Whisper's known closings and silence fillers ("Thank you", "Thank you very much", "Thanks for
  watching", a lone "you"), when a segment is made of nothing else.
- a segment that repeats the one before it word for word (Whisper's repeat loop).
- a short segment Whisper itself doubts is speech (no_speech_prob) lying mostly over quiet.
Each drop is logged at debug level with its reason, and returned, so a surprising transcript can be
explained.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ
from .speech import FLOOR_WINDOW_S, FRAME_S, FRAME_SAMPLES, frame_levels_db, speech_mask
from .transcript import Segment, Word

log = logging.getLogger(__name__)

SQUEEZED_WORDS = 3  # this many words or more...
SQUEEZED_S_PER_WORD = 0.04  # ...in less than this each are one instant: never spoken
BURST_WORDS = 8  # a longer run...
BURST_S_PER_WORD = 0.08  # ...at over 750 words a minute was never said either
SILENCE_MARGIN_S = 0.2  # word times are approximate: look this far around a word for its speech
KNOWN_INVENTIONS = ("thank you very much", "thank you so much", "thank you for watching", "thanks for watching",
                    "thank you", "thanks", "thank", "you", "bye")
DOUBTED_NO_SPEECH_PROB = 0.5  # over this Whisper itself doubts the segment is speech...
DOUBTED_MAX_WORDS = 6  # ...and a short one...
DOUBTED_VOICED_SHARE = 0.3  # ...lying mostly over quiet is its sign-off on a quiet end
MIN_REPEAT_WORDS = 2


@dataclass(frozen=True)
class Dropped:
    reason: str
    words: tuple[Word, ...]


def speech_frames(samples: np.ndarray) -> np.ndarray:
    """Per FRAME_S frame: speech or not, each half minute judged against its own floor and loud level."""
    levels = frame_levels_db(samples)
    block = int(FLOOR_WINDOW_S / FRAME_S)
    parts = [speech_mask(levels, a, min(len(levels), a + block)) for a in range(0, len(levels), block)]
    return np.concatenate(parts) if parts else np.zeros(0, bool)


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9']", "", text.lower())


def squeezed_words(words: Sequence[Word]) -> set[int]:
    """Indexes of words in a run too tight to have been spoken (see the module docstring)."""
    out: set[int] = set()
    for run, per_word_s in ((SQUEEZED_WORDS, SQUEEZED_S_PER_WORD), (BURST_WORDS, BURST_S_PER_WORD)):
        for i in range(len(words) - run + 1):
            j = i + run - 1
            if words[j].end_s - words[i].start_s < per_word_s * run:
                out.update(range(i, j + 1))
    return out


def is_known_invention(words: Sequence[Word]) -> bool:
    """The words are only Whisper's closings and fillers, once or repeated ("Thank you. Thank you.")."""
    text = " ".join(n for n in (norm(w.text) for w in words) if n)
    if not text:
        return True
    pattern = "|".join(re.escape(k) for k in KNOWN_INVENTIONS)
    return re.fullmatch(rf"(?:(?:{pattern})\s*)+", text) is not None


def over_silence(word: Word, mask: np.ndarray, first: int = 0) -> bool:
    """No speech frame under the word or within SILENCE_MARGIN_S of it (`mask` starts at sample `first`)."""
    lo = int((word.start_s - SILENCE_MARGIN_S) * SAMPLE_RATE_HZ - first) // FRAME_SAMPLES
    hi = int((word.end_s + SILENCE_MARGIN_S) * SAMPLE_RATE_HZ - first) // FRAME_SAMPLES + 1
    return not mask[max(0, lo) : max(0, hi)].any()


def voiced_share(words: Sequence[Word], mask: np.ndarray, first: int = 0) -> float:
    lo = max(0, int(words[0].start_s * SAMPLE_RATE_HZ - first) // FRAME_SAMPLES)
    hi = max(lo + 1, int(words[-1].end_s * SAMPLE_RATE_HZ - first) // FRAME_SAMPLES + 1)
    part = mask[lo:hi]
    return float(part.mean()) if part.size else 0.0


def without_inventions(segments: Sequence[Segment], mask: np.ndarray, first: int = 0,
                       before: Sequence[Segment] = ()) -> tuple[list[Segment], list[Dropped]]:
    """The segments without invented words, and what was dropped and why. `mask` is the speech mask
    (speech_frames) from sample `first`; a mask with no speech at all (steady noise, too little audio to
    judge) says nothing about silence, so that check is skipped. `before`: segments already kept before
    these (streaming), for the repeat check."""
    dropped: list[Dropped] = []

    def drop(reason: str, words: Sequence[Word]) -> None:
        dropped.append(Dropped(reason, tuple(words)))
        log.debug("dropped %r (%.2f-%.2f s): %s", " ".join(w.text for w in words), words[0].start_s,
                  words[-1].end_s, reason)

    words = [w for s in segments for w in s.words]
    squeezed = {id(words[i]) for i in squeezed_words(words)}
    judge_silence = mask.size > 0 and bool(mask.any())
    kept: list[Segment] = []
    previous = [norm(w.text) for w in before[-1].words] if before else []
    for seg in segments:
        own = [w for w in seg.words if id(w) in squeezed]
        if own:
            drop("squeezed into an instant", own)
        left = [w for w in seg.words if id(w) not in squeezed]
        if judge_silence:
            silent = [w for w in left if over_silence(w, mask, first)]
            if silent:
                drop("over silence", silent)
                left = [w for w in left if all(w is not x for x in silent)]
        if not left:
            continue
        if is_known_invention(left):
            drop("a known closing or filler", left)
            continue
        norms = [norm(w.text) for w in left]
        if len(norms) >= MIN_REPEAT_WORDS and norms == previous:
            drop("repeats the segment before", left)
            continue
        if (seg.no_speech_prob > DOUBTED_NO_SPEECH_PROB and len(left) <= DOUBTED_MAX_WORDS and judge_silence
                and voiced_share(left, mask, first) < DOUBTED_VOICED_SHARE):
            drop("doubted by Whisper and mostly quiet", left)
            continue
        previous = norms
        kept.append(seg if len(left) == len(seg.words) else
                    replace(seg, words=tuple(left), text=" ".join(w.text for w in left),
                            start_s=left[0].start_s, end_s=left[-1].end_s))
    return kept, dropped
