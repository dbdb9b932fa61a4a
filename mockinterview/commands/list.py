"""`mockinterview list`: the questions in the bank."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from ..bank import PRINCIPLES
from ._common import add_data_dir, load_full_bank, print_json


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "list",
        help="list the questions in the bank",
        description="List the questions: id, leadership principle(s) and total target time.",
        epilog="example: mockinterview list --principle ownership",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--principle", help="only questions for this principle (slug, e.g. ownership)")
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..errors import BankError

    bank = load_full_bank(args)
    questions = list(bank.questions)
    if args.principle:
        if args.principle not in PRINCIPLES:
            raise BankError(f'unknown principle "{args.principle}" (expected one of: {", ".join(PRINCIPLES)})')
        questions = [q for q in questions if args.principle in q.principles]
    if args.format == "json":
        print_json(
            [
                {"id": q.id, "principles": list(q.principles), "question": q.question, "total_target_s": q.total_target_s, "source_path": q.source_path}
                for q in questions
            ]
        )
        return 0
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("principle")
    table.add_column("target", justify="right", no_wrap=True)
    for q in questions:
        total = int(round(q.total_target_s))
        table.add_row(q.id, ", ".join(PRINCIPLES[p] for p in q.principles), f"{total // 60}:{total % 60:02d}")
    Console().print(table)
    return 0
