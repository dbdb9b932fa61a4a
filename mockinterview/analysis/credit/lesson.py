"""A lesson in any words: a Reflection sentence the sentence classifier reads as a lesson, which the
speaker states as their own and does not hedge, hear from others, plan, or reduce to a platitude.

The claim judge finds a lesson said close to its claim ("these days I do things differently"); a lesson
in other words ("what I took from it is that I now push for an owner") is a sentence that *does* what a
Reflection does, which is what the section classifier was trained to read (`section_model.py`). The
classifier need only read it as a Reflection at chance or better (one in five sections): the rules carry
the rest. On the dev half of `tests/data/lessons.txt` (`bench/lessons.py`) the sentences that pass the
rules without being lessons (a result, an action, praise) sit at 0.00-0.07, and lessons at 0.19 and up.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

from .claims import FIRST_PERSON, GENERIC_LESSON, HEDGES
from .matcher import phrase_tokens
from .reading import Frame, read

if TYPE_CHECKING:  # the section classifier imports the embedder from this package
    from ..section_model import SentenceReader

LESSON_PROBABILITY = 0.2  # the classifier's probability that a sentence is a Reflection's: chance of five
NOT_STATED = frozenset({Frame.HEDGE, Frame.PLAN, Frame.HEARSAY, Frame.REQUEST})  # "a lesson" is not: maybe, someday, they say


def plainly_own(words: Sequence[str]) -> bool:
    """Normalised words said in the first person, with no hedge word and no generic virtue: what any lesson,
    cue word or not, needs ("maybe there's a lesson in there" and "communication is important" are none)."""
    joined = " ".join(words)
    return bool(FIRST_PERSON & set(words)) and not HEDGES.search(joined) and not GENERIC_LESSON.search(joined)


def stated_as_own(sentence: str) -> bool:
    """The speaker says it of themselves, as a thing they hold: plainly their own, and not framed as a
    hedge, hearsay, a plan or a request by the parse."""
    return plainly_own(phrase_tokens(sentence)) and not read(sentence, 0, len(sentence)).frames & NOT_STATED


def lesson_sentence(sentences: Sequence[str], reader: SentenceReader) -> str:
    """The first of the sentences that states a lesson, or ""."""
    if not sentences:
        return ""
    for sentence, row in zip(sentences, reader.read(sentences)):
        if math.exp(row.get("reflection", -math.inf)) >= LESSON_PROBABILITY and stated_as_own(sentence):
            return sentence
    return ""
