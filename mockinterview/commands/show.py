"""`mockinterview show ID`: one question in full."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape

from ..bank import PRINCIPLES, Question
from ._common import add_data_dir, load_full_bank, print_json


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "show",
        help="show one question in full",
        description="Show a question: scenario, STAR targets and phrases, probes, weak answer, quiz, angles, levels.",
        epilog="example: mockinterview show anticipate-customer-need --format json",
    )
    parser.add_argument("id", help="question id (see `mockinterview list`)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    question = load_full_bank(args).get(args.id)
    if args.format == "json":
        print_json(question)
    else:
        render(question, Console())
    return 0


def render(q: Question, console: Console) -> None:
    p = console.print
    p(f"[bold]{escape(q.question)}[/]")
    p(f"[dim]{q.id} · {', '.join(PRINCIPLES[x] for x in q.principles)} · target {q.total_target_s:g} s[/]\n")
    p("[bold]Scenario[/]")
    p(escape(q.scenario_overview))
    p(f"\n{escape(q.scenario_summary)}\n")
    for s in q.sections:
        p(f"[bold cyan]{s.name.title()}[/] · target {s.target_s:g} s")
        if s.strong_example:
            p(f"  Strong example: {escape(s.strong_example)}")
        p(f"  Strong phrases: {escape(', '.join(repr(x) for x in s.strong_phrases))}")
        p(f"  Coaching: {escape(s.coaching)}")
        p(f"  Common mistake: {escape(s.common_mistake)}\n")
    for level_id, text in q.reflections.items():
        p(f"[bold]{level_id.upper()} reflection[/]: {escape(text)}")
    if q.probes:
        p("\n[bold]Follow-up probes[/]")
    for i, probe in enumerate(q.probes, 1):
        p(f"{i}. {escape(probe.question)} [dim](probes: {escape(probe.probes)})[/]")
        p(f"   [red]Weak[/]: {escape(probe.weak_answer)}")
        p(f"         {escape(probe.weak_why)}")
        p(f"   [green]Strong[/]: {escape(probe.strong_answer)}")
        p(f"   Key phrase: {escape(probe.key_phrase)}")
    if q.weak_answer:
        w = q.weak_answer
        p("\n[bold]Weak answer[/]")
        p(escape(w.text))
        for flag in w.flags:
            p(f"  • {escape(flag)}")
        p(f"Bar raiser: {escape(w.verdict)} [bold]{escape(w.verdict_label)}[/]")
    if q.quiz:
        p("\n[bold]Quiz[/]")
    for i, item in enumerate(q.quiz, 1):
        p(f"{i}. {escape(item.question)}")
        for j, option in enumerate(item.options):
            mark = "*" if j == item.correct else " "
            p(f"  {mark} {chr(ord('a') + j)}) {escape(option)}")
        p(f"  [dim]{escape(item.explanation)}[/]")
    if q.angles:
        p("\n[bold]Leadership-principle angles[/]")
    for a in q.angles:
        p(f"[bold]{PRINCIPLES[a.principle]}[/] ({a.id}): {escape(a.lead_with)}")
        p(f"  Emphasize: {escape(a.emphasize)}")
        p(f"  Downplay: {escape(a.downplay)}")
    if q.levels:
        p("\n[bold]Levels[/]")
    for g in q.levels:
        band = f"{g.total_min_s:g}-{g.total_max_s:g} s"
        p(f"[bold]{escape(g.title)}[/] ({g.id}, {band}) {escape(g.length_note)}")
        for label, text in (("Focus", g.focus), ("Reflection", g.reflection), ("Bar", g.bar)):
            if text:
                p(f"  {label}: {escape(text)}")
