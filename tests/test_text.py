"""Tokens from Whisper's word list: number pieces glued, case/punctuation/contractions/numbers normalised."""

from __future__ import annotations

import pytest

from mockinterview.analysis.text import glue_words, normalize_text, words_of
from mockinterview.asr.transcript import Word


def timed(*pieces: str) -> list[Word]:
    return [Word(p, i * 0.5, i * 0.5 + 0.4, 0.9) for i, p in enumerate(pieces)]


def test_money_split_by_whisper_is_glued_with_its_times():
    glued = glue_words(timed("recovered", "$8", ",000", "weekly"))
    assert [g.text for g in glued] == ["recovered", "$8,000", "weekly"]
    assert (glued[1].start_s, glued[1].end_s, glued[1].first, glued[1].last) == (0.5, 1.4, 1, 2)


def test_percent_in_three_pieces_is_one_number():
    _, tokens = words_of(timed("from", "0", ".3", "%", "to", "0."))
    assert [t.norm for t in tokens] == ["from", "0.3", "percent", "to", "0"]
    assert tokens[1].start_s == 0.5 and tokens[1].end_s == 1.9


def test_decimal_followed_by_thousands_is_two_numbers():
    # tiny.en wrote "zero, with $8,000" as "0 .8 ,000": no number looks like that
    _, tokens = words_of(timed("to", "0", ".8", ",000", "recovered"))
    assert [t.norm for t in tokens] == ["to", "0", "8000", "recovered"]


def test_hyphen_pieces_join_the_word_before():
    glued = glue_words(timed("a", "ready", "-to", "-merge", "PR"))
    assert [g.text for g in glued] == ["a", "ready-to-merge", "PR"]


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        ("$8,000 recovered weekly", ["8000", "dollars", "recovered", "weekly"]),
        ("eight thousand dollars", ["8000", "dollars"]),
        ("$8K", ["8000", "dollars"]),
        ("0.3% to zero", ["0.3", "percent", "to", "0"]),
        ("zero point three percent", ["0.3", "percent"]),
        ("point three percent", ["0.3", "percent"]),
        ("the point is", ["the", "point", "is"]),
        ("about eight grand a week", ["about", "8000", "a", "week"]),
        ("a grand total", ["a", "grand", "total"]),
        ("0.3 per cent", ["0.3", "percent"]),
        ("twenty five", ["25"]),
        ("Wasn't my team's", ["wasnt", "my", "teams"]),
        ("was not my team", ["was", "not", "my", "team"]),
        ("ready-to-merge PR.", ["ready", "to", "merge", "pr"]),
        ("I noticed,", ["i", "noticed"]),
        ("$3 million in orders", ["3000000", "dollars", "in", "orders"]),
        ("$2.5 billion", ["2500000000", "dollars"]),
        ("1.5 million users", ["1500000", "users"]),
        ("1.5 hours", ["1.5", "hours"]),
    ],
)
def test_normalize(written, tokens):
    assert normalize_text(written) == tokens


def test_sentences_follow_end_punctuation_but_not_decimal_points():
    _, tokens = words_of(timed("It", "was", "0.3%.", "Then", "I", "acted."))
    assert [t.sentence for t in tokens] == [0, 0, 0, 0, 1, 1, 1]


def test_commas_are_kept_as_flags():
    _, tokens = words_of(timed("failing,", "like,", "maybe"))
    assert tokens[1].comma_after and tokens[0].comma_after and not tokens[2].comma_after
