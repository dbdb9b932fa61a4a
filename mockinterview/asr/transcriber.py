"""Speech to a Transcript with word times: a whole clip at once, or fed incrementally in a session.

Three choices here are measured, not guessed (figures in bench/transcribe_speed.py):
- Whisper drops "um"/"uh" unless the prompt shows them, so a short disfluency prompt goes first.
  Long prompts make tiny.en hallucinate, so it stays one short line.
- Silence decodes to invented words ("You", "Yeah."), so Silero VAD cuts it out first, and a
  segment the model itself thinks is not speech (high no_speech_prob, low avg_logprob) is dropped.
- A question's technical terms go into that same short prompt, which helps the model spell them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..audio.clip import SAMPLE_RATE_HZ, AudioClip
from ..errors import AudioError, ModelError
from .inventions import speech_frames, without_inventions
from .model import SpeechModel, load_model
from .repair import repaired
from .streaming import StreamingSession, StreamingSettings
from .transcript import Segment, Transcript, Word, shifted
from .windows import CUT_SEARCH_S, WINDOW_S, window_cut

FILLER_PROMPT = "Um, uh, so, like."
DEFAULT_BEAM_SIZE = 5
MAX_PROMPT_TERMS = 8  # more terms make the prompt long enough to trigger hallucination
# Whisper's own "this is not speech" rule, slightly stricter on no_speech_prob: the dangling
# one-word segments it invents after the last word score about 0.5 / -1.2.
NO_SPEECH_PROB = 0.5
LOW_AVG_LOGPROB = -1.0
# Whisper decodes another window from the last word's end unless its output ended cleanly; on a clip
# that ends in a pause that window is only quiet, costs a full encode (~0.3 s of the ~0.9 s a short
# streaming chunk takes) and is where "Thank you." and the random fallback come from. A caller that
# knows where speech ends stops once the words reach it, less this (a short word's length).
SPEECH_END_SLACK_S = 0.25
CONTEXT_WORDS = StreamingSettings.context_words  # a long file's window gets the words before it, as a chunk does


@dataclass(frozen=True)
class TranscribeOptions:
    beam_size: int = DEFAULT_BEAM_SIZE
    filler_prompt: bool = True  # keep "um"/"uh" (the filler counts depend on it)
    terms: tuple[str, ...] = ()  # domain words to spell right, e.g. ("webhook", "SLO")
    vad: bool = True
    repair: bool = True  # decode again the speech Whisper left without words (asr/repair.py)

    def prompt(self) -> str | None:
        parts = [FILLER_PROMPT] if self.filler_prompt else []
        terms = [t.strip() for t in self.terms if t.strip()][:MAX_PROMPT_TERMS]
        if terms:
            parts.append(", ".join(terms) + ".")
        return " ".join(parts) or None


class Transcriber:
    """Turns audio into a Transcript. The model may be given as a Future (see `model.preload`), so
    the caller can build this at once and only wait for the model when the first audio arrives."""

    def __init__(
        self,
        model: SpeechModel | Future[SpeechModel] | None = None,
        options: TranscribeOptions | None = None,
    ) -> None:
        self._model = model
        self.options = options or TranscribeOptions()

    @classmethod
    def load(cls, name_or_path: str | None = None, options: TranscribeOptions | None = None) -> Transcriber:
        return cls(load_model(name_or_path), options)

    @property
    def model(self) -> SpeechModel:
        if self._model is None:
            self._model = load_model(None)
        elif isinstance(self._model, Future):
            self._model = self._model.result()
        return self._model

    def transcribe(
        self,
        audio: AudioClip | np.ndarray | str | Path,
        *,
        beam_size: int | None = None,
        filler_prompt: bool | None = None,
        terms: Sequence[str] | None = None,
        context: str = "",
        speech_end_s: float | None = None,
        repair: bool | None = None,
        on_progress: Callable[[float], None] | None = None,
    ) -> Transcript:
        """Every word with its time, the segments, the audio's duration; empty if nobody spoke.
        `context`: text said just before this audio (streaming), put after the prompt as Whisper's
        own previous-window text would be. `speech_end_s`: where the caller knows speech ends in this
        audio; once the words reach it, decoding stops (see SPEECH_END_SLACK_S). `repair`: decode again
        the speech Whisper left without words (asr/repair.py); the streaming worker has its own rule.
        `on_progress`: called with the seconds of audio decoded so far, after each segment (a long file)."""
        options = TranscribeOptions(
            beam_size=self.options.beam_size if beam_size is None else beam_size,
            filler_prompt=self.options.filler_prompt if filler_prompt is None else filler_prompt,
            terms=self.options.terms if terms is None else tuple(terms),
            vad=self.options.vad,
            repair=self.options.repair if repair is None else repair,
        )
        return self._transcribe(_samples_of(audio), options, context, speech_end_s, on_progress)

    def transcribe_blocks(
        self,
        blocks: Iterable[np.ndarray],
        *,
        terms: Sequence[str] | None = None,
        window_s: float = WINDOW_S,
        on_progress: Callable[[float], None] | None = None,
    ) -> Transcript:
        """16 kHz mono blocks (a file read block by block, audio/file.open_audio) transcribed holding at most
        one window of audio, so memory does not grow with the file. Audio up to `window_s` is exactly
        `transcribe` of the whole; longer audio is cut in a pause near each window's end (asr/windows.py), and
        each window is decoded with the words before it as context, as Whisper's own windows and the
        streaming chunks are."""
        window = int(window_s * SAMPLE_RATE_HZ)
        search = min(window // 2, int(CUT_SEARCH_S * SAMPLE_RATE_HZ))
        pending: list[np.ndarray] = []
        pending_n = offset = 0
        segments: list[Segment] = []

        def decode(samples: np.ndarray) -> None:
            offset_s = offset / SAMPLE_RATE_HZ
            context = " ".join([w.text for s in segments[-CONTEXT_WORDS:] for w in s.words][-CONTEXT_WORDS:])
            piece = self.transcribe(samples, terms=terms, context=context, on_progress=None if on_progress is None
                                    else lambda done_s: on_progress(offset_s + done_s))
            segments.extend(shifted(s, offset_s) for s in piece.segments)

        for block in blocks:
            pending.append(np.asarray(block, dtype=np.float32).reshape(-1))
            pending_n += pending[-1].size
            while pending_n > window:
                samples = np.concatenate(pending)
                cut = max(1, window_cut(samples[:window], search))
                decode(samples[:cut])
                offset += cut
                pending = [samples[cut:].copy()]  # a copy: the view would keep the whole joined array alive
                pending_n = pending[0].size
        samples = np.concatenate(pending) if pending else np.zeros(0, np.float32)
        if offset == 0:
            return self.transcribe(samples, terms=terms, on_progress=on_progress)
        if samples.size:
            decode(samples)
        words = tuple(w for s in segments for w in s.words)
        return Transcript(words=words, segments=tuple(segments), duration_s=(offset + samples.size) / SAMPLE_RATE_HZ,
                          model=self.model.name)

    def session(self, *, terms: Sequence[str] | None = None) -> TranscriptionSession:
        """An incremental transcription: feed audio as it is recorded, ask for the words so far."""
        return TranscriptionSession(self, tuple(terms) if terms is not None else None)

    def stream(self, *, terms: Sequence[str] | None = None, **settings: Any) -> StreamingSession:
        """Like `session`, but transcribes on a background thread while the audio arrives (asr/streaming.py);
        `settings` are StreamingSettings fields."""
        return StreamingSession(self, terms=terms, settings=StreamingSettings(**settings))

    def _transcribe(self, samples: np.ndarray, options: TranscribeOptions, context: str = "",
                    speech_end_s: float | None = None,
                    on_progress: Callable[[float], None] | None = None) -> Transcript:
        duration_s = samples.size / SAMPLE_RATE_HZ
        model = self.model
        if samples.size == 0 or not np.any(samples):
            return Transcript(words=(), segments=(), duration_s=duration_s, model=model.name)
        if options.beam_size < 1:
            raise ModelError(f"beam size {options.beam_size}: must be 1 or more")
        prompt = " ".join(p for p in (options.prompt(), context.strip()) if p) or None
        try:
            segments = []
            for segment in self._decode(samples, options, prompt):
                segments.append(segment)
                if on_progress is not None and segment.words:
                    on_progress(segment.words[-1].end_s)
                if speech_end_s is not None and segment.words[-1].end_s >= speech_end_s - SPEECH_END_SLACK_S:
                    break
            mask = speech_frames(samples)
            segments, _dropped = without_inventions(segments, mask)  # the one guard (asr/inventions.py)
            if options.repair:
                # the energy says these stretches are speech, so Whisper's no-speech rule is off for them
                segments = repaired(segments, samples, lambda piece: list(
                    self._decode(piece, options, options.prompt(), no_speech_threshold=None, trust=True)), mask)
        except ModelError:
            raise
        except Exception as exc:  # CTranslate2/onnxruntime errors; the user needs one line
            raise ModelError(f"{model.name}: transcription failed ({_first_line(exc)})") from exc
        if on_progress is not None:
            on_progress(duration_s)
        words = tuple(w for s in segments for w in s.words)
        return Transcript(words=words, segments=tuple(segments), duration_s=duration_s, model=model.name)

    def _decode(self, samples: np.ndarray, options: TranscribeOptions, prompt: str | None, *,
                no_speech_threshold: float | None = 0.6, trust: bool = False) -> Iterator[Segment]:
        """Segments as Whisper decodes them (a generator: each 30 s window is decoded when its first
        segment is asked for). `trust`: keep segments Whisper doubts are speech."""
        pieces, _info = self.model.whisper.transcribe(
            samples,
            language="en",
            beam_size=options.beam_size,
            word_timestamps=True,
            initial_prompt=prompt,
            vad_filter=options.vad,
            no_speech_threshold=no_speech_threshold,
        )
        duration_s = samples.size / SAMPLE_RATE_HZ
        for piece in pieces:
            segment = _segment(piece, duration_s, trust)
            if segment is not None:
                yield segment


class TranscriptionSession:
    """Audio fed in pieces (16 kHz mono float32), words available at any time, times relative to the
    first sample fed.

    This version re-transcribes the whole buffer when asked (and caches the answer until more audio
    arrives), so its words equal a whole-file transcription of the same audio. A streaming version
    can sit behind the same three methods: commit the words of utterances that VAD has closed, keep
    them, and decode only the audio after the last commit.
    """

    def __init__(self, transcriber: Transcriber, terms: tuple[str, ...] | None) -> None:
        self._transcriber = transcriber
        self._terms = terms
        self._chunks: list[np.ndarray] = []
        self._frames = 0
        self._lock = threading.Lock()  # feed() may run on the recording thread
        self._cached: tuple[int, Transcript] | None = None
        self.finished = False

    @property
    def duration_s(self) -> float:
        return self._frames / SAMPLE_RATE_HZ

    def feed(self, samples: np.ndarray) -> None:
        if self.finished:
            raise AudioError("transcription session: audio fed after finish()")
        block = np.asarray(samples, dtype=np.float32).reshape(-1)
        with self._lock:
            self._chunks.append(block.copy())
            self._frames += block.size

    def words_so_far(self, *, peek: bool = True) -> tuple[Word, ...]:  # noqa: ARG002 (no peeks here)
        return self._current().words

    def finish(self) -> Transcript:
        self.finished = True
        return self._current()

    def _current(self) -> Transcript:
        with self._lock:
            if len(self._chunks) > 1:
                self._chunks = [np.concatenate(self._chunks)]
            samples = self._chunks[0] if self._chunks else np.zeros(0, np.float32)
            frames = self._frames
        if self._cached is not None and self._cached[0] == frames:
            return self._cached[1]
        transcript = self._transcriber.transcribe(samples, terms=self._terms)
        self._cached = (frames, transcript)
        return transcript


def _samples_of(audio: AudioClip | np.ndarray | str | Path) -> np.ndarray:
    if isinstance(audio, (str, Path)):
        from ..audio.file import read_audio

        audio = read_audio(audio)
    if isinstance(audio, AudioClip):
        if audio.sample_rate_hz != SAMPLE_RATE_HZ:
            from ..audio.file import resample

            return resample(audio.samples, audio.sample_rate_hz)
        return np.ascontiguousarray(audio.samples, dtype=np.float32)
    return np.ascontiguousarray(np.asarray(audio, dtype=np.float32).reshape(-1))


def _segment(piece: Any, duration_s: float, trust: bool = False) -> Segment | None:
    if not trust and piece.no_speech_prob > NO_SPEECH_PROB and piece.avg_logprob < LOW_AVG_LOGPROB:
        return None
    words = tuple(
        Word(
            text=w.word.strip(),
            start_s=_clamp(w.start, duration_s),
            end_s=_clamp(max(w.end, w.start), duration_s),
            probability=float(w.probability),
        )
        for w in (piece.words or ())
        if w.word.strip()
    )
    if not words:
        return None
    return Segment(
        text=piece.text.strip(),
        start_s=_clamp(piece.start, duration_s),
        end_s=_clamp(piece.end, duration_s),
        words=words,
        no_speech_prob=float(piece.no_speech_prob),
        avg_logprob=float(piece.avg_logprob),
    )


def _clamp(t: float, duration_s: float) -> float:
    return round(min(max(float(t), 0.0), duration_s), 3)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
