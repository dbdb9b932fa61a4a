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
    parser.add_argument("--score", action="store_true",
                        help="score the attempt's saved recording first and save the report (an attempt stopped "
                             "by a crash before its report was written; see `mockinterview doctor`)")
    parser.add_argument("--model", help="with --score: speech model name or path (default: the bundled tiny.en)")
    add_data_dir(parser)
    return parser


def score_saved_recording(args: argparse.Namespace, folder: Path) -> None:
    """Scores the answer recorded in `folder` with the attempt's own settings, saves the report and records
    it in the history. A recording cut short by a crash gets a partial report."""
    from dataclasses import replace

    from ..asr import Transcriber
    from ..attempts import REPORT_FILE, AttemptDir, AttemptStatus, answer_audio, read_json
    from ..audio.file import open_audio
    from ..errors import HistoryError
    from ..history.store import record_attempt
    from .score import score_recording

    attempt = AttemptDir.open(folder)
    audio = answer_audio(folder)
    if audio is None:
        raise HistoryError(f"{folder}: no answer was recorded, nothing to score (remove the folder: rm -r {folder})")
    info = attempt.info
    if info.status == AttemptStatus.SCORED and read_json(folder / REPORT_FILE) is not None:
        raise HistoryError(f"{folder}: already scored, with its follow-ups; --score is for an attempt whose "
                           "report was never written")
    question = load_full_bank(args).get(info.question_id)
    marks = list(info.marks_s) if info.sections_mode == "guided" and len(info.marks_s) > 1 else None
    report = score_recording(question, open_audio(audio), Transcriber.load(args.model), level=info.level,
                             angle=info.angle, marks_s=marks)
    if info.status in (AttemptStatus.RECORDING, AttemptStatus.INTERRUPTED):
        report = replace(report, partial="before the report was written (scored later from the recording)")
        attempt.update(status=AttemptStatus.INTERRUPTED, note=f"stopped {report.partial}")
    else:
        attempt.update(status=AttemptStatus.SCORED)
    attempt.save_report(report.to_dict())
    record_attempt(data_dir(args), folder)


def run(args: argparse.Namespace) -> int:
    from ..attempts import write_text_atomic
    from ..history.lookup import resolve_attempt
    from ..report.html import read_report, write_html

    folder = resolve_attempt(data_dir(args), args.attempt)
    if args.score:
        score_saved_recording(args, folder)
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
