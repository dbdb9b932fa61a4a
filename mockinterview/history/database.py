"""The attempt history database: one SQLite file in the data directory, one row per attempt.

WAL mode so `history` reads while `practice` writes; every write is one short IMMEDIATE transaction,
retried while another process holds the lock. Paths are stored relative to the data directory so an
exported history means the same thing on another machine. The database only ever points at the
attempt folders: nothing here writes or deletes audio.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import HistoryError, StorageError, storage_error
from .rows import COLUMNS, AttemptRow, SectionRow, probe_counts, row_from_folder, saved_report, sound_figures

DB_NAME = "history.sqlite3"
SCHEMA_VERSION = 3
DEFAULT_TIMEOUT_S = 15.0

# Each entry takes the database from version i to i + 1; never edit one that has shipped, add another.
_SCHEMA_V1 = """
CREATE TABLE attempts (
    id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    started_at TEXT NOT NULL,
    status TEXT NOT NULL,
    level TEXT, angle TEXT,
    duration_s REAL, total_target_s REAL, total_min_s REAL, total_max_s REAL, total_verdict TEXT,
    phrases_hit INTEGER, phrases_total INTEGER,
    wpm REAL, fillers_per_min REAL, i_count INTEGER, we_count INTEGER, verdict TEXT,
    folder TEXT NOT NULL, audio TEXT NOT NULL, report TEXT
);
CREATE INDEX attempts_by_question ON attempts (question_id, started_at);
CREATE TABLE sections (
    attempt_id TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    duration_s REAL NOT NULL, target_s REAL NOT NULL, verdict TEXT NOT NULL,
    phrases_hit INTEGER NOT NULL, phrases_total INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, name)
);
"""


def _to_v1(conn: sqlite3.Connection, data_dir: Path) -> None:
    # statement by statement: executescript() would commit the migration's transaction half-way
    for statement in filter(str.strip, _SCHEMA_V1.split(";")):
        conn.execute(statement)


def _to_v2(conn: sqlite3.Connection, data_dir: Path) -> None:
    """v2 keeps how many follow-up probes were answered strongly; back-filled from the saved reports."""
    conn.execute("ALTER TABLE attempts ADD COLUMN probes_strong INTEGER")
    conn.execute("ALTER TABLE attempts ADD COLUMN probes_total INTEGER")
    for attempt_id, folder, report in conn.execute("SELECT id, folder, report FROM attempts").fetchall():
        if not report:
            continue
        try:
            saved = saved_report(data_dir / folder)
        except HistoryError:
            continue  # the row keeps its v1 data; the probe counts stay unknown
        if saved is None:
            continue
        strong, total = probe_counts(saved)
        conn.execute("UPDATE attempts SET probes_strong = ?, probes_total = ? WHERE id = ?", (strong, total, attempt_id))


def _to_v3(conn: sqlite3.Connection, data_dir: Path) -> None:
    """v3 keeps how the answer sounded (pitch variation, loudness); back-filled from the saved reports."""
    conn.execute("ALTER TABLE attempts ADD COLUMN pitch_spread_semitones REAL")
    conn.execute("ALTER TABLE attempts ADD COLUMN loudness_dbfs REAL")
    for attempt_id, folder, report in conn.execute("SELECT id, folder, report FROM attempts").fetchall():
        try:
            saved = saved_report(data_dir / folder) if report else None
        except HistoryError:
            continue  # the row keeps its older data; how it sounded stays unknown
        if saved is not None:
            conn.execute("UPDATE attempts SET pitch_spread_semitones = ?, loudness_dbfs = ? WHERE id = ?",
                         (*sound_figures(saved), attempt_id))


MIGRATIONS: tuple[Callable[[sqlite3.Connection, Path], None], ...] = (_to_v1, _to_v2, _to_v3)
# the columns each version added, left out when writing to an older database (tests build old ones)
_ADDED_IN = {2: ("probes_strong", "probes_total"), 3: ("pitch_spread_semitones", "loudness_dbfs")}


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


class HistoryStore:
    """The database of one data directory. Opened per operation; cheap, and safe across processes."""

    def __init__(self, data_dir: Path, *, timeout_s: float = DEFAULT_TIMEOUT_S, target_version: int = SCHEMA_VERSION):
        self.data_dir = Path(data_dir)
        self.path = database_path(self.data_dir)
        self.timeout_s = timeout_s
        self.target_version = target_version  # lower only in tests that build an old database

    # -- writing --------------------------------------------------------------------------------

    def record(self, attempt_dir: Path) -> AttemptRow:
        row = row_from_folder(self.data_dir, Path(attempt_dir))
        self.put([row])
        return row

    def put(self, rows: Iterable[AttemptRow]) -> int:
        rows = list(rows)

        def write(conn: sqlite3.Connection) -> None:
            for row in rows:
                _upsert(conn, row, self.target_version)

        self._write(write)
        return len(rows)

    @property
    def writable(self) -> bool:
        """False on a read-only data folder (a read-only mount, a backup): the history is then only read."""
        return not self.data_dir.is_dir() or os.access(self.data_dir, os.W_OK)

    # -- reading --------------------------------------------------------------------------------

    def attempts(self, question_id: str | None = None) -> list[AttemptRow]:
        """Every attempt, oldest first, with `audio_missing` checked on disk."""
        if not self.path.exists():
            return []
        with self._connect(read=True) as conn:
            where, params = ("WHERE question_id = ?", (question_id,)) if question_id else ("", ())
            cols = [c for c in COLUMNS if c in _table_columns(conn, "attempts")]
            rows = self._retry(lambda: conn.execute(
                f"SELECT {', '.join(cols)} FROM attempts {where} ORDER BY started_at, id", params).fetchall())
            sections: dict[str, list[SectionRow]] = {}
            for r in self._retry(lambda: conn.execute(
                    "SELECT attempt_id, name, duration_s, target_s, verdict, phrases_hit, phrases_total "
                    "FROM sections ORDER BY attempt_id, position").fetchall()):
                sections.setdefault(r[0], []).append(SectionRow(*r[1:]))
        out = []
        for r in rows:
            values = dict(zip(cols, r))
            values["audio"] = tuple(json.loads(values["audio"]))
            row = AttemptRow(**values, sections=tuple(sections.get(values["id"], ())))
            missing = bool(row.audio) and not all(p.exists() for p in row.audio_paths(self.data_dir))
            out.append(replace(row, audio_missing=missing))
        return out

    def ids(self) -> set[str]:
        if not self.path.exists():
            return set()
        with self._connect(read=True) as conn:
            return {r[0] for r in self._retry(lambda: conn.execute("SELECT id FROM attempts").fetchall())}

    def get(self, attempt_id: str) -> AttemptRow | None:
        return next((a for a in self.attempts() if a.id == attempt_id), None)

    def version(self) -> int:
        if not self.path.exists():
            return 0
        with self._connect(read=True) as conn:
            return _version(conn)

    # -- plumbing -------------------------------------------------------------------------------

    def _connect(self, *, read: bool = False) -> _Connection:
        return _Connection(self, read=read)

    def _write(self, work: Callable[[sqlite3.Connection], None]) -> None:
        if not self.writable:
            raise storage_error(self.path, OSError(errno.EROFS, "read-only"), "write the history")
        with self._connect() as conn:
            def txn() -> None:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    work(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            self._retry(txn)

    def _retry(self, op: Callable[[], Any]) -> Any:
        """busy_timeout waits for most locks; WAL can still refuse at once (e.g. while a checkpoint or
        the first migration runs), so retry until the timeout, then name the file."""
        deadline = time.monotonic() + self.timeout_s
        delay = 0.01
        while True:
            try:
                return op()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise _history_error(self.path, exc) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
            except sqlite3.DatabaseError as exc:
                raise _history_error(self.path, exc) from exc


class _Connection:
    """Context manager: an open, migrated connection; sqlite errors leave as one-line HistoryErrors."""

    def __init__(self, store: HistoryStore, *, read: bool = False):
        self.store = store
        self.read = read
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        if not self.store.writable:
            return self._open_immutable()
        try:
            return self._open()
        except StorageError:
            if not self.read:
                raise
            return self._open_immutable()  # a full disk: what was saved stays readable

    def _open_immutable(self) -> sqlite3.Connection:
        # WAL needs its shared-memory file written even to read; an immutable open reads without it
        store = self.store
        try:
            self.conn = sqlite3.connect(f"{store.path.resolve().as_uri()}?immutable=1", uri=True)
            self.conn.execute("SELECT 1 FROM sqlite_master").fetchall()
        except sqlite3.DatabaseError as exc:
            self.__exit__(None, None, None)
            raise _history_error(store.path, exc) from exc
        return self.conn

    def _open(self) -> sqlite3.Connection:
        store = self.store
        try:
            store.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(store.data_dir, exc, "create the data folder") from exc
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a write is exactly one transaction.
            self.conn = sqlite3.connect(store.path, timeout=store.timeout_s, isolation_level=None)
            self.conn.execute(f"PRAGMA busy_timeout = {int(store.timeout_s * 1000)}")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            self.__exit__(None, None, None)
            raise _history_error(store.path, exc) from exc
        try:
            store._retry(lambda: _prepare(self.conn, store.data_dir, store.target_version))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self.conn

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _prepare(conn: sqlite3.Connection, data_dir: Path, target: int) -> None:
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    if _version(conn) >= target:
        return
    conn.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then find it done
    try:
        current = _version(conn)
        if current == 0 and not _table_columns(conn, "schema_version"):
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version VALUES (0)")
        for step in range(current, target):
            MIGRATIONS[step](conn, data_dir)
            conn.execute("UPDATE schema_version SET version = ?", (step + 1,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _version(conn: sqlite3.Connection) -> int:
    if not _table_columns(conn, "schema_version"):
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def _table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})").fetchall()]


def _upsert(conn: sqlite3.Connection, row: AttemptRow, version: int) -> None:
    values = {c: getattr(row, c) for c in COLUMNS}
    values["audio"] = json.dumps(list(row.audio))
    for added, columns in _ADDED_IN.items():
        if version < added:
            for column in columns:
                values.pop(column)
    cols = list(values)
    conn.execute(
        f"INSERT INTO attempts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols if c != 'id')}",
        [values[c] for c in cols],
    )
    conn.execute("DELETE FROM sections WHERE attempt_id = ?", (row.id,))
    conn.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(row.id, i, s.name, s.duration_s, s.target_s, s.verdict, s.phrases_hit, s.phrases_total)
         for i, s in enumerate(row.sections)],
    )


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _history_error(path: Path, exc: sqlite3.Error) -> HistoryError | StorageError:
    text = str(exc).lower()
    if "disk is full" in text or "disk i/o error" in text:
        return StorageError(f"{path}: cannot write the history: the disk is full (or failing); free some space "
                            "and run the command again")
    if "readonly" in text or "read-only" in text:
        return StorageError(f"{path}: cannot write the history: the file or its folder is read-only")
    if _is_busy(exc):
        return HistoryError(f"{path}: the history database is locked by another mockinterview; try again in a moment")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return HistoryError(
            f"{path}: the history database is corrupt ({exc}); your recordings are untouched: move the file "
            "aside and run `mockinterview history --rebuild`")
    return HistoryError(f"{path}: history database error: {exc}")


