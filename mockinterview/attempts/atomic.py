"""Crash-safe file writes: write a temp file beside the target, fsync it, then rename over the target,
so a crash leaves the old file or the new one, never half of one."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import storage_error


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yields a temp path to fill; on success it is synced and renamed to `path`, on failure removed.
    When the temp file cannot be made (read-only or full disk, a file where a folder should be) a
    StorageError names `path`; the body's own OSErrors pass through, as they may concern other files."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise storage_error(path, exc) from exc
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    try:
        with replacing(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OSError as exc:  # the only file touched is the one being written
        raise storage_error(path, exc) from exc


def write_json_atomic(path: Path, data: Any, *, indent: int = 2) -> None:
    write_text_atomic(path, json.dumps(data, indent=indent, ensure_ascii=False))
