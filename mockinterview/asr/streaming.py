"""Transcribe while the answer is recorded, so the report is ready moments after the candidate stops.

    session = transcriber.stream(terms=question.terms)   # starts a worker thread
    session.feed(block); session.words_so_far()          # from the recording loop; committed, then guessed words
    transcript = session.finish()                        # transcribes only the uncommitted tail

How text is committed (the choices whisper_streaming, WhisperLive and RealtimeSTT make differently):
- Audio is cut at pauses (a quiet run of `min_pause_s`, by frame energy) into chunks of at least
  `min_chunk_s`; each is transcribed once, with word times and the previous words as prompt, and its
  words are committed for good. No word straddles a cut in a pause, so none is lost or doubled there.
- An open chunk is guessed (decoded, not committed; shown by words_so_far) from its start while the
  speaker talks on, and at each pause only the audio after the guess is decoded (a quick "top-up"), or
  the whole chunk again if the guess covers little of it (`reguess_max_s`). If the answer ends in that
  pause, guess and top-up are committed as they are; a chunk that closes while the answer goes on is
  decoded whole unless the guess alone covers it (one long decode transcribes better).
- A quiet too short to cut in (`topup_pause_s`) after a guess of over `reguess_max_s` starts an "early"
  top-up, used only if the answer ends there (the last decode begins 0.16 s after the last word).
- While the speaker talks on with no pause, the audio after the guess is "peeked" at every
  `peek_every_s` (greedy, not committed), so words_so_far (the live label and pace) follows the speech
  within seconds. A peek is committed only if the answer ends with nothing said after it.
- Speech (by frame energy) that no word covers (Whisper skipped a clause) stops the commit there; the
  next decode starts just before it. Each decode stops once its words reach the end of the speech in
  its audio (one more window over the quiet costs an encoder pass and invents "Thank you.").
- A stretch with no pause is cut at `max_chunk_s` at its quietest point; if it has none, the words
  ending well before the window's end are committed and the next window starts after them (a word
  repeated across that edge with overlapping times is dropped).
- Segments that are only the prompt's words, lie on no speech energy, collapse onto one instant or
  repeat the last committed sentence are dropped (asr/guards.py); a chunk with no speech is never decoded.
- Falling over `max_backlog_s` behind the speech (a slow model), the worker stops and `finish()`
  transcribes the rest after the answer; `fallback` says why.

This module is the worker; the decisions live beside it: asr/speech.py (which frames are speech),
asr/chunking.py (where to cut, what to guess), asr/guards.py, asr/feeding.py (the microphone adaptor).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ
from ..errors import AudioError
from .chunking import StreamingSettings, peek_target, plan_chunk, same_start, speculation_target
from .guards import first_unheard, guard, norm_words
from .speech import FRAME_SAMPLES, frame_levels_db, speech_mask
from .transcript import Segment, Transcript, Word, keep_words, shifted, words_before

if TYPE_CHECKING:
    from .chunking import OpenUtterance

__all__ = ["StreamingSession", "StreamingSettings"]

TAIL_HOLD_S = 2.0  # forced cut with no pause: words ending this close to the window's end wait
MIN_PROGRESS_S = 0.5  # a retreat must still move the commit point on by this much


class Decoder(Protocol):
    """What the session needs of a transcriber (asr/transcriber.py's Transcriber is one)."""

    @property
    def model(self) -> Any: ...  # .name

    @property
    def options(self) -> Any: ...  # .prompt()

    def transcribe(self, audio: Any, **kwargs: Any) -> Transcript: ...


def _words_in(pieces: Sequence[_Decoded]) -> list[Word]:
    return [w for piece in pieces for seg in piece.segments for w in seg.words]


class _Decoded(NamedTuple):
    """One decode, ready for _commit: its segments (session times), the sample it may be committed up
    to, the speech mask under it, its first sample, and the words of its prompt."""

    segments: list[Segment]
    end: int
    mask: np.ndarray
    first: int
    prompt_words: set[str]


class StreamingSession:
    """Same interface as TranscriptionSession (feed / words_so_far / finish), transcribing in the background."""

    def __init__(self, transcriber: Decoder, *, terms: Sequence[str] | None = None,
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
        self._open: OpenUtterance | None = None
        # Not committed: a guess at the open utterance from its start, and a top-up decoded from the
        # guess's end at the pause the speaker is in now.
        self._speculation: _Decoded | None = None
        self._topup: _Decoded | None = None
        # a top-up decoded in a quiet too short to cut in (chunking.py): used only if the answer ended there,
        # so the chunks, guesses and top-ups of an answer that goes on are those they would be without it
        self._early: _Decoded | None = None
        self._peek: _Decoded | None = None  # what followed them, decoded while the speaker talks on (display only)
        self.finished = False
        self.fallback: str | None = None  # why the transcript is finished after the answer, if it is
        self.chunks = 0  # decodes done
        self.compute_s = 0.0  # seconds spent decoding
        self.decoded_s = 0.0  # seconds of audio decoded
        # the same without the peeks: short decodes are mostly fixed cost, and the estimate that decides
        # whether a guess is worth starting must not depend on how many peeks the timing allowed
        self._sized_compute_s = self._sized_decoded_s = 0.0
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
        """Seconds of decoding per second of audio, over the chunks, guesses and top-ups so far."""
        return self._sized_compute_s / self._sized_decoded_s if self._sized_decoded_s else 0.0

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

    def words_so_far(self, *, peek: bool = True) -> tuple[Word, ...]:
        """Committed words, then the latest guess at the utterance still being spoken and (`peek`) a peek
        at what followed it. Both may change; a peek ends mid-sentence, so what embeds whole sentences
        ahead of scoring (interview/warmer.py) asks without it."""
        with self._cond:
            pieces = self._pending() + (self._following_peek() if peek else [])
            return tuple(self._words) + tuple(_words_in(pieces))

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
                        target = self._speculation_target() or self._peek_target()
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
                    elif kind == "peek":
                        self._peek = self._decode(first, end, kind, before=_words_in(self._pending()))
                    elif kind == "early":
                        self._early = self._decode(first, end, kind, before=_words_in([self._speculation]))
                    else:
                        self._topup = self._decode(first, end, kind, before=_words_in([self._speculation]))
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
                self._speculation = self._topup = self._early = None  # shown until now: a whole-chunk decode takes a while
        except BaseException as exc:  # handed to finish(), which the caller is waiting on
            self._error = exc

    def _speculation_target(self) -> tuple[str, int, int] | None:
        if self.fallback is not None:
            return None
        guess, topup, early = self._speculation, self._topup, self._early
        return speculation_target(self._open, guess and (guess.first, guess.end), topup and (topup.first, topup.end),
                                  self._committed_frame, self.settings, self.real_time_factor,
                                  early=early and (early.first, early.end))

    def _peek_target(self) -> tuple[str, int, int] | None:
        if self.fallback is not None:
            return None
        target = peek_target(self._unheard_from(), self._frames, self._peek and (self._peek.first, self._peek.end),
                             self.settings, self.real_time_factor)
        return ("peek", *target) if target is not None else None

    def _unheard_from(self) -> int:
        """The sample where the words known so far (committed, then guessed) end."""
        pieces = self._pending()
        return pieces[-1].end if pieces else self._committed_frame

    def _following_peek(self) -> list[_Decoded]:
        """The last peek, if it starts where the committed and guessed words end (else it is stale)."""
        return [self._peek] if self._peek is not None and self._peek.first == self._unheard_from() else []

    def _reusable(self, chunk: tuple[int, int]) -> list[_Decoded]:
        """Decoded pieces (guess, then its top-up) to commit for this chunk instead of decoding it again,
        if they start where it starts; the last one stretched to the chunk's end if nothing was said
        after it. When the answer has not ended and a top-up would be used, the chunk is decoded whole
        instead (one long decode transcribes better than a guess plus a short top-up). At the end of the
        answer, a peek that heard the last words is one of the pieces, and an early top-up that reaches
        further than the top-up takes its place."""
        pieces = self._pending()
        peeks = self._following_peek() if self._ending else []
        early = self._early
        if self._ending and early is not None and pieces and early.first == pieces[0].end and early.end > pieces[-1].end:
            pieces, peeks = [pieces[0], early], []  # a peek starts at the guess's end: the early top-up holds it
        first, end = chunk
        if peeks:
            # the answer ended and a peek already heard its last words (nothing said after it): the last
            # decode is done; decoding it again would keep the candidate waiting for the report
            with self._cond:
                said_after = speech_mask(self._levels_db, peeks[0].end // FRAME_SAMPLES, abs(end) // FRAME_SAMPLES).any()
            if not said_after:
                pieces += peeks
        if not pieces or not same_start(pieces[0].first, first) or pieces[0].end > abs(end):
            return []
        if len(pieces) > 1 and not self._ending:
            return []
        with self._cond:
            after = speech_mask(self._levels_db, pieces[-1].end // FRAME_SAMPLES, abs(end) // FRAME_SAMPLES)
        if after.any():
            return [] if end < 0 else pieces  # said more after them: decode only what follows, next round
        return pieces[:-1] + [pieces[-1]._replace(end=abs(end))]

    def _update_levels(self) -> None:
        done = len(self._levels_db) * FRAME_SAMPLES
        if self._frames - done >= FRAME_SAMPLES:
            self._levels_db.extend(frame_levels_db(self._audio[done : self._frames]))

    def _next_chunk(self) -> tuple[int, int] | None:
        """(first sample, end sample) of the next audio to decode, or None to wait (asr/chunking.py).
        Called with the lock held; may advance the commit point over silence."""
        plan = plan_chunk(self._levels_db, self._committed_frame, self._frames, self._ending, self.settings)
        self._committed_frame, self._open = plan.committed, plan.open
        return plan.chunk

    def _decode(self, first: int, end: int, kind: str = "chunk", before: Sequence[Word] = ()) -> _Decoded:
        """Transcribes [first, end) with the committed words (then `before`, words not committed yet that
        precede it) as context."""
        by_words = end < 0
        end = abs(end)
        with self._cond:
            self._update_levels()
            samples = self._audio[first:end].copy()
            mask = speech_mask(self._levels_db, first // FRAME_SAMPLES, -(-end // FRAME_SAMPLES))
            n = self.settings.context_words
            context = " ".join(w.text for w in (self._words + list(before))[-n:]) if n else ""
        if not mask.any():  # only the partial frame at the very end: nothing to hear, nothing to invent
            return _Decoded([], end, mask, first, set())
        offset_s = first / SAMPLE_RATE_HZ
        started = time.perf_counter()
        # a peek is only shown, never committed: greedy is quick enough to keep up and good enough to show
        beam = 1 if kind == "peek" else self.settings.tail_beam_size if kind != "chunk" or self._ending else None
        last_voiced = int(np.flatnonzero(mask)[-1])
        speech_end_s = ((first // FRAME_SAMPLES + last_voiced + 1) * FRAME_SAMPLES - first) / SAMPLE_RATE_HZ
        transcript = self._transcriber.transcribe(samples, terms=self._terms, context=context, beam_size=beam,
                                                  speech_end_s=speech_end_s, repair=False)  # first_unheard retreats instead
        took_s = time.perf_counter() - started
        self.compute_s += took_s
        if kind != "peek":
            self._sized_compute_s += took_s
            self._sized_decoded_s += samples.size / SAMPLE_RATE_HZ
        self.timeline.append((kind + ("/ending" if self._ending else ""), offset_s, abs(end) / SAMPLE_RATE_HZ,
                              started, time.perf_counter()))
        self.decoded_s += samples.size / SAMPLE_RATE_HZ
        self.chunks += 1
        segments = [shifted(seg, offset_s) for seg in transcript.segments]
        if by_words:  # no gap to cut in: keep the words that are surely complete, decode the rest again
            hold_s = end / SAMPLE_RATE_HZ - TAIL_HOLD_S
            kept = [w for seg in segments for w in seg.words if w.end_s <= hold_s]
            if kept:
                later = [w for seg in segments for w in seg.words if w.start_s >= kept[-1].end_s and w not in kept]
                cut_s = (kept[-1].end_s + later[0].start_s) / 2 if later else kept[-1].end_s
                end = min(end, int(cut_s * SAMPLE_RATE_HZ))
                segments = [t for t in (keep_words(seg, set(map(id, kept))) for seg in segments) if t is not None]
        prompt_words = norm_words(self._transcriber.options.prompt() or "") | norm_words(context)
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
            retreat = first_unheard(kept, mask, first, end)
            if retreat is not None and retreat > max(first, self._committed_frame) + MIN_PROGRESS_S * SAMPLE_RATE_HZ:
                end = retreat
                self.retreats += 1
            for seg in kept:
                part = words_before(seg, end / SAMPLE_RATE_HZ)
                if part is None:
                    self._drop("after the cut", seg)
                    continue
                self._segments.append(part)
                self._words.extend(part.words)
            self._committed_frame = max(self._committed_frame, end)

    def _drop(self, why: str, seg: Segment) -> None:  # kept so a surprising transcript can be explained
        self.dropped.append((why, seg))

    def _guarded(self, seg: Segment, mask: np.ndarray, first: int, prompt_words: set[str],
                 before: list[Segment]) -> Segment | None:
        kept, why = guard(seg, mask, first, prompt_words, before)
        if kept is None:
            self._drop(why, seg)
        return kept
