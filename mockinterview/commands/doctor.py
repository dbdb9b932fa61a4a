"""`mockinterview doctor`: what in the data folder needs repair, and the command that repairs each."""

from __future__ import annotations

import argparse
import shlex

from ._common import add_data_dir, data_dir


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "doctor",
        help="find attempts left unscored or unreadable, and say how to repair each",
        description=(
            "Check the data folder: the history database, and every attempt folder (settings or report that "
            "cannot be read, a recording a crash left unscored, a folder with nothing recorded). Prints one line "
            "per problem with the command that repairs it; exit code 0 when all is well, 1 otherwise. "
            "Nothing is changed."
        ),
        epilog="example: mockinterview doctor",
    )
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..attempts import attempt_folders
    from ..attempts.checkup import check_attempts
    from ..errors import HistoryError, StorageError
    from ..history.store import database_path, list_history

    root = data_dir(args)
    problems = 0
    try:
        list_history(root, sync=False)
    except StorageError:
        pass  # a read-only or full data folder: the history is still read; nothing to repair here
    except HistoryError as exc:
        problems += 1
        db = database_path(root)
        print(f"{exc}\n  repair: mv {_q(db)} {_q(db)}.bad && mockinterview history --rebuild"
              + _data_dir_option(args))
    findings = check_attempts(root)
    for f in findings:
        print(f"{f.folder}: {f.trouble}")
        print(f"  repair: {_repair(f, args)}")
    problems += len(findings)
    if problems:
        print(f"{problems} problem{'s' if problems != 1 else ''} found in {root}")
        return 1
    count = sum(1 for _ in attempt_folders(root))
    print(f"All well: {count} attempt{'s' if count != 1 else ''} in {root}, all readable and scored.")
    return 0


def _repair(f, args: argparse.Namespace) -> str:
    from ..attempts.checkup import Trouble

    where = _data_dir_option(args)
    if f.trouble in (Trouble.NEVER_SCORED, Trouble.UNREADABLE_REPORT) and f.audio is not None:
        return f"mockinterview report {_q(f.folder.name)} --score{where}"
    if f.trouble == Trouble.UNREADABLE_SETTINGS and f.audio is not None:
        # the recording is the candidate's: keep it, score it as a file, then move the folder out
        return (f"mockinterview score {_q(f.question_id) if f.question_id else 'QUESTION_ID'} {_q(f.audio)}{where}"
                f" (then move {_q(f.folder)} out of the data folder)")
    return f"rm -r {_q(f.folder)}"


def _data_dir_option(args: argparse.Namespace) -> str:
    return f" --data-dir {_q(args.data_dir)}" if getattr(args, "data_dir", None) else ""


def _q(value) -> str:
    return shlex.quote(str(value))
