"""Delivery measures: fillers ("like" only as a filler), pauses, "I" vs "we", words per minute, onsets."""

from __future__ import annotations

import numpy as np

from mockinterview.analysis import pacing
from mockinterview.testing import transcript_from_sentences
from mockinterview.analysis.text import words_of
from mockinterview.asr.transcript import Word


def fillers_in(*sentences: str) -> dict[str, int]:
    _, tokens = words_of(transcript_from_sentences(sentences).words)
    return pacing.count_fillers(pacing.find_fillers(tokens))


def test_filler_words_and_pairs():
    assert fillers_in("Um, so, I mean, it was, uh, kind of broken, you know.", "Basically it failed.") == {
        "I mean": 1, "basically": 1, "kind of": 1, "uh": 1, "um": 1, "you know": 1}


def test_like_as_verb_or_preposition_is_not_a_filler():
    assert fillers_in("I like fixing bugs.", "I would like to see an SLO.", "It looks like a race.") == {}
    assert fillers_in("It failed, like, under load.", "Like, nobody noticed.") == {"like": 2}


def test_kind_of_after_a_determiner_is_not_a_filler():
    assert fillers_in("I like this kind of problem.") == {}


def test_you_know_as_a_question_is_not_a_filler():
    assert fillers_in("Do you know what happened?") == {}


def test_pauses_over_two_seconds_with_times():
    words = [Word("I", 0.0, 0.2, 0.9), Word("noticed.", 0.3, 0.8, 0.9), Word("Then", 3.5, 3.8, 0.9), Word("I", 3.9, 4.0, 0.9)]
    glued, _ = words_of(words)
    pauses = pacing.find_pauses(glued)
    assert [(p.start_s, p.end_s, p.duration_s) for p in pauses] == [(0.8, 3.5, 2.7)]


def test_pronouns_count_contractions():
    glued, _ = words_of(transcript_from_sentences(["I'm sure we fixed it.", "We'll see, I said."]).words)
    assert pacing.count_pronouns(glued) == {"i": 2, "we": 2}
    assert pacing.we_sentences(glued) == ["I'm sure we fixed it.", "We'll see, I said."]


def test_words_per_minute_over_the_spoken_span():
    transcript = transcript_from_sentences(["one two three four five six seven eight nine ten"] * 3, wpm=150, pause_s=0.0)
    glued, _ = words_of(transcript.words)
    assert abs(pacing.words_per_minute(glued) - 150) < 3


def test_pace_labels_only_flag_sustained_extremes():
    assert pacing.pace_label(145) == "comfortable"
    assert pacing.pace_label(170) == "a little fast"
    assert pacing.pace_label(200) == "too fast"
    assert pacing.pace_label(100) == "too slow"


def bursts(starts_s, length_s=0.6, total_s=6.0, rate=16_000, noise=0.0):
    rng = np.random.default_rng(1)
    x = noise * rng.standard_normal(int(total_s * rate)).astype(np.float32)
    t = np.arange(int(length_s * rate)) / rate
    for s in starts_s:
        a = int(s * rate)
        x[a : a + len(t)] += 0.3 * np.sin(2 * np.pi * 220 * t).astype(np.float32)
    return x


def test_speech_onsets_from_energy_in_quiet_and_noise():
    for noise in (0.0, 0.01):
        onsets = pacing.speech_onsets(bursts([0.5, 2.0, 4.1], noise=noise), 16_000)
        assert [round(o, 1) for o in onsets] == [0.5, 2.0, 4.1]


def test_no_onsets_in_silence():
    assert pacing.speech_onsets(np.zeros(16_000 * 3, np.float32), 16_000) == ()


def test_whisper_stretched_first_word_is_moved_to_the_onset():
    words = [Word("done.", 0.0, 0.6, 0.9), Word("Then", 0.7, 2.3, 0.9), Word("I", 2.3, 2.5, 0.9)]
    fixed = pacing.apply_onsets(words, [0.0, 2.0])
    assert [w.start_s for w in fixed] == [0.0, 2.0, 2.3]
