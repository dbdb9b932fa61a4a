"""`mockinterview history [QUESTION_ID]`: every attempt, with trends per question."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._common import add_data_dir, data_dir


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "history",
        help="list your attempts with trends per question",
        description=(
            "List your attempts (time against target, phrase coverage, fillers per minute, WPM, I/we, verdict) "
            "and, per question, the trend of each measure as a sparkline. html writes a page with charts."
        ),
        epilog="example: mockinterview history anticipate-customer-need --format html --out history.html",
    )
    parser.add_argument("question_id", nargs="?", help="only this question's attempts")
    parser.add_argument("--format", choices=["text", "json", "html"], default="text")
    parser.add_argument("--out", type=Path, metavar="PATH",
                        help="html: write the page here (default: history.html in the data folder)")
    parser.add_argument("--rebuild", action="store_true",
                        help="re-read every attempt folder into the database (after moving a corrupt one aside)")
    parser.add_argument("--include-partial", action="store_true",
                        help="count attempts stopped early (marked partial) in the trends too")
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ..attempts import write_text_atomic
    from ..history import render
    from ..history.store import database_path, list_history, rebuild

    root = data_dir(args)
    if args.rebuild:
        count, unreadable = rebuild(root)
        print(f"Recorded {count} attempt folders into {database_path(root)}"
              + (f"; {len(unreadable)} could not be read" if unreadable else ""))
        for path, why in unreadable:
            print(f"  not recorded: {path}: {why}", file=sys.stderr)
    rows = list_history(root, args.question_id)
    if args.format == "json":
        # one write: json.dump streams thousands of small writes, slow for a long history
        sys.stdout.write(json.dumps(render.to_json(rows, root, include_partial=args.include_partial), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "html":
        out = args.out or root / "history.html"
        write_text_atomic(out, render.render_html(rows, root, out.parent, include_partial=args.include_partial))
        print(out)
    else:
        render.render_text(rows, Console(highlight=False), show_question=args.question_id is None,
                           include_partial=args.include_partial)
    return 0
