"""Hand-made transcripts: timed words from sentences, for tests and examples that need no model.

Each word takes 60/wpm seconds and every sentence is followed by the same pause, like the fixtures.
Words are split on spaces and kept as written, so Whisper's habits can be imitated on purpose
("$8", ",000" as two words).
"""

from __future__ import annotations

from typing import Sequence

from ..asr.transcript import Segment, Transcript, Word


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
