"""asr/repair.py as pure functions: which speech no word covers, and
how a stretch decoded again is put in place. The real-audio checks are in test_transcriber_fixtures.py
(every sentence of each fixture heard)."""

from __future__ import annotations

import numpy as np

from mockinterview.asr.repair import repaired, unheard_stretches
from mockinterview.asr.speech import FRAME_S
from mockinterview.asr.transcript import Segment, Word

RATE = 16_000


def _words(start_s: float, texts: str, each_s: float = 0.3) -> tuple[Word, ...]:
    return tuple(Word(t, round(start_s + i * each_s, 3), round(start_s + (i + 1) * each_s - 0.05, 3), 0.9)
                 for i, t in enumerate(texts.split()))


def _segment(words: tuple[Word, ...]) -> Segment:
    return Segment(" ".join(w.text for w in words), words[0].start_s, words[-1].end_s, words)


def _speech(duration_s: float, *stretches: tuple[float, float]) -> np.ndarray:
    """A tone where the stretches are, quiet noise elsewhere: speech to the energy mask."""
    rng = np.random.default_rng(0)
    samples = rng.normal(0, 1e-4, int(duration_s * RATE)).astype(np.float32)
    for a, b in stretches:
        t = np.arange(int(a * RATE), int(b * RATE))
        samples[t] += (0.2 * np.sin(2 * np.pi * 180 * t / RATE)).astype(np.float32)
    return samples


def test_speech_under_no_word_is_unheard():
    words = _words(0.5, "one two three four five")  # 0.5 .. 1.95 s
    mask = np.zeros(int(10 / FRAME_S), bool)
    mask[int(0.5 / FRAME_S) : int(2.0 / FRAME_S)] = True  # covered by the words
    mask[int(4.0 / FRAME_S) : int(6.0 / FRAME_S)] = True  # nobody heard this
    mask[int(8.0 / FRAME_S) : int(8.4 / FRAME_S)] = True  # a breath: too short to be a clause
    assert unheard_stretches(words, mask) == [(4.0, 6.0)]


def test_an_unheard_stretch_is_decoded_again_and_put_in_place():
    before, after = _words(0.5, "I pulled the logs"), _words(8.0, "and I wrote a fix")
    samples = _speech(10.0, (0.5, 1.7), (3.0, 4.1), (4.8, 6.5), (8.0, 9.5))
    asked: list[tuple[int, int]] = []

    def decode(piece: np.ndarray) -> list[Segment]:
        asked.append((piece.size, len(asked)))
        return [_segment(_words(1.8, "then I traced the race"))]  # times from the piece's start

    out = repaired([_segment(before), _segment(after)], samples, decode)
    assert len(asked) == 1  # two unheard stretches between the same two words: one decode
    texts = [w.text for s in out for w in s.words]
    assert texts == "I pulled the logs then I traced the race and I wrote a fix".split()
    inserted = out[1].words
    assert before[-1].end_s < inserted[0].start_s < inserted[-1].end_s < after[0].start_s


def test_nothing_is_decoded_when_every_stretch_is_heard():
    words = _words(0.5, "I pulled the logs and traced the race")
    samples = _speech(4.0, (0.5, 2.9))
    segments = [_segment(words)]

    def decode(piece: np.ndarray) -> list[Segment]:
        raise AssertionError("decoded although every stretch was heard")

    assert repaired(segments, samples, decode) == segments
