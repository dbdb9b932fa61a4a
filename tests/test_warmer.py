"""The clause warmer embeds the answer while it is spoken, so scoring after the end embeds almost nothing."""

from __future__ import annotations

import re

from mockinterview.analysis.credit.answer import SIGNAL_CLAIMS, texts_to_compare
from mockinterview.analysis.credit.meaning import candidates, is_embedded
from mockinterview.analysis.score import score_answer
from mockinterview.analysis.text import words_of
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.interview.warmer import ClauseWarmer
from mockinterview.testing import transcript_from_sentences

QUESTION = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")


def _sentences(tag: str) -> list[str]:
    """The model answer, a sentence each, with a tag so no other test has embedded these clauses."""
    text = " ".join(s.strong_example for s in QUESTION.sections)
    return [f"({tag}) {s}" for s in re.split(r"(?<=[.!?])\s+", text)]


def test_the_question_and_every_finished_sentence_are_embedded_before_the_end():
    transcript = transcript_from_sentences(_sentences("warmer one"), wpm=170)
    words = transcript.words
    warmer = ClauseWarmer(QUESTION)
    for n in range(20, len(words) + 1, 20):  # the words so far, as the recording loop offers them
        warmer.offer(words[:n])
    warmer.offer(words)
    warmer.close(wait=True)

    glued, tokens = words_of(words)
    last = tokens[-1].sentence
    finished = [c.claim for c in candidates(tokens, glued, 0, len(tokens)) if tokens[c.last].sentence != last]
    open_sentence = [c.claim for c in candidates(tokens, glued, 0, len(tokens)) if tokens[c.first].sentence == last]
    assert len(finished) > 20
    assert all(is_embedded(t) for t in finished)
    assert all(is_embedded(t) for t in texts_to_compare(QUESTION, [], []))
    assert not any(is_embedded(t) for t in open_sentence)  # still being spoken: its words may change
    assert warmer.embedded_updates >= 1

    score_answer(QUESTION, transcript)  # the report embeds what was left
    assert all(is_embedded(t) for t in open_sentence)


def test_an_offer_with_no_new_finished_sentence_embeds_nothing_more():
    words = transcript_from_sentences(_sentences("warmer two"), wpm=150).words
    warmer = ClauseWarmer(QUESTION)
    warmer.offer(words[:60])
    warmer.close(wait=True)
    first = warmer.embedded_updates
    warmer = ClauseWarmer(QUESTION)
    warmer.offer(words[:3])  # inside the first sentence: nothing finished yet
    warmer.close(wait=True)
    assert first == 1
    assert warmer.embedded_updates == 0


def test_an_own_storys_signal_claims_are_among_the_texts_embedded_ahead():
    """In an own story, initiative and a lesson are judged against SIGNAL_CLAIMS: embedded ahead too, so
    the first own-story report embeds none of them after the end."""
    texts = texts_to_compare(QUESTION, [], [])
    assert all(phrase in texts and claim in texts for phrase, claim in SIGNAL_CLAIMS.values())
