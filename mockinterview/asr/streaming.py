"""Transcribe while the answer is recorded, so the report is ready moments after the candidate stops.

    session = transcriber.stream(terms=question.terms)   # starts a worker thread
    session.feed(block)                                  # from the recording loop, any block size
    session.words_so_far()                               # committed words, times from the first sample
    transcript = session.finish()                        # transcribes only the uncommitted tail

How text is committed (the choices whisper_streaming, WhisperLive and RealtimeSTT make differently):
- Audio is cut at pauses found from frame energy (a quiet run of `min_pause_s`), into chunks of at least
  `min_chunk_s`; each chunk is transcribed once, with word times and the previous words as prompt, and
  its words are committed: never decoded again. Cutting inside a pause means no word straddles a cut,
  so none is lost or doubled there.
- While a chunk is still open, it is guessed (decoded, not committed; shown by words_so_far): from its
  start while the speaker talks on, and at each pause only the audio after that guess (a "top-up",
  quick because it is short), or the whole chunk again if the guess covers little of it
  (`reguess_max_s`). If the answer ends in that pause, guess and top-up are committed as they are, so
  finish() has little or nothing left to decode. A chunk that closes while the answer goes on
  is decoded whole unless the guess alone covers it (one long decode transcribes better).
- Whisper sometimes skips a clause, stretching or collapsing a word over it. Speech (by frame energy)
  that no word covers stops the commit there; the next decode starts just before it.
- Each decode stops once its words reach the end of the speech in its audio: Whisper would otherwise
  decode one more window over the quiet after the last word, which costs a full encoder pass and is
  where "Thank you." comes from.
- A stretch with no pause is cut at `max_chunk_s` at its quietest point; if it has none, the window is
  decoded, the words ending well before its end are committed (agreement with the audio that follows
  is not needed: those words are complete), and the next window starts after the last committed word.
  A word repeated across that edge with overlapping times is dropped.
- Known failure modes are guarded: a segment that is only the prompt's words (prompt leak, e.g. "Um,
  uh, so, like." on a breath), a segment with no speech energy under it or whose word times collapse
  onto one instant (hallucination on silence, "Thank you." after the last word), and a segment that
  repeats the last committed sentence (Whisper's repeat loop) are dropped; a chunk with no speech
  energy is never decoded.
- If transcription falls behind the speech by more than `max_backlog_s` (a model slower than real
  time), the worker stops and `finish()` transcribes the rest after the answer; `fallback` says why.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ
from ..errors import AudioError
from .transcript import Segment, Transcript, Word

if TYPE_CHECKING:
    from ..audio.microphone import Microphone
    from .transcriber import Transcriber

FRAME_S = 0.02  # energy frames: fine enough to place a cut inside a short pause
_FRAME = int(FRAME_S * SAMPLE_RATE_HZ)
FLOOR_WINDOW_S = 30.0  # the noise floor follows the last half minute
SPEECH_MARGIN_DB = 12.0  # a frame this far above the floor is speech...
LOUD_HEADROOM_DB = 15.0  # ...or this close below the loud level, whichever is lower (noisy rooms)
MIN_CONTRAST_DB = 10.0  # speech makes the level swing at least this much between words and pauses
LEAD_PAD_S = 0.3  # quiet kept before an utterance's first speech: Whisper needs the onset
TAIL_HOLD_S = 2.0  # forced cut with no pause: words ending this close to the window's end wait
EDGE_OVERLAP_S = 0.3  # a repeated word starting this soon after the committed end is the same word
COLLAPSED_WORD_S = 0.05  # mean word length below this: the aligner found no audio for the words
SHORT_SEGMENT_WORDS = 6  # a sign-off hallucination is a short segment...
MIN_VOICED_SHARE = 0.3  # ...lying mostly over quiet (real words are voiced most of their length)
MAX_CUT_WAIT_S = 0.8  # a trailing pause is cut at most half this far after the last speech
# A chunk closes in a pause once speech resumes, or once the quiet has lasted this long. Long enough
# that an answer ending here is finished from the quick top-up (below), not from a full decode of the
# chunk started just before the candidate stops.
SETTLE_S = 2.0
COVER_SLACK_S = 0.4  # a word's times cover the speech this far around it (the aligner is approximate)
MAX_WORD_S = 1.5  # no spoken word lasts longer
UNHEARD_S = 0.6  # this much speech under no word (within UNHEARD_SPAN_S) is a skipped clause, not a filler's tail
UNHEARD_SPAN_S = 1.5
MIN_PROGRESS_S = 0.5  # a retreat must still move the commit point on by this much
SPECULATE_EVERY_S = 2.0  # re-decode an open utterance once it has this much more audio
MIN_TOPUP_S = 0.5  # a pause's top-up decodes at least this much audio after the guess
MAX_SPECULATION_S = 3.0  # a guess expected to take longer than this (slow model, long utterance) is skipped


class _Decoded(NamedTuple):
    """One decode, ready for _commit: its segments (session times), the sample it may be committed up
    to, the speech mask under it, its first sample, and the words of its prompt."""

    segments: list[Segment]
    end: int
    mask: np.ndarray
    first: int
    prompt_words: set[str]


@dataclass(frozen=True)
class StreamingSettings:
    min_pause_s: float = 0.3  # a quiet run this long is a place to cut (sentence pauses are ~0.5 s)
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
    max_backlog_s: float = 15.0  # audio waiting behind the chunk being decoded: beyond this the model is too slow
    poll_s: float = 0.1


class StreamingSession:
    """Same interface as TranscriptionSession (feed / words_so_far / finish), transcribing in the background."""

    def __init__(self, transcriber: Transcriber, *, terms: Sequence[str] | None = None,
                 settings: StreamingSettings | None = None) -> None:
        self._transcriber = transcriber
        self._terms = tuple(terms) if terms is not None else None
        self.settings = settings or StreamingSettings()
        self._audio = np.zeros(SAMPLE_RATE_HZ * 60, np.float32)  # grows by doubling
        self._frames = 0
        self._levels_db: list[float] = []  # one per FRAME_S of audio
        self._committed_frame = 0  # audio before this sample is transcribed (or known silent)
        self._words: list[Word] = []
        self._segments: list[Segment] = []
        self._cond = threading.Condition()
        self._ending = False
        self._idle = False  # the worker has done all it can with the audio fed so far
        self._error: BaseException | None = None
        self._result: Transcript | None = None
        # The utterance still open: (first sample, cut at its last pause, is that pause still going on).
        self._open: tuple[int, int, bool] | None = None
        # Not committed: a guess at the open utterance from its start, and a top-up decoded from the
        # guess's end at the pause the speaker is in now.
        self._speculation: _Decoded | None = None
        self._topup: _Decoded | None = None
        self.finished = False
        self.fallback: str | None = None  # why the transcript is finished after the answer, if it is
        self.chunks = 0  # decodes done
        self.compute_s = 0.0  # seconds spent decoding
        self.decoded_s = 0.0  # seconds of audio decoded
        self.max_backlog_seen_s = 0.0
        self.retreats = 0  # commits cut short at speech the decode skipped (decoded again)
        self.timeline: list[tuple[str, float, float, float, float]] = []  # (kind, audio from/to s, wall from/to)
        self.dropped: list[tuple[str, Segment]] = []  # (why, segment) for segments the guards refused
        self._worker = threading.Thread(target=self._run, name="mockinterview-streaming", daemon=True)
        self._worker.start()

    # --- the interface --------------------------------------------------------------------------

    @property
    def duration_s(self) -> float:
        return self._frames / SAMPLE_RATE_HZ

    @property
    def backlog_s(self) -> float:
        """Audio received but not yet transcribed (including the utterance still being spoken)."""
        return (self._frames - self._committed_frame) / SAMPLE_RATE_HZ

    @property
    def real_time_factor(self) -> float:
        return self.compute_s / self.decoded_s if self.decoded_s else 0.0

    def feed(self, samples: np.ndarray) -> None:
        if self.finished:
            raise AudioError("transcription session: audio fed after finish()")
        block = np.asarray(samples, dtype=np.float32).reshape(-1)
        with self._cond:
            need = self._frames + block.size
            if need > self._audio.size:
                grown = np.zeros(max(need, 2 * self._audio.size), np.float32)
                grown[: self._frames] = self._audio[: self._frames]
                self._audio = grown
            self._audio[self._frames : need] = block
            self._frames = need
            self._idle = False
            self._cond.notify_all()

    def settle(self) -> None:
        """Waits until the worker has done all it can with the audio fed so far. Feeding a block, then
        settling, replays a recording as if in real time with a model that is never late: the same
        chunks, guesses and top-ups every run, at the speed of the decodes (benchmarks, tests). After a
        fallback the worker only waits for the end, so there is nothing to wait for."""
        with self._cond:
            while not self._idle and self.fallback is None and self._worker.is_alive():
                self._cond.wait(self.settings.poll_s)

    def words_so_far(self) -> tuple[Word, ...]:
        """Committed words, then the latest guess at the utterance still being spoken (which may change)."""
        with self._cond:
            return tuple(self._words) + tuple(w for piece in self._pending() for seg in piece.segments for w in seg.words)

    def _pending(self) -> list[_Decoded]:
        """The decoded guess and its top-up that follow the committed words, in order."""
        pieces = []
        guess, topup = self._speculation, self._topup
        if guess is not None and guess.first >= self._committed_frame:
            pieces.append(guess)
            if topup is not None and topup.first == guess.end:
                pieces.append(topup)
        return pieces

    def finish(self) -> Transcript:
        """Waits for the worker to transcribe what is left; raises the worker's error, if any."""
        if self._result is None:
            self.finished = True
            with self._cond:
                self._ending = True
                self._cond.notify_all()
            self._worker.join()
            if self._error is not None:
                raise self._error
            self._result = Transcript(
                words=tuple(self._words),
                segments=tuple(self._segments),
                duration_s=self.duration_s,
                model=self._transcriber.model.name,
            )
        return self._result

    # --- the worker -----------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while True:
                target = None
                with self._cond:
                    while True:
                        self._update_levels()
                        chunk = self._next_chunk()
                        if chunk is not None or self._ending:
                            break
                        target = self._speculation_target()
                        if target is not None:
                            break
                        if not self._idle:
                            self._idle = True
                            self._cond.notify_all()
                        self._cond.wait(self.settings.poll_s)
                    backlog = (self._frames - abs(chunk[1])) / SAMPLE_RATE_HZ if chunk else 0.0
                if chunk is None and target is not None and not self._ending:
                    kind, first, end = target
                    if kind == "guess":
                        self._speculation, self._topup = self._decode(first, end, kind), None
                    else:
                        guess_words = [w for seg in self._speculation.segments for w in seg.words]
                        self._topup = self._decode(first, end, kind, before=guess_words)
                    continue
                if chunk is None:
                    return
                self.max_backlog_seen_s = max(self.max_backlog_seen_s, backlog)
                if self.fallback is None and not self._ending and backlog > self.settings.max_backlog_s:
                    self.fallback = (f"live transcription fell {backlog:.0f} s behind the speech (model too slow): "
                                     "the transcript will be finished after the answer")
                    with self._cond:
                        while not self._ending:
                            self._cond.wait()
                    while self._frames > self._committed_frame:  # the rest in one decode, as a whole file would be
                        self._commit(*self._decode(self._committed_frame, self._frames))
                    return
                pieces = self._reusable(chunk)
                if not pieces:
                    self._commit(*self._decode(*chunk))
                for i, piece in enumerate(pieces):
                    if i and piece.first != self._committed_frame:
                        break  # the guess was cut short (speech it skipped): decode from there instead
                    self._commit(*piece)
        except BaseException as exc:  # handed to finish(), which the caller is waiting on
            self._error = exc

    def _speculation_target(self) -> tuple[str, int, int] | None:
        """While waiting for a long utterance to close, decode what it has so far (not committed), so the
        words are ready if the answer ends there: ("guess", first, end) decodes the utterance from its
        start while the speaker talks on; ("topup", first, end) decodes only what followed the guess, at a
        pause the speaker is in now, which is quick."""
        if self._open is None or self.fallback is not None:
            return None
        first, cut, pausing = self._open
        guess = self._speculation
        target = None
        if guess is None or not _same_start(guess.first, first) or guess.first < self._committed_frame:
            target = "guess", first, cut
        elif pausing:
            topup = self._topup
            fresh = topup is not None and topup.first == guess.end and cut - topup.end < MIN_TOPUP_S * SAMPLE_RATE_HZ
            if cut - guess.end >= MIN_TOPUP_S * SAMPLE_RATE_HZ and not fresh:
                again = guess.end - first <= self.settings.reguess_max_s * SAMPLE_RATE_HZ
                target = ("guess", first, cut) if again else ("topup", guess.end, cut)
        elif cut - guess.end >= SPECULATE_EVERY_S * SAMPLE_RATE_HZ:
            target = "guess", first, cut
        if target is not None and self.real_time_factor * (target[2] - target[1]) / SAMPLE_RATE_HZ > MAX_SPECULATION_S:
            return None  # a slow model would spend longer on it than the chunk takes to close
        return target

    def _reusable(self, chunk: tuple[int, int]) -> list[_Decoded]:
        """Decoded pieces (guess, then its top-up) to commit for this chunk instead of decoding it again,
        if they start where it starts; the last one stretched to the chunk's end if nothing was said
        after it. When the answer has not ended and a top-up would be used, the chunk is decoded whole
        instead (one long decode transcribes better than a guess plus a short top-up)."""
        guess = self._speculation
        pieces = self._pending()
        self._speculation = self._topup = None
        first, end = chunk
        if guess is None or not pieces or not _same_start(guess.first, first) or guess.end > abs(end):
            return []
        if len(pieces) > 1 and not self._ending:
            return []
        with self._cond:
            after = self._speech_mask(pieces[-1].end // _FRAME, abs(end) // _FRAME)
        if after.any():
            return [] if end < 0 else pieces  # said more after them: decode only what follows, next round
        return pieces[:-1] + [pieces[-1]._replace(end=abs(end))]

    def _update_levels(self) -> None:
        done = len(self._levels_db) * _FRAME
        n = (self._frames - done) // _FRAME
        if n > 0:
            frames = self._audio[done : done + n * _FRAME].reshape(n, _FRAME).astype(np.float64)
            self._levels_db.extend((10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)).tolist())

    def _speech_mask(self, first: int, last: int) -> np.ndarray:
        """Per frame in [first, last): is it speech, judged against the recent floor and loud level."""
        window = int(FLOOR_WINDOW_S / FRAME_S)
        recent = np.asarray(self._levels_db[max(0, last - window) : last])
        heard = recent[recent > -100.0]  # digital zeros say nothing about the room
        if heard.size == 0:
            return np.zeros(last - first, bool)
        floor, loud = np.percentile(heard, 10), np.percentile(heard, 95)
        if loud - floor < MIN_CONTRAST_DB:
            return np.zeros(last - first, bool)  # steady noise or silence: nothing stands out as speech
        threshold = max(-70.0, min(floor + SPEECH_MARGIN_DB, loud - LOUD_HEADROOM_DB))
        return np.asarray(self._levels_db[first:last]) > threshold

    def _next_chunk(self) -> tuple[int, int] | None:
        """(first sample, end sample) of the next audio to decode, or None to wait; a negative end means
        no pause to cut in (commit by word times). Called with the lock held; may advance the commit
        point over silence."""
        s = self.settings
        self._open = None
        first_f = -(-self._committed_frame // _FRAME)
        last_f = len(self._levels_db)
        if self._ending:  # everything left, in pieces no longer than max_chunk_s
            last_f = -(-self._frames // _FRAME)
        if last_f <= first_f:
            return None
        speech = self._speech_mask(first_f, min(last_f, len(self._levels_db)))
        speech = np.concatenate([speech, np.ones(last_f - first_f - speech.size, bool)])  # a partial last frame counts
        if not speech.any():
            if self._ending:
                self._committed_frame = self._frames
                return None
            keep = int(LEAD_PAD_S / FRAME_S)
            if speech.size > keep:  # silence: nothing to decode, move on (keep the onset of what may follow)
                self._committed_frame = (last_f - keep) * _FRAME
            return None
        onset = int(np.argmax(speech))
        start_f = first_f + max(0, onset - int(LEAD_PAD_S / FRAME_S))
        speech = speech[start_f - first_f :]
        pause = int(s.min_pause_s / FRAME_S)
        min_len, max_len = int(s.min_chunk_s / FRAME_S), int(s.max_chunk_s / FRAME_S)
        run, settled = 0, int(SETTLE_S / FRAME_S)
        for i, v in enumerate(speech[:max_len]):
            if not v:
                run += 1
                if run >= settled and i + 1 - run >= min_len:  # a long quiet: no need to see its end
                    return start_f * _FRAME, (start_f + i + 1 - run // 2) * _FRAME
                continue
            if run >= pause and i - run >= min_len:  # cut in the middle of the pause that just ended
                return start_f * _FRAME, (start_f + i - run // 2) * _FRAME
            run = 0
        if speech.size > max_len:
            return start_f * _FRAME, self._forced_cut(start_f, speech, min_len, max_len)
        if self._ending:
            return start_f * _FRAME, self._frames
        last_cut, pausing = _last_pause_cut(speech, pause)
        self._open = (start_f * _FRAME, (start_f + last_cut) * _FRAME, pausing) if last_cut else None
        return None

    def _forced_cut(self, start_f: int, speech: np.ndarray, min_len: int, max_len: int) -> int:
        """A long stretch with no real pause: cut in its longest quiet run, else at the window's end."""
        best, best_len, run = -1, 0, 0
        for i in range(min_len, max_len):
            run = 0 if speech[i] else run + 1
            if run > best_len:
                best, best_len = i - run // 2, run
        if best_len >= 3:  # 60 ms of quiet: a gap between words
            return (start_f + best) * _FRAME
        return -(start_f + max_len) * _FRAME  # negative: no gap, commit by word times

    def _decode(self, first: int, end: int, kind: str = "chunk", before: Sequence[Word] = ()) -> _Decoded:
        """Transcribes [first, end) with the committed words (then `before`, words not committed yet that
        precede it) as context."""
        by_words = end < 0
        end = abs(end)
        with self._cond:
            self._update_levels()
            samples = self._audio[first:end].copy()
            mask = self._speech_mask(first // _FRAME, -(-end // _FRAME))
            n = self.settings.context_words
            context = " ".join(w.text for w in (self._words + list(before))[-n:]) if n else ""
        if not mask.any():  # only the partial frame at the very end: nothing to hear, nothing to invent
            return _Decoded([], end, mask, first, set())
        offset_s = first / SAMPLE_RATE_HZ
        started = time.perf_counter()
        beam = self.settings.tail_beam_size if kind != "chunk" or self._ending else None
        last_voiced = int(np.flatnonzero(mask)[-1])
        speech_end_s = ((first // _FRAME + last_voiced + 1) * _FRAME - first) / SAMPLE_RATE_HZ
        transcript = self._transcriber.transcribe(samples, terms=self._terms, context=context, beam_size=beam,
                                                  speech_end_s=speech_end_s)
        self.compute_s += time.perf_counter() - started
        self.timeline.append((kind + ("/ending" if self._ending else ""), offset_s, abs(end) / SAMPLE_RATE_HZ,
                              started, time.perf_counter()))
        self.decoded_s += samples.size / SAMPLE_RATE_HZ
        self.chunks += 1
        segments = [_shifted(seg, offset_s) for seg in transcript.segments]
        if by_words:  # no gap to cut in: keep the words that are surely complete, decode the rest again
            hold_s = end / SAMPLE_RATE_HZ - TAIL_HOLD_S
            kept = [w for seg in segments for w in seg.words if w.end_s <= hold_s]
            if kept:
                later = [w for seg in segments for w in seg.words if w.start_s >= kept[-1].end_s and w not in kept]
                cut_s = (kept[-1].end_s + later[0].start_s) / 2 if later else kept[-1].end_s
                end = min(end, int(cut_s * SAMPLE_RATE_HZ))
                segments = [t for t in (_keep_words(seg, set(map(id, kept))) for seg in segments) if t is not None]
        prompt_words = _norm_words(self._transcriber.options.prompt() or "") | _norm_words(context)
        return _Decoded(segments, end, mask, first, prompt_words)

    def _commit(self, segments: list[Segment], end: int, mask: np.ndarray, first: int, prompt_words: set[str]) -> None:
        with self._cond:
            kept: list[Segment] = []
            for seg in segments:
                seg = self._guarded(seg, mask, first, prompt_words, (self._segments[-3:] + kept)[-3:])
                if seg is not None:
                    kept.append(seg)
            # Whisper sometimes skips a clause, stretching or collapsing a word over it: commit only up to
            # the speech no word covers, and decode from there again (with progress, so it cannot loop).
            retreat = _first_unheard(kept, mask, first, end)
            if retreat is not None and retreat > max(first, self._committed_frame) + MIN_PROGRESS_S * SAMPLE_RATE_HZ:
                end = retreat
                self.retreats += 1
            for seg in kept:
                part = _words_before(seg, end / SAMPLE_RATE_HZ)
                if part is None:
                    self._drop("after the cut", seg)
                    continue
                self._segments.append(part)
                self._words.extend(part.words)
            self._committed_frame = max(self._committed_frame, end)

    def _drop(self, why: str, seg: Segment) -> None:  # kept so a surprising transcript can be explained
        self.dropped.append((why, seg))
        return None

    def _guarded(self, seg: Segment, mask: np.ndarray, first: int, prompt_words: set[str],
                 before: list[Segment]) -> Segment | None:
        """The segment without what it should not have: edge repeats, prompt leaks, words on silence.
        `before`: the last segments committed, then those kept from this decode."""
        words = list(seg.words)
        previous = [w for s in before for w in s.words][-3:]
        if previous:  # the same word on both sides of a cut made by word times
            for k in range(min(3, len(words), len(previous)), 0, -1):
                tail = previous[-k:]
                if [_norm(w.text) for w in words[:k]] == [_norm(w.text) for w in tail] and \
                        words[0].start_s < tail[-1].end_s + EDGE_OVERLAP_S:
                    words = words[k:]
                    break
        if not words:
            return self._drop("repeat at the cut", seg)
        norms = [_norm(w.text) for w in words]
        if all(n in prompt_words or not n for n in norms) and _no_speech_under(words, mask, first, loose=True):
            return self._drop("prompt leak", seg)  # prompt text echoed on a breath or a click
        if _no_speech_under(words, mask, first, loose=False):
            return self._drop("no speech under it", seg)  # invented on silence
        if sum(w.end_s - w.start_s for w in words) < COLLAPSED_WORD_S * len(words):
            return self._drop("collapsed word times", seg)  # the aligner found no audio for the words
        if len(words) <= SHORT_SEGMENT_WORDS and mask.any() and _voiced_share(words, mask, first) < MIN_VOICED_SHARE:
            return self._drop("short and mostly quiet", seg)  # "Thank you.": Whisper's sign-off on a chunk's quiet end
        if before and len(norms) >= 4 and norms == [_norm(w.text) for w in before[-1].words]:
            return self._drop("repeats the last sentence", seg)  # Whisper's repeat loop
        if len(words) == len(seg.words):
            return seg
        return replace(seg, words=tuple(words), text=" ".join(w.text for w in words), start_s=words[0].start_s)


class FeedingMicrophone:
    """A Microphone that hands every block it delivers to a streaming session as well: wrap the real
    one, give the wrapper to the recorder, and transcription follows the recording."""

    def __init__(self, microphone: Microphone, session: StreamingSession) -> None:
        self._microphone = microphone
        self.session = session
        self.name = microphone.name
        self.sample_rate_hz = microphone.sample_rate_hz

    @property
    def level_dbfs(self) -> float:
        return self._microphone.level_dbfs

    def start(self) -> None:
        self._microphone.start()

    def stop(self) -> None:
        self._microphone.stop()

    def read(self, timeout_s: float = 0.1) -> np.ndarray | None:
        block = self._microphone.read(timeout_s)
        if block is not None and block.size and not self.session.finished:
            self.session.feed(block)
        return block

    def __enter__(self) -> FeedingMicrophone:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _same_start(a: int, b: int) -> bool:
    """Two starts of the open utterance that differ only inside its lead-in (the onset judgement moves a
    little as the noise floor is learnt)."""
    return abs(a - b) <= LEAD_PAD_S * SAMPLE_RATE_HZ


def _last_pause_cut(speech: np.ndarray, pause: int) -> tuple[int, bool]:
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


def _first_unheard(segments: Sequence[Segment], mask: np.ndarray, first: int, end: int) -> int | None:
    """Where to cut before the first stretch of speech (per the energy mask) that no word covers: after
    the last word before it, and no later than LEAD_PAD_S before it. None if the words cover it all."""
    f0 = first // _FRAME
    n = min(mask.size, max(0, -(-end // _FRAME) - f0))
    covered = np.zeros(n, bool)
    words = [w for seg in segments for w in seg.words]
    for w in words:
        # a word stretched over seconds (Whisper's way of skipping a clause) covers only its ends
        spans = [(w.start_s, w.end_s)] if w.end_s - w.start_s <= MAX_WORD_S else \
            [(w.start_s, w.start_s + MAX_WORD_S / 2), (w.end_s - MAX_WORD_S / 2, w.end_s)]
        for a_s, b_s in spans:
            lo = int((a_s - COVER_SLACK_S) * SAMPLE_RATE_HZ) // _FRAME - f0
            hi = int((b_s + COVER_SLACK_S) * SAMPLE_RATE_HZ) // _FRAME - f0 + 1
            covered[max(0, lo) : max(0, hi)] = True
    unheard = np.flatnonzero(mask[:n] & ~covered)
    need, span = int(UNHEARD_S / FRAME_S), int(UNHEARD_SPAN_S / FRAME_S)
    for i in range(unheard.size - need + 1):
        if unheard[i + need - 1] - unheard[i] < span:
            gap_s = ((f0 + unheard[i]) * _FRAME) / SAMPLE_RATE_HZ
            before = [w.end_s for w in words if w.end_s <= gap_s]
            cut_s = max(before[-1] if before else 0.0, gap_s - LEAD_PAD_S)
            return max(first, int(cut_s * SAMPLE_RATE_HZ))
    return None


def _words_before(seg: Segment, end_s: float) -> Segment | None:
    return _keep_words(seg, {id(w) for w in seg.words if w.start_s < end_s})


def _shifted(seg: Segment, offset_s: float) -> Segment:
    def w(x: Word) -> Word:
        return replace(x, start_s=round(x.start_s + offset_s, 3), end_s=round(x.end_s + offset_s, 3))

    return replace(seg, start_s=round(seg.start_s + offset_s, 3), end_s=round(seg.end_s + offset_s, 3),
                   words=tuple(w(x) for x in seg.words))


def _keep_words(seg: Segment, keep_ids: set[int]) -> Segment | None:
    words = tuple(w for w in seg.words if id(w) in keep_ids)
    if not words:
        return None
    if len(words) == len(seg.words):
        return seg
    return replace(seg, words=words, text=" ".join(w.text for w in words), end_s=words[-1].end_s)


def _no_speech_under(words: Sequence[Word], mask: np.ndarray, first: int, *, loose: bool) -> bool:
    """No speech frame under the words' span (widened by 0.2 s: word times are approximate). `loose`
    asks for only a trace of speech (a breath or click that made Whisper echo its prompt)."""
    lo = int((words[0].start_s - 0.2) * SAMPLE_RATE_HZ - first) // _FRAME
    hi = int((words[-1].end_s + 0.2) * SAMPLE_RATE_HZ - first) // _FRAME + 1
    voiced = int(mask[max(0, lo) : max(0, hi)].sum())
    return voiced < (int(0.25 / FRAME_S) if loose else 1)


def _voiced_share(words: Sequence[Word], mask: np.ndarray, first: int) -> float:
    lo = max(0, int(words[0].start_s * SAMPLE_RATE_HZ - first) // _FRAME)
    hi = max(lo + 1, int(words[-1].end_s * SAMPLE_RATE_HZ - first) // _FRAME + 1)
    part = mask[lo:hi]
    return float(part.mean()) if part.size else 0.0


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9']", "", text.lower())


def _norm_words(text: str) -> set[str]:
    return {n for n in (_norm(t) for t in text.split()) if n}
