"""Which question to practise when none is named: the principle practised least, then within it the
question practised least recently (never practised first)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..bank import Question
from ..attempts import AttemptInfo


def pick_question(questions: Sequence[Question], attempts: Sequence[AttemptInfo]) -> Question:
    if not questions:
        raise ValueError("the bank holds no questions")
    by_id = {q.id: q for q in questions}
    last_started: dict[str, str] = {}
    principle_counts: Counter[str] = Counter()
    for info in attempts:
        if info.started_at > last_started.get(info.question_id, ""):
            last_started[info.question_id] = info.started_at
        question = by_id.get(info.question_id)
        if question is not None:
            principle_counts.update(question.principles[:1])

    def rank(question: Question) -> tuple[int, str, str]:
        primary = question.principles[0]
        # "" sorts before any ISO time: never practised comes first; the id breaks ties stably.
        return principle_counts[primary], last_started.get(question.id, ""), question.id

    return min(questions, key=rank)
