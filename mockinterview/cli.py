"""Command line: builds one sub-command per module in `mockinterview.commands`, and is the only
place that turns the package's errors into messages and exit codes."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import signal
import sys
import threading

from . import __version__, commands
from .allocator import map_large_buffers
from .errors import MockInterviewError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockinterview",
        description="Offline voice mock-interview coach for behavioral (STAR) answers.",
    )
    parser.add_argument("--version", action="version", version=f"mockinterview {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        command = module.add_parser(sub)
        command.set_defaults(run=module.run)
    return parser


def _interruptible() -> None:
    """Ctrl-C (SIGINT) ends any command cleanly, keeping what was recorded, even when the process was
    started with SIGINT ignored (a shell without job control starts background jobs so, and Python
    then installs no handler of its own): a recording could otherwise only be killed, or never end."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    map_large_buffers()  # before any audio is read: memory flat with a file's length (allocator.py)
    _interruptible()
    try:
        return int(args.run(args) or 0)
    except MockInterviewError as exc:
        print(f"mockinterview {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"mockinterview {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a last net: the stages convert the errors they expect, naming the file
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"mockinterview {args.command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
