"""Pieces several commands share: the data directory, the bank with user stories, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..bank import BUILTIN_DIR, Bank, load_bank
from ..errors import StorageError
from ..plain import to_plain


def default_data_dir() -> Path:
    """MOCKINTERVIEW_HOME, else the platform's user data folder (XDG on Linux)."""
    if os.environ.get("MOCKINTERVIEW_HOME"):
        return Path(os.environ["MOCKINTERVIEW_HOME"]).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "mockinterview"
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "mockinterview"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mockinterview"


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where attempts, history and your own stories live (default: $MOCKINTERVIEW_HOME or the user data folder)",
    )


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder; a path that exists but is not a folder is refused here, for every command."""
    path = Path(getattr(args, "data_dir", None) or default_data_dir())
    if path.exists() and not path.is_dir():
        raise StorageError(f"{path}: the data folder is a file, not a folder; move the file or give another "
                           "--data-dir (or MOCKINTERVIEW_HOME)")
    return path


def writable_data_dir(args: argparse.Namespace) -> Path:
    """The data folder, refused up front when nothing can be saved in it (before the user types anything)."""
    path = data_dir(args)
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not os.access(existing, os.W_OK):
        cause = "the file system is read-only" if _read_only_mount(existing) else "permission denied"
        raise StorageError(f"{existing}: cannot save anything in the data folder: {cause}")
    return path


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def stories_dir(args: argparse.Namespace) -> Path:
    return data_dir(args) / "stories"


def load_full_bank(args: argparse.Namespace) -> Bank:
    """Built-in questions plus the user's own stories; a broken file is reported, never fatal."""
    paths: list[Path] = [BUILTIN_DIR]
    user = stories_dir(args)
    if user.is_dir():
        paths.append(user)
    bank = load_bank(paths)
    for problem in bank.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return bank


def print_json(value: Any) -> None:
    # One write: json.dump streams many small writes, slow for long listings.
    sys.stdout.write(json.dumps(to_plain(value), indent=2, ensure_ascii=False) + "\n")


def transcribe_with_progress(transcriber: Any, audio: Any, label: str, *, blocks: Any = None, **options: Any) -> Any:
    """`transcriber.transcribe_blocks` of an opened file (audio/file.AudioSource), or of `blocks` read from
    it, with a progress bar on stderr (seconds of audio done of all, time spent): a long file takes
    minutes, and the user sees it move. The bar is gone when it is done."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    total_s = max(audio.duration_s, 0.01)
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.completed:.0f}/{task.total:.0f} s of audio"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total_s)
        return transcriber.transcribe_blocks(
            audio.blocks() if blocks is None else blocks,
            on_progress=lambda done_s: progress.update(task, completed=min(done_s, total_s)), **options)
