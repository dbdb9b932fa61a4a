"""`mockinterview compare A B`: two attempts side by side, section by section."""

from __future__ import annotations

import argparse

from ._common import add_data_dir, data_dir, print_json

MARK = {"better": ("better", "green"), "worse": ("worse", "red"), "same": ("", "dim")}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "compare",
        help="compare two attempts: what improved, what got worse",
        description="Compare two scored attempts section by section (time, verdict, strong phrases) and overall.",
        epilog="example: mockinterview compare 20261127-0910 latest",
    )
    parser.add_argument("a", metavar="ATTEMPT_A", help="the earlier attempt: id, unique prefix, `latest` or folder")
    parser.add_argument("b", metavar="ATTEMPT_B", help="the later attempt")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from ..history.compare import compare_reports
    from ..history.lookup import resolve_attempt
    from ..report.html import read_report

    root = data_dir(args)
    fa, fb = resolve_attempt(root, args.a), resolve_attempt(root, args.b)
    ra, rb = read_report(fa), read_report(fb)
    comparison = compare_reports(fa.name, ra, fb.name, rb)
    if args.format == "json":
        print_json(comparison)
        return 0
    console = Console(highlight=False)
    for label, report in (("A", ra), ("B", rb)):
        if report.partial:
            console.print(f"[yellow]Note: {label} is a partial report (stopped {escape(report.partial)}); "
                          "its figures cover only what was said before the stop.[/]")
    if ra.question_id != rb.question_id:
        console.print(f"[yellow]Note: different questions ({ra.question_id} vs {rb.question_id}).[/]")
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("section")
    table.add_column("measure")
    table.add_column(f"A {fa.name}" + (" (partial)" if ra.partial else ""), justify="right")
    table.add_column(f"B {fb.name}" + (" (partial)" if rb.partial else ""), justify="right")
    table.add_column("")
    last = None
    for c in comparison.changes:
        word, style = MARK[c.outcome]
        table.add_row(c.section.title() if c.section != last else "", c.measure, c.a, c.b, Text(word, style=style),
                      end_section=False)
        last = c.section
    console.print(table)
    console.print()
    for title, items, style in (("Improved", comparison.improved, "green"), ("Got worse", comparison.worse, "red")):
        measures = [f"{c.section} {c.measure} {c.a} → {c.b}" for c in items if not c.measure.startswith("said ")]
        phrases = [c.measure.removeprefix("said ") for c in items if c.measure.startswith("said ")]
        if phrases:
            measures.append(("now said: " if style == "green" else "no longer said: ") + ", ".join(phrases))
        # Text, not markup: phrases come from question files and may hold [brackets]
        console.print(Text.assemble((f"{title}: ", f"bold {style}"), "; ".join(measures) or "nothing"))
    return 0
