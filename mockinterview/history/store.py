"""The history API the practice flow and the commands use: record an attempt folder, list the history
(picking up folders the database has not seen), rebuild it. The database is history/database.py; the
rows, history/rows.py."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..attempts import attempt_folders, read_info
from ..errors import HistoryError, StorageError
from .database import DB_NAME, SCHEMA_VERSION, HistoryStore, database_path
from .rows import AttemptRow, SectionRow, row_from_folder

__all__ = [
    "DB_NAME", "SCHEMA_VERSION", "AttemptRow", "HistoryStore", "SectionRow", "database_path", "list_history",
    "rebuild", "record_attempt", "row_from_folder",
]


def record_attempt(data_dir: Path, attempt_dir: Path) -> None:
    """Add or refresh one attempt folder's row (idempotent; call again when the attempt changes)."""
    HistoryStore(data_dir).record(attempt_dir)


def list_history(data_dir: Path, question_id: str | None = None, *, sync: bool = True) -> list[AttemptRow]:
    """The history, oldest first. With sync, attempt folders the database has not seen yet (a crash
    before recording, a copied folder) are recorded first, so the folders stay the source of truth."""
    store = HistoryStore(data_dir)
    if not sync:
        return store.attempts(question_id)
    known = store.ids()
    unseen = _readable_rows(data_dir, [p for p in attempt_folders(data_dir) if p.name not in known])
    if unseen and store.writable:
        try:
            store.put(unseen)
            unseen = []
        except StorageError:
            pass  # a full disk: listed from the folders below, recorded once there is room
    rows = store.attempts(question_id) + [r for r in unseen if question_id in (None, r.question_id)]
    return sorted(rows, key=lambda r: (r.started_at, r.id)) if unseen else rows


def rebuild(data_dir: Path) -> tuple[int, list[tuple[Path, str]]]:
    """Re-record every attempt folder (after moving a corrupt database aside). Returns how many were
    recorded and each folder that could not be read, with the reason."""
    rows, unreadable = _read_rows(data_dir, attempt_folders(data_dir))
    return HistoryStore(data_dir).put(rows), unreadable


def _readable_rows(data_dir: Path, folders: Iterable[Path]) -> list[AttemptRow]:
    return _read_rows(data_dir, folders)[0]  # a half-written folder is recorded once practice finishes it


def _read_rows(data_dir: Path, folders: Iterable[Path]) -> tuple[list[AttemptRow], list[tuple[Path, str]]]:
    rows, unreadable = [], []
    for path in folders:
        try:
            rows.append(row_from_folder(data_dir, path))
        except (HistoryError, KeyError, TypeError, ValueError) as exc:
            unreadable.append((path, _why_unreadable(path, exc)))
    return rows, unreadable


def _why_unreadable(path: Path, exc: Exception) -> str:
    try:
        read_info(path, strict=True)  # names the file and what is wrong with it
    except HistoryError as strict:
        return str(strict).removeprefix(f"{path}: ").removeprefix(f"{path}/")
    if isinstance(exc, KeyError):
        return f"attempt settings have no {exc}"
    return str(exc).removeprefix(f"{path}: ")
