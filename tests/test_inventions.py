"""asr/inventions.py, the one guard every decode passes (whole-file, streaming chunks, repair), as pure
functions of segments and a speech mask. The same guard on real audio under each CPU kernel is judged
in test_kernels.py."""

from __future__ import annotations

import logging

import numpy as np

from mockinterview.asr.inventions import is_known_invention, squeezed_words, without_inventions
from mockinterview.asr.speech import FRAME_S
from mockinterview.asr.transcript import Segment, Word


def _words(start_s: float, texts: str, each_s: float = 0.3) -> tuple[Word, ...]:
    return tuple(Word(t, round(start_s + i * each_s, 3), round(start_s + (i + 1) * each_s - 0.05, 3), 0.9)
                 for i, t in enumerate(texts.split()))


def _at(instant_s: float, texts: str) -> tuple[Word, ...]:
    return tuple(Word(t, instant_s, instant_s, 0.05) for t in texts.split())


def _segment(words: tuple[Word, ...], no_speech_prob: float = 0.0) -> Segment:
    return Segment(" ".join(w.text for w in words), words[0].start_s, words[-1].end_s, words, no_speech_prob)


def _mask(duration_s: float, *speech: tuple[float, float]) -> np.ndarray:
    mask = np.zeros(int(duration_s / FRAME_S), bool)
    for a, b in speech:
        mask[int(a / FRAME_S) : int(b / FRAME_S)] = True
    return mask


def _texts(segments) -> list[str]:
    return [w.text for s in segments for w in s.words]


def test_the_closing_avx2_invents_is_dropped_whole():
    """What CT2_FORCE_CPU_ISA=AVX2 made of the weak-we answer's end: the first "Thank" has a length, the
    other seven words sit at two instants; the audio under them is the closing pause."""
    said = _words(48.0, "communication across teams is really important.")
    closing = (Word("Thank", 51.47, 51.75, 0.03),) + _at(51.75, "you very much.") + \
        (Word("Thank", 51.75, 52.15, 0.1),) + _at(52.15, "you very much.")
    mask = _mask(53.0, (48.0, 49.8))
    kept, dropped = without_inventions([_segment(said), _segment(closing[:4]), _segment(closing[4:])], mask)
    assert _texts(kept) == [w.text for w in said]
    assert {d.reason for d in dropped} >= {"squeezed into an instant"}
    assert sum(len(d.words) for d in dropped) == 8


def test_a_lone_zero_length_word_is_a_real_word():
    words = _words(1.0, "so") + (Word("I", 1.4, 1.4, 0.8),) + _words(1.5, "traced the retries")
    assert squeezed_words(words) == set()
    kept, dropped = without_inventions([_segment(words)], _mask(3.0, (1.0, 2.5)))
    assert _texts(kept) == [w.text for w in words] and dropped == []


def test_a_burst_is_eight_words_too_tight_to_say():
    spoken = _words(0.0, "I traced the problem to a race condition in the retry logic")
    burst = tuple(Word(t, 5.0 + 0.07 * i, 5.0 + 0.07 * i + 0.05, 0.1) for i, t in enumerate("I got over a bunch of dollars again".split()))
    assert squeezed_words(spoken + burst) == set(range(len(spoken), len(spoken) + len(burst)))
    kept, _ = without_inventions([_segment(spoken), _segment(burst)], _mask(6.0, (0.0, 6.0)))
    assert _texts(kept) == [w.text for w in spoken]


def test_words_over_silence_are_dropped_but_a_mask_with_no_speech_judges_nothing():
    said, invented = _words(0.5, "I rolled it out"), _words(6.0, "and then")
    kept, dropped = without_inventions([_segment(said + invented)], _mask(8.0, (0.5, 1.8)))
    assert _texts(kept) == [w.text for w in said]
    assert [(d.reason, len(d.words)) for d in dropped] == [("over silence", 2)]
    kept, _ = without_inventions([_segment(said + invented)], np.zeros(400, bool))
    assert _texts(kept) == [w.text for w in said + invented]


def test_known_closings_and_fillers_are_dropped_only_alone():
    for text in ("Thank you.", "Thank you very much. Thank you very much.", "Thanks for watching!", "you", "Thank"):
        assert is_known_invention(_words(0.0, text)), text
    for text in ("Thank you for the question.", "you can see the dashboard", "I thanked the team"):
        assert not is_known_invention(_words(0.0, text)), text
    segs = [_segment(_words(0.0, "we shipped it on Friday.")), _segment(_words(2.0, "Thank you."))]
    kept, dropped = without_inventions(segs, _mask(3.0, (0.0, 3.0)))
    assert _texts(kept) == "we shipped it on Friday.".split() and dropped[0].reason == "a known closing or filler"


def test_a_repeated_segment_and_a_doubted_quiet_one_are_dropped(caplog):
    first = _segment(_words(0.0, "the error rate fell to zero."))
    again = _segment(_words(2.0, "the error rate fell to zero."))
    doubted = _segment(_words(5.0, "okay so yeah"), no_speech_prob=0.7)
    with caplog.at_level(logging.DEBUG, logger="mockinterview.asr.inventions"):
        kept, dropped = without_inventions([first, again, doubted], _mask(6.0, (0.0, 4.0), (5.0, 5.1), (5.5, 5.6)))
    assert kept == [first]
    assert [d.reason for d in dropped] == ["repeats the segment before", "doubted by Whisper and mostly quiet"]
    assert "repeats the segment before" in caplog.text  # the reason is logged at debug level


def test_the_repeat_check_looks_at_segments_already_kept():
    committed = _segment(_words(0.0, "I wrote the fix."))
    kept, _ = without_inventions([_segment(_words(2.0, "I wrote the fix."))], _mask(3.0, (0.0, 3.0)), before=[committed])
    assert kept == []
