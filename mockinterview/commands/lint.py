"""`mockinterview lint`: validate question files."""

from __future__ import annotations

import argparse

from ..bank import BUILTIN_DIR, lint


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "lint",
        help="validate question files",
        description="Validate question files (TOML). Prints one line per problem and exits 1 if there is any.",
        epilog="example: mockinterview lint prompts/",
    )
    parser.add_argument("paths", nargs="*", help="files or folders (default: the built-in prompts/)")
    return parser


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [BUILTIN_DIR]
    problems = lint(paths)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("ok")
    return 0
