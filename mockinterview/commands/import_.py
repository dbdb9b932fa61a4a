"""`mockinterview import IN.zip`: add attempts exported on another machine."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_data_dir, data_dir


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "import",
        help="import attempts from a zip made by `mockinterview export`",
        description="Add the attempts in an export zip to this data folder. Attempts already here are skipped, "
                    "never overwritten.",
        epilog="example: mockinterview import ~/interview-practice.zip",
    )
    parser.add_argument("source", type=Path, metavar="IN.zip")
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..history.archive import import_zip

    imported, skipped = import_zip(data_dir(args), args.source)
    note = f" ({skipped} already here, skipped)" if skipped else ""
    print(f"Imported {imported} attempts from {args.source}{note}")
    return 0
