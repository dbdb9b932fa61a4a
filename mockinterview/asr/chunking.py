"""When to decode, as pure functions of the frame levels and positions (testable without a model):
where the next chunk ends (a cut in a pause, a forced cut in a long stretch, or wait), and which guess
or top-up to decode while an utterance is still open. Positions are sample indices from the first
sample; a negative chunk end means no pause to cut in (commit by word times)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ
from .speech import FRAME_S, FRAME_SAMPLES, speech_mask

LEAD_PAD_S = 0.3  # quiet kept before an utterance's first speech: Whisper needs the onset
MAX_CUT_WAIT_S = 0.8  # a trailing pause is cut at most half this far after the last speech
# A chunk closes in a pause once speech resumes, or once the quiet has lasted this long. Long enough
# that an answer ending here is finished from the quick top-up (below), not from a full decode of the
# chunk started just before the candidate stops.
SETTLE_S = 2.0
SPECULATE_EVERY_S = 2.0  # re-decode an open utterance once it has this much more audio
MIN_TOPUP_S = 0.5  # a pause's top-up decodes at least this much audio after the guess
MAX_SPECULATION_S = 3.0  # a guess expected to take longer than this (slow model, long utterance) is skipped


@dataclass(frozen=True)
class StreamingSettings:
    min_pause_s: float = 0.3  # a quiet run this long is a place to cut (sentence pauses are ~0.5 s)
    # A quiet this long after the last word already tops up the guess (the answer may have ended there):
    # a top-up takes ~0.45 s, and waiting for a full min_pause_s kept the report that much later. Only the
    # end of the answer uses such an "early" top-up: a chunk that closes later is committed as if it had none.
    topup_pause_s: float = 0.16
    # Long chunks, with the words before them as prompt: tiny.en decoding 1-5 s utterances with no
    # context invents words ("thank you for watching") and doubles the word error rate; 10-28 s with 40
    # words of context matches whole-file scoring (bench/streaming_accuracy.py).
    min_chunk_s: float = 10.0
    max_chunk_s: float = 28.0
    context_words: int = 40  # previous committed words after the prompt, as Whisper's own windows get them
    # Beam for guesses at the open utterance and for the tail after the end (they decide how soon the report
    # is ready). None: the transcriber's. Greedy (1) takes ~2/3 of beam 5's time but changes words of short
    # answers (a 15 s probe reply is all tail), so it is not the default.
    tail_beam_size: int | None = None
    # At a pause, an utterance whose guess covers at most this much is decoded whole again rather than
    # topped up. A decode costs about 0.33 s + 0.035 s per second of audio (tiny.en, 2 cores), so this
    # adds at most 0.14 s, and one decode transcribes better than a short guess plus a long top-up (a
    # noisy 9 s reflection topped up from a 2.4 s guess lost "shared webhook SLO").
    reguess_max_s: float = 4.0
    # While the speaker talks on with no pause, the audio after the last guess is decoded ("peek", shown
    # live) once this much of it has accumulated, so the live label and pace follow within a few seconds
    # instead of waiting for the sentence to end. A peek is committed only if the answer ends with nothing
    # said after it (then it is the last decode). None: no peeks.
    peek_every_s: float | None = 2.0
    max_backlog_s: float = 15.0  # audio waiting behind the chunk being decoded: beyond this the model is too slow
    poll_s: float = 0.1


class OpenUtterance(NamedTuple):
    first: int  # its first sample (with the lead-in)
    cut: int  # where it would be cut: the middle of its last pause
    pausing: bool  # that pause is still going on
    quiet_to: int = 0  # the last sample, if the speaker has been quiet for topup_pause_s but not min_pause_s


class ChunkPlan(NamedTuple):
    chunk: tuple[int, int] | None  # (first, end) to decode now; None: wait
    committed: int  # the commit point, moved past silence that needs no decode
    open: OpenUtterance | None  # the utterance still being spoken, when waiting


def plan_chunk(levels_db: Sequence[float], committed: int, frames: int, ending: bool,
               s: StreamingSettings) -> ChunkPlan:
    """The next audio to decode after `committed`, given the levels of the `frames` samples so far."""
    first_f = -(-committed // FRAME_SAMPLES)
    last_f = len(levels_db)
    if ending:  # everything left, in pieces no longer than max_chunk_s
        last_f = -(-frames // FRAME_SAMPLES)
    if last_f <= first_f:
        return ChunkPlan(None, committed, None)
    speech = speech_mask(levels_db, first_f, min(last_f, len(levels_db)))
    speech = np.concatenate([speech, np.ones(last_f - first_f - speech.size, bool)])  # a partial last frame counts
    if not speech.any():
        if ending:
            return ChunkPlan(None, frames, None)
        keep = int(LEAD_PAD_S / FRAME_S)
        if speech.size > keep:  # silence: nothing to decode, move on (keep the onset of what may follow)
            return ChunkPlan(None, (last_f - keep) * FRAME_SAMPLES, None)
        return ChunkPlan(None, committed, None)
    onset = int(np.argmax(speech))
    start_f = first_f + max(0, onset - int(LEAD_PAD_S / FRAME_S))
    start = start_f * FRAME_SAMPLES
    speech = speech[start_f - first_f :]
    pause = int(s.min_pause_s / FRAME_S)
    min_len, max_len = int(s.min_chunk_s / FRAME_S), int(s.max_chunk_s / FRAME_S)
    run, settled = 0, int(SETTLE_S / FRAME_S)
    for i, v in enumerate(speech[:max_len]):
        if not v:
            run += 1
            if run >= settled and i + 1 - run >= min_len:  # a long quiet: no need to see its end
                return ChunkPlan((start, (start_f + i + 1 - run // 2) * FRAME_SAMPLES), committed, None)
            continue
        if run >= pause and i - run >= min_len:  # cut in the middle of the pause that just ended
            return ChunkPlan((start, (start_f + i - run // 2) * FRAME_SAMPLES), committed, None)
        run = 0
    if speech.size > max_len:
        return ChunkPlan((start, forced_cut(start_f, speech, min_len, max_len)), committed, None)
    if ending:
        return ChunkPlan((start, frames), committed, None)
    last_cut, pausing = last_pause_cut(speech, pause)
    if not last_cut:
        return ChunkPlan(None, committed, None)
    quiet = trailing_quiet(speech)
    quiet_to = (start_f + speech.size) * FRAME_SAMPLES if int(s.topup_pause_s / FRAME_S) <= quiet < pause else 0
    return ChunkPlan(None, committed, OpenUtterance(start, (start_f + last_cut) * FRAME_SAMPLES, pausing, quiet_to))


def trailing_quiet(speech: np.ndarray) -> int:
    """Frames of quiet at the end of `speech`."""
    loud = np.flatnonzero(speech)
    return int(speech.size - 1 - loud[-1]) if loud.size else int(speech.size)


def forced_cut(start_f: int, speech: np.ndarray, min_len: int, max_len: int) -> int:
    """A long stretch with no real pause: cut in its longest quiet run, else at the window's end."""
    best, best_len, run = -1, 0, 0
    for i in range(min_len, max_len):
        run = 0 if speech[i] else run + 1
        if run > best_len:
            best, best_len = i - run // 2, run
    if best_len >= 3:  # 60 ms of quiet: a gap between words
        return (start_f + best) * FRAME_SAMPLES
    return -(start_f + max_len) * FRAME_SAMPLES  # negative: no gap, commit by word times


def last_pause_cut(speech: np.ndarray, pause: int) -> tuple[int, bool]:
    """Frame index in the middle of the last quiet run of at least `pause` frames after speech (0 if
    none), and whether that run is still going on at the end."""
    run, cut = 0, 0
    for i, v in enumerate(speech):
        if v:
            if run >= pause and i - run > 0:
                cut = i - run // 2
            run = 0
        else:
            run += 1
    if run >= pause and speech.size - run > 0:
        return speech.size - run + min(run, int(MAX_CUT_WAIT_S / FRAME_S)) // 2, True
    return cut, False


def peek_target(unheard_from: int, frames: int, peek: tuple[int, int] | None, s: StreamingSettings,
                real_time_factor: float) -> tuple[int, int] | None:
    """(first, end) of the audio to peek at, from `unheard_from` (where the words known so far end) to the
    last sample, or None. `peek` is the (first, end) of the last peek, which stands until the speaker has
    said `peek_every_s` more."""
    if s.peek_every_s is None:
        return None
    every = int(s.peek_every_s * SAMPLE_RATE_HZ)
    if frames - unheard_from < every:
        return None
    if peek is not None and peek[0] == unheard_from and frames - peek[1] < every:
        return None
    if _too_slow(real_time_factor, unheard_from, frames):
        return None
    return unheard_from, frames


def same_start(a: int, b: int) -> bool:
    """Two starts of the open utterance that differ only inside its lead-in (the onset judgement moves a
    little as the noise floor is learnt)."""
    return abs(a - b) <= LEAD_PAD_S * SAMPLE_RATE_HZ


def speculation_target(utterance: OpenUtterance | None, guess: tuple[int, int] | None,
                       topup: tuple[int, int] | None, committed: int, s: StreamingSettings,
                       real_time_factor: float, early: tuple[int, int] | None = None) -> tuple[str, int, int] | None:
    """While waiting for a long utterance to close, what to decode of it (not committed), so the words
    are ready if the answer ends there: ("guess", first, end) decodes the utterance from its start while
    the speaker talks on; ("topup", first, end) decodes only what followed the guess, at a pause the
    speaker is in now, which is quick; ("early", first, end) is a top-up at a quiet too short to cut in,
    used only if the answer ends there. `guess`, `topup` and `early` are the (first, end) of those
    decoded so far."""
    if utterance is None:
        return None
    first, cut, pausing, quiet_to = utterance
    target = None
    if guess is None or not same_start(guess[0], first) or guess[0] < committed:
        target = "guess", first, cut
    elif pausing:
        if cut - guess[1] >= MIN_TOPUP_S * SAMPLE_RATE_HZ and not _reaches(topup, guess[1], cut):
            again = guess[1] - first <= s.reguess_max_s * SAMPLE_RATE_HZ
            target = ("guess", first, cut) if again else ("topup", guess[1], cut)
    elif cut - guess[1] >= SPECULATE_EVERY_S * SAMPLE_RATE_HZ:
        target = "guess", first, cut
    elif quiet_to and guess[1] - first > s.reguess_max_s * SAMPLE_RATE_HZ:
        # a short quiet after the last word: top up now, ready if the answer has ended here
        fresh = _reaches(topup, guess[1], quiet_to) or _reaches(early, guess[1], quiet_to)
        if quiet_to - guess[1] >= MIN_TOPUP_S * SAMPLE_RATE_HZ and not fresh:
            target = "early", guess[1], quiet_to
    if target is not None and _too_slow(real_time_factor, target[1], target[2]):
        return None
    return target


def _reaches(done: tuple[int, int] | None, first: int, end: int) -> bool:
    """A top-up decoded from `first` that already ends within MIN_TOPUP_S of `end` (no new one is worth it)."""
    return done is not None and done[0] == first and end - done[1] < MIN_TOPUP_S * SAMPLE_RATE_HZ


def _too_slow(real_time_factor: float, first: int, end: int) -> bool:
    """A decode of [first, end) that a slow model would spend longer on than the chunk takes to close."""
    return real_time_factor * (end - first) / SAMPLE_RATE_HZ > MAX_SPECULATION_S
