"""Test doubles, kept out of the product (no product module imports this one): a clock the test moves,
a speaker that keeps what it was asked to say, keys replayed at clock times, hand-made transcripts
for tests that need no model, and one written line credited as a section (tests and benches)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .asr.transcript import Segment, Transcript, Word
from .audio.clip import AudioClip
from .audio.clock import Clock


class ManualClock:
    """A clock that only moves when told to; `sleep` moves it, so code that waits returns at once."""

    def __init__(self, start_s: float = 0.0) -> None:
        self._now_s = float(start_s)
        self._lock = threading.Lock()

    def now_s(self) -> float:
        with self._lock:
            return self._now_s

    def sleep(self, s: float) -> None:
        self.advance(s)

    def advance(self, s: float) -> None:
        if s < 0:
            raise ValueError(f"a clock cannot go back ({s} s)")
        with self._lock:
            self._now_s += s


class RecordingSpeaker:
    """Keeps what was said, for tests of the flow; moves a ManualClock by the time it would take."""

    def __init__(self, clock: Clock | None = None, *, rate_wpm: int = 175) -> None:
        self.clock = clock
        self.rate_wpm = rate_wpm
        self.spoken: list[str] = []
        self.played: list[AudioClip] = []
        self.stops = 0

    def speak(self, text: str) -> None:
        self.spoken.append(text)
        if self.clock is not None:
            self.clock.sleep(len(re.findall(r"\S+", text)) * 60.0 / self.rate_wpm)

    def play(self, clip: AudioClip) -> None:
        self.played.append(clip)
        if self.clock is not None:
            self.clock.sleep(clip.duration_s)

    def stop(self) -> None:
        self.stops += 1


class ScriptedKeys:
    """Keys at fixed times on a clock: [(2.5, "enter"), ...]."""

    def __init__(self, script: Iterable[tuple[float, str]], get_time: Callable[[], float]):
        self._script = sorted(script)
        self._get_time = get_time

    def poll(self) -> str | None:
        if self._script and self._get_time() >= self._script[0][0]:
            return self._script.pop(0)[1]
        return None

    def close(self) -> None:
        pass


# Hand-made transcripts: each word takes 60/wpm seconds and every sentence is followed by the same
# pause, like the fixtures. Words are split on spaces and kept as written, so Whisper's habits can be
# imitated on purpose ("$8", ",000" as two words).
def transcript_from_sentences(sentences: Sequence[str], *, wpm: float = 150.0, pause_s: float = 0.5,
                              start_s: float = 0.5, probability: float = 0.9, model: str = "hand-made") -> Transcript:
    step = 60.0 / wpm
    t = start_s
    segments = []
    for sentence in sentences:
        words = []
        for piece in sentence.split():
            words.append(Word(piece, round(t, 3), round(t + step * 0.9, 3), probability))
            t += step
        if words:
            segments.append(Segment(sentence, words[0].start_s, words[-1].end_s, tuple(words)))
        t += pause_s
    all_words = tuple(w for s in segments for w in s.words)
    return Transcript(words=all_words, segments=tuple(segments), duration_s=round(t, 3), model=model)


def credit_text(section: Any, text: str, *, wpm: float = 150.0, **kwargs: Any) -> Any:
    """Crediting of `text` said as the whole of `section` (a bank Section), from a hand-made transcript:
    the tests and benches that judge crediting on written lines. kwargs go to credit_section."""
    from .analysis.credit.answer import credit_section
    from .analysis.sections import Span
    from .analysis.text import words_of

    glued, tokens = words_of(transcript_from_sentences([text], wpm=wpm).words)
    return credit_section(section, Span(section.name, 0, len(tokens) - 1), tokens, glued,
                          [section.name] * len(tokens), **kwargs)
