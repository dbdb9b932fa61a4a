"""`mockinterview export OUT.zip`: your attempts (history and recordings) in one zip."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_data_dir, data_dir


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "export",
        help="export attempts (history and audio) to a zip",
        description="Write every attempt (or one question's) to a zip: the history rows as JSON and the attempt "
                    "folders with their recordings. Bring it to another machine with `mockinterview import`.",
        epilog="example: mockinterview export ~/interview-practice.zip --question anticipate-customer-need",
    )
    parser.add_argument("out", type=Path, metavar="OUT.zip")
    parser.add_argument("--question", metavar="ID", help="only this question's attempts")
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..history.archive import export_zip

    count = export_zip(data_dir(args), args.out, args.question)
    print(f"Exported {count} attempts to {args.out}")
    return 0
