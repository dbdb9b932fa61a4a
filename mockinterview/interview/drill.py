"""Drill mode: one STAR section at a time, immediate feedback, `r` to retry, Enter to move on; ends
with the best take of each section."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.markup import escape
from rich.table import Table

from ..analysis import pacing
from ..analysis.report_data import SectionReport
from ..analysis.score import score_answer
from ..analysis.verdicts import section_label
from ..bank import Question
from ..errors import NoSpeechError
from ..attempts import AttemptDir, AttemptStatus
from .session import DEFAULT_PROBE_SILENCE_S, Devices, PracticeOptions
from .study import wait_key
from .turn import TurnPlan, record_turn


@dataclass(frozen=True)
class Take:
    section: str
    number: int  # 1-based take of this section
    audio: str
    report: SectionReport | None  # None when nothing was said
    fillers: int


def take_rank(take: Take) -> tuple[int, float]:
    """More phrases first, then the closest to the target time."""
    if take.report is None:
        return (-1, float("-inf"))
    r = take.report
    return (len(r.phrases_hit), -abs(r.duration_s - r.target_s))


def run_drill(question: Question, options: PracticeOptions, devices: Devices, attempt: AttemptDir) -> list[Take]:
    console = devices.console
    targets = question.targets_s(options.level)
    takes: list[Take] = []
    turn_index = 0
    console.rule("[bold]Drill")
    console.print(f"[bold]{escape(question.question)}[/]")
    devices.speaker.speak(question.question)
    for section in question.sections:
        number = 0
        while True:
            microphone = devices.open_microphone(turn_index)
            if microphone is None:
                _summary(devices, takes, attempt)
                return takes
            number += 1
            target = targets[section.name]
            console.rule(f"{section.name.title()} · target {target:g} s · take {number}")
            console.print("Key phrases: " + ", ".join(f'"{escape(p)}"' for p in section.strong_phrases))
            devices.speaker.speak(f"{section.name}. About {target:.0f} seconds.")
            path = attempt.drill_audio_path(section.name, number)
            attempt.update(turns=attempt.info.turns + (path.name,))
            plan = TurnPlan(
                sections=[(section.name, target)],
                total_target_s=target,
                stop_on_silence_s=options.stop_on_silence_s or (None if devices.from_files else DEFAULT_PROBE_SILENCE_S),
                max_s=max(30.0, 3 * target),
                live=options.live,
            )
            turn = record_turn(microphone, path, plan, clock=devices.clock, keys=devices.keys, console=console)
            turn_index += 1
            take = _score_take(question, section.name, target, path, number, devices, attempt)
            takes.append(take)
            _feedback(devices, take)
            attempt.save_drill({"takes": [_take_dict(t) for t in takes]})
            if turn.quit:
                attempt.update(status=AttemptStatus.INTERRUPTED)
                _summary(devices, takes, attempt)
                return takes
            if not devices.interactive:
                break
            console.print("[dim]r: retry this section · Enter: next section · q: quit[/]")
            key = wait_key(devices.keys, {"retry", "enter"}, devices.clock.sleep)
            if key == "quit":
                attempt.update(status=AttemptStatus.INTERRUPTED)
                _summary(devices, takes, attempt)
                return takes
            if key != "retry":
                break
    attempt.update(status=AttemptStatus.SCORED)
    _summary(devices, takes, attempt)
    return takes


def _score_take(question: Question, name: str, target: float, path, number: int, devices: Devices,
                attempt: AttemptDir) -> Take:
    transcript = devices.transcriber.transcribe(path, terms=question.terms)
    attempt.save_transcript(path, transcript.to_dict())
    # Score the take as a one-section answer, its target already scaled for the level.
    section = replace(question.section(name), target_s=target)
    alone = replace(question, sections=(section,), levels=())
    try:
        report = score_answer(alone, transcript)
    except NoSpeechError:
        return Take(name, number, path.name, None, 0)
    return Take(name, number, path.name, report.sections[0], sum(report.fillers.values()))


def _feedback(devices: Devices, take: Take) -> None:
    console = devices.console
    r = take.report
    if r is None:
        console.print("[yellow]No speech heard in that take.[/]")
        return
    pace = pacing.pace_label(r.wpm)
    console.print(f"Time {r.duration_s:.0f} s of {r.target_s:g} s: [bold]{section_label(r.verdict)}[/] · "
                  f"{r.wpm:.0f} WPM ({pace}) · fillers {take.fillers}")
    if advice := pacing.pace_advice(r.wpm):
        console.print(f"[yellow]{escape(advice)}[/]")
    if r.phrases_hit:
        console.print("[green]Hit[/]: " + ", ".join(f'"{escape(p)}"' for p in r.phrases_hit))
    if r.phrases_missed:
        console.print("[red]Missed[/]: " + ", ".join(f'"{escape(p)}"' for p in r.phrases_missed))
    for advice in r.advice:
        console.print(f"[dim]{escape(advice)}[/]")


def _summary(devices: Devices, takes: list[Take], attempt: AttemptDir) -> None:
    best: dict[str, Take] = {}
    for take in takes:
        if take.section not in best or take_rank(take) > take_rank(best[take.section]):
            best[take.section] = take
    table = Table(title="Best take of each section", box=None)
    for column in ("section", "take", "time", "target", "phrases"):
        table.add_column(column)
    for name, take in best.items():
        r = take.report
        if r is None:
            table.add_row(name, str(take.number), "-", "-", "no speech")
            continue
        total = len(r.phrases_hit) + len(r.phrases_missed)
        table.add_row(name, str(take.number), f"{r.duration_s:.0f} s", f"{r.target_s:g} s", f"{len(r.phrases_hit)}/{total}")
    devices.console.print(table)
    attempt.save_drill({"takes": [_take_dict(t) for t in takes], "best": {k: v.number for k, v in best.items()}})


def _take_dict(take: Take) -> dict:
    r = take.report
    return {
        "section": take.section,
        "take": take.number,
        "audio": take.audio,
        "fillers": take.fillers,
        "report": None if r is None else {
            "duration_s": r.duration_s, "target_s": r.target_s, "verdict": r.verdict, "wpm": r.wpm,
            "phrases_hit": list(r.phrases_hit), "phrases_missed": list(r.phrases_missed), "text": r.text,
        },
    }
