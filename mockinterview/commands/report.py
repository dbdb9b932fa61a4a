"""`mockinterview report ATTEMPT`: a saved attempt's report as HTML, text, Markdown or JSON."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from ._common import add_data_dir, data_dir, load_full_bank


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "report",
        help="show or write the report of a saved attempt",
        description=(
            "Show the report of a saved attempt. ATTEMPT is an attempt id, a unique start of one, `latest`, "
            "or an attempt folder. html writes the page into the attempt folder, beside the recording (or at "
            "--out), and prints its path."
        ),
        epilog="example: mockinterview report latest --format html --open",
    )
    parser.add_argument("attempt", metavar="ATTEMPT", help="attempt id, unique prefix, `latest` or folder")
    parser.add_argument("--format", choices=["html", "text", "json", "markdown"], default="html")
    parser.add_argument("--out", type=Path, metavar="PATH", help="write here instead of the attempt folder / stdout")
    parser.add_argument("--open", action="store_true", help="open the HTML report in the web browser")
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..attempts import write_text_atomic
    from ..history.lookup import resolve_attempt
    from ..report.html import read_report, write_html

    folder = resolve_attempt(data_dir(args), args.attempt)
    report = read_report(folder)
    if args.format == "html":
        question = load_full_bank(args).get(report.question_id)
        path = write_html(folder, question, args.out)
        print(path)
        if args.open:
            import webbrowser

            webbrowser.open(path.resolve().as_uri())
        return 0
    if args.format == "text":
        from rich.console import Console

        from ..report import text

        if args.out:
            page = io.StringIO()
            text.render(report, Console(file=page, width=100, color_system=None))
            write_text_atomic(args.out, page.getvalue())
        else:
            text.render(report, Console())
        return 0
    if args.format == "markdown":
        from ..report import markdown

        out = markdown.render(report)
    else:
        from ..report import json as json_report

        out = json_report.render(report)
    if args.out:
        write_text_atomic(args.out, out if out.endswith("\n") else out + "\n")
    else:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
