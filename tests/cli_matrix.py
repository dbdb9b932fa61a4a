"""Runs many `mockinterview` command lines in one process, as the console script would (cli.main),
and prints one JSON result per line: argv, exit code, stdout, stderr, and the traceback of anything that
escaped main (which a user would see). One process per data folder keeps the matrix fast.

usage: python tests/cli_matrix.py '[["history", "--data-dir", "D"], ...]'
or, from a test: run_many([["history", "--data-dir", "D"], ...]) -> one result dict per command line
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import traceback
from pathlib import Path

from mockinterview.cli import main


def run(argv: list[str]) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    escaped = ""
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = 1
            escaped = traceback.format_exc()
    return {"argv": argv, "rc": code, "stdout": out.getvalue(), "stderr": err.getvalue(), "traceback": escaped}


def run_many(command_lines: list[list[str]]) -> list[dict]:
    """All the command lines in one new process (stdin closed, as in a script)."""
    here = Path(__file__).resolve()
    done = subprocess.run([sys.executable, str(here), json.dumps(command_lines)], cwd=here.parents[1],
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise AssertionError(f"cli_matrix failed: {done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines()]


if __name__ == "__main__":
    for argv in json.loads(sys.argv[1]):
        print(json.dumps(run(argv)), flush=True)
