"""The attempt history: one SQLite database in the data directory, one row per attempt.

WAL mode so `history` reads while `practice` writes; every write is one short IMMEDIATE transaction,
retried while another process holds the lock. Paths are stored relative to the data directory so an
exported history means the same thing on another machine. The database only ever points at the
attempt folders: nothing here writes or deletes audio.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..errors import HistoryError

DB_NAME = "history.sqlite3"
ATTEMPTS = "attempts"
SCHEMA_VERSION = 3
DEFAULT_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class SectionRow:
    name: str
    duration_s: float
    target_s: float
    verdict: str  # under | on_target | over | missing
    phrases_hit: int
    phrases_total: int


@dataclass(frozen=True)
class AttemptRow:
    id: str
    question_id: str
    mode: str
    started_at: str  # ISO 8601, UTC
    status: str
    level: str | None = None
    angle: str | None = None
    duration_s: float | None = None  # None: never scored (interrupted, study)
    total_target_s: float | None = None
    total_min_s: float | None = None
    total_max_s: float | None = None
    total_verdict: str | None = None
    phrases_hit: int | None = None
    phrases_total: int | None = None
    wpm: float | None = None
    fillers_per_min: float | None = None
    i_count: int | None = None
    we_count: int | None = None
    verdict: str | None = None
    probes_strong: int | None = None  # schema v2
    probes_total: int | None = None  # schema v2
    pitch_spread_semitones: float | None = None  # schema v3; None: no audio analysed
    loudness_dbfs: float | None = None  # schema v3
    folder: str = ""  # relative to the data directory
    audio: tuple[str, ...] = ()  # file names inside the folder
    report: str | None = None  # file name inside the folder
    sections: tuple[SectionRow, ...] = ()
    audio_missing: bool = False  # computed when read, never stored

    @property
    def coverage(self) -> float | None:
        if not self.phrases_total:
            return None
        return (self.phrases_hit or 0) / self.phrases_total

    def section(self, name: str) -> SectionRow | None:
        return next((s for s in self.sections if s.name == name), None)

    def audio_paths(self, data_dir: Path) -> list[Path]:
        return [data_dir / self.folder / name for name in self.audio]

    def report_path(self, data_dir: Path) -> Path | None:
        return data_dir / self.folder / self.report if self.report else None

    def to_dict(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies and takes half a second for 1,000 rows
        data = {c: getattr(self, c) for c in _COLUMNS}
        data["audio"] = list(self.audio)
        data["sections"] = [dict(vars(s)) for s in self.sections]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AttemptRow:
        names = {f.name for f in fields(cls)} - {"audio_missing"}
        values = {k: v for k, v in data.items() if k in names}
        values["audio"] = tuple(values.get("audio") or ())
        values["sections"] = tuple(SectionRow(**s) for s in values.get("sections") or ())
        return cls(**values)


_COLUMNS = [f.name for f in fields(AttemptRow) if f.name not in ("sections", "audio_missing")]

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
        data = _read_json(data_dir / folder / report)
        if data is None:
            continue
        strong, total = _probe_counts(data)
        conn.execute("UPDATE attempts SET probes_strong = ?, probes_total = ? WHERE id = ?", (strong, total, attempt_id))


def _to_v3(conn: sqlite3.Connection, data_dir: Path) -> None:
    """v3 keeps how the answer sounded (pitch variation, loudness); back-filled from the saved reports."""
    conn.execute("ALTER TABLE attempts ADD COLUMN pitch_spread_semitones REAL")
    conn.execute("ALTER TABLE attempts ADD COLUMN loudness_dbfs REAL")
    for attempt_id, folder, report in conn.execute("SELECT id, folder, report FROM attempts").fetchall():
        data = _read_json(data_dir / folder / report) if report else None
        if data is not None:
            conn.execute("UPDATE attempts SET pitch_spread_semitones = ?, loudness_dbfs = ? WHERE id = ?",
                         (*_sound(data), attempt_id))


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

    # -- reading --------------------------------------------------------------------------------

    def attempts(self, question_id: str | None = None) -> list[AttemptRow]:
        """Every attempt, oldest first, with `audio_missing` checked on disk."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            where, params = ("WHERE question_id = ?", (question_id,)) if question_id else ("", ())
            cols = [c for c in _COLUMNS if c in _table_columns(conn, "attempts")]
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
        with self._connect() as conn:
            return {r[0] for r in self._retry(lambda: conn.execute("SELECT id FROM attempts").fetchall())}

    def get(self, attempt_id: str) -> AttemptRow | None:
        return next((a for a in self.attempts() if a.id == attempt_id), None)

    def version(self) -> int:
        if not self.path.exists():
            return 0
        with self._connect() as conn:
            return _version(conn)

    # -- plumbing -------------------------------------------------------------------------------

    def _connect(self) -> _Connection:
        return _Connection(self)

    def _write(self, work: Callable[[sqlite3.Connection], None]) -> None:
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

    def __init__(self, store: HistoryStore):
        self.store = store
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        store = self.store
        try:
            store.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"{store.data_dir}: cannot create the data folder: {exc.strerror}") from exc
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
    values = {c: getattr(row, c) for c in _COLUMNS}
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


def _history_error(path: Path, exc: sqlite3.Error) -> HistoryError:
    text = str(exc).lower()
    if _is_busy(exc):
        return HistoryError(f"{path}: the history database is locked by another mockinterview; try again in a moment")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return HistoryError(
            f"{path}: the history database is corrupt ({exc}); your recordings are untouched: move the file "
            "aside and run `mockinterview history --rebuild`")
    return HistoryError(f"{path}: history database error: {exc}")


# -- attempt folder -> row ------------------------------------------------------------------------

def row_from_folder(data_dir: Path, attempt_dir: Path) -> AttemptRow:
    """The history row of one attempt folder: settings from attempt.json, measures from report.json."""
    info = _read_json(attempt_dir / "attempt.json")
    if info is None:
        raise HistoryError(f"{attempt_dir}: not an attempt folder (no readable attempt.json)")
    try:
        folder = attempt_dir.resolve().relative_to(Path(data_dir).resolve()).as_posix()
    except ValueError:
        folder = str(attempt_dir.resolve())  # outside the data dir: keep the absolute path
    audio = tuple(info.get("turns") or ()) or tuple(
        sorted(p.name for p in attempt_dir.glob("*.wav")), )
    report_file = attempt_dir / "report.json"
    report = _read_json(report_file) if report_file.exists() else None
    base = dict(
        id=info["id"], question_id=info["question_id"], mode=info.get("mode", ""),
        started_at=info.get("started_at", ""), status=info.get("status", ""),
        level=info.get("level"), angle=info.get("angle"), folder=folder, audio=audio,
    )
    if report is None:
        return AttemptRow(**base)
    sections = tuple(
        SectionRow(s["name"], s["duration_s"], s["target_s"], s["verdict"], len(s["phrases_hit"]),
                   len(s["phrases_hit"]) + len(s["phrases_missed"]))
        for s in report.get("sections", ())
    )
    strong, total = _probe_counts(report)
    pronouns = report.get("pronouns", {})
    return AttemptRow(
        **base,
        duration_s=report["duration_s"], total_target_s=report["total_target_s"],
        total_min_s=report["total_min_s"], total_max_s=report["total_max_s"],
        total_verdict=report["total_verdict"],
        phrases_hit=sum(s.phrases_hit for s in sections), phrases_total=sum(s.phrases_total for s in sections),
        wpm=report["wpm"], fillers_per_min=report["fillers_per_min"],
        i_count=pronouns.get("i", 0), we_count=pronouns.get("we", 0), verdict=report["verdict"],
        probes_strong=strong, probes_total=total, report="report.json", sections=sections,
        pitch_spread_semitones=_sound(report)[0], loudness_dbfs=_sound(report)[1],
    )


def _sound(report: dict[str, Any]) -> tuple[float | None, float | None]:
    prosody = report.get("prosody") or {}
    return prosody.get("pitch_spread_semitones"), prosody.get("loudness_dbfs")


def _probe_counts(report: dict[str, Any]) -> tuple[int, int]:
    findings = report.get("probe_findings") or []
    return sum(1 for p in findings if p.get("verdict") == "strong"), len(findings)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def attempt_folders(data_dir: Path) -> Iterator[Path]:
    root = Path(data_dir) / ATTEMPTS
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if (path / "attempt.json").is_file():
                yield path


# -- the API the practice flow and the commands use -----------------------------------------------

def record_attempt(data_dir: Path, attempt_dir: Path) -> None:
    """Add or refresh one attempt folder's row (idempotent; call again when the attempt changes)."""
    HistoryStore(data_dir).record(attempt_dir)


def list_history(data_dir: Path, question_id: str | None = None, *, sync: bool = True) -> list[AttemptRow]:
    """The history, oldest first. With sync, attempt folders the database has not seen yet (a crash
    before recording, a copied folder) are recorded first, so the folders stay the source of truth."""
    store = HistoryStore(data_dir)
    if sync:
        known = store.ids()
        new = [p for p in attempt_folders(data_dir) if p.name not in known]
        rows = []
        for path in new:
            try:
                rows.append(row_from_folder(data_dir, path))
            except (HistoryError, KeyError):
                continue  # a half-written folder; it is recorded once practice finishes it
        if rows:
            store.put(rows)
    return store.attempts(question_id)


def rebuild(data_dir: Path) -> int:
    """Re-record every attempt folder (after moving a corrupt database aside)."""
    rows = []
    for path in attempt_folders(data_dir):
        try:
            rows.append(row_from_folder(data_dir, path))
        except (HistoryError, KeyError):
            continue
    return HistoryStore(data_dir).put(rows)


def least_recent_question(data_dir: Path, question_ids: Sequence[str]) -> str | None:
    """The id practised least recently; one never practised comes first (in the order given)."""
    if not question_ids:
        return None
    last: dict[str, str] = {}
    for row in HistoryStore(data_dir).attempts():
        if row.question_id in question_ids and row.started_at > last.get(row.question_id, ""):
            last[row.question_id] = row.started_at
    never = [q for q in question_ids if q not in last]
    if never:
        return never[0]
    return min(question_ids, key=lambda q: (last[q], question_ids.index(q)))


def least_recent_in_principle(data_dir: Path, questions: Iterable[Any], principle: str) -> str | None:
    """Rotation within one leadership principle: the least recently practised question that tests it."""
    return least_recent_question(data_dir, [q.id for q in questions if principle in q.principles])
