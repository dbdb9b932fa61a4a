"""Study mode: the walkthrough read aloud and shown, section by section, then the quiz by key press."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape

from ..bank import Question
from ..bank.model import DEFAULT_LEVEL
from .keys import KeySource

POLL_S = 0.05


@dataclass(frozen=True)
class QuizAnswer:
    question: str
    chosen: int | None  # None when skipped
    correct: int

    @property
    def is_correct(self) -> bool:
        return self.chosen == self.correct


@dataclass(frozen=True)
class StudyResult:
    answers: tuple[QuizAnswer, ...]
    finished: bool

    @property
    def score(self) -> int:
        return sum(a.is_correct for a in self.answers)


def wait_key(keys: KeySource, allowed: set[str], sleep: Callable[[float], None], timeout_s: float | None = None) -> str | None:
    waited = 0.0
    while timeout_s is None or waited < timeout_s:
        key = keys.poll()
        if key in allowed:
            return key
        if key == "quit":
            return "quit"
        sleep(POLL_S)
        waited += POLL_S
    return None


def run_study(
    question: Question,
    *,
    console: Console,
    speak: Callable[[str], None],
    keys: KeySource,
    sleep: Callable[[float], None],
    level: str | None = None,
    interactive: bool = True,
) -> StudyResult:
    """`speak` says text aloud (a no-op without voice); with `interactive` off, nothing waits for keys."""

    def pause() -> bool:
        if not interactive:
            return True
        console.print("[dim]Enter: continue · q: quit[/]")
        return wait_key(keys, {"enter"}, sleep) != "quit"

    console.rule(f"[bold]Study · {escape(question.question)}")
    console.print(f"[bold]Scenario[/]\n{escape(question.scenario_overview)}\n")
    speak(question.scenario_overview)
    console.print(f"{escape(question.scenario_summary)}\n")
    if not pause():
        return StudyResult(answers=(), finished=False)

    targets = question.targets_s(level)
    for section in question.sections:
        console.rule(f"{section.name.title()} · target {targets[section.name]:g} s")
        example = section.strong_example or question.reflections.get(level or DEFAULT_LEVEL, "")
        if example:
            console.print(f"[bold]Strong example[/]: {escape(example)}")
        console.print("[bold]Key phrases[/]: " + ", ".join(f'"{escape(p)}"' for p in section.strong_phrases))
        console.print(f"[bold]Coaching[/]: {escape(section.coaching)}")
        console.print(f"[bold]Common mistake[/]: {escape(section.common_mistake)}\n")
        speak(
            f"{section.name}. Target {targets[section.name]:g} seconds. {example} "
            f"Coaching: {section.coaching} Common mistake: {section.common_mistake}"
        )
        if not pause():
            return StudyResult(answers=(), finished=False)

    answers: list[QuizAnswer] = []
    letters = "abcdefgh"
    for index, item in enumerate(question.quiz, 1):
        console.rule(f"Quiz {index}/{len(question.quiz)}")
        console.print(f"[bold]{escape(item.question)}[/]")
        for j, option in enumerate(item.options):
            console.print(f"  {letters[j]}) {escape(option)}")
        speak(item.question)
        chosen: int | None = None
        if interactive:
            console.print(f"[dim]Press {letters[0]}-{letters[len(item.options) - 1]} (q to quit)[/]")
            key = wait_key(keys, set(letters[: len(item.options)]), sleep)
            if key == "quit":
                return StudyResult(answers=tuple(answers), finished=False)
            chosen = letters.index(key) if key else None
        answer = QuizAnswer(question=item.question, chosen=chosen, correct=item.correct)
        answers.append(answer)
        right = f"{letters[item.correct]}) {escape(item.options[item.correct])}"
        if chosen is None:
            console.print(f"Answer: {right}")
        elif answer.is_correct:
            console.print(f"[green]Correct[/]: {right}")
        else:
            console.print(f"[red]Not quite[/]: you chose {letters[chosen]}; the answer is {right}")
        console.print(f"[dim]{escape(item.explanation)}[/]\n")
    if answers and interactive:
        console.print(f"[bold]Quiz score: {sum(a.is_correct for a in answers)}/{len(answers)}[/]")
    return StudyResult(answers=tuple(answers), finished=True)
