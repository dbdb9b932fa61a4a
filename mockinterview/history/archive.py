"""Export attempts to one zip (history rows as JSON plus every attempt folder, audio included, and the
candidate's own stories those attempts answer) and import such a zip into another data directory. Import
never overwrites: an attempt id already present is the same attempt, and is skipped; a story already
present must be the same file, or the import is refused.

An import is read as hostile until checked, and refused whole, with a one-line reason, unless every
attempt id (in the JSON and in the entry names) is an attempt id and lands inside the data folder, every
entry is a plain relative path under it, the zip holds at most MAX_ENTRIES entries, MAX_FILE_BYTES per
file and MAX_TOTAL_BYTES in all (unpacked, counted as read, not as declared), and every audio file
reads as audio. All of it is checked before anything is written."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ..errors import BankError, HistoryError, storage_error
from ..attempts import ATTEMPTS, attempt_files, install_attempt, replacing
from .store import SCHEMA_VERSION, AttemptRow, HistoryStore, list_history

FORMAT = "mockinterview-history"
INDEX = "history.json"
_STORED = {".wav", ".flac", ".mp3", ".ogg", ".zip"}  # already dense; deflate would only cost time
_AUDIO = {".wav", ".flac", ".mp3", ".ogg"}
# an attempt id as new_attempt_id makes it: UTC time, then the question id (no dots, no slashes)
ATTEMPT_ID = re.compile(r"\d{8}-\d{6}-[A-Za-z0-9][A-Za-z0-9_-]{0,120}")
MAX_ENTRIES = 5_000  # an attempt has a handful of files; a thousand attempts fit
MAX_FILE_BYTES = 256 * 1024 * 1024  # a 5-minute answer is about 10 MB at 16 kHz
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
STORIES = "stories"  # the candidate's own questions (`new-story`), one TOML file per question id
STORY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,120}")
MAX_STORY_BYTES = 256 * 1024


def export_zip(data_dir: Path, out: Path, question_id: str | None = None) -> int:
    """Writes `out` (atomically); returns how many attempts it holds."""
    rows = list_history(data_dir, question_id)
    out = Path(out)
    try:
        with replacing(out) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            exported = []
            for row in rows:
                folder = Path(data_dir) / row.folder
                arc = f"{ATTEMPTS}/{row.id}"
                if folder.is_dir():
                    for path, rel in attempt_files(folder):
                        kind = zipfile.ZIP_STORED if path.suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
                        zf.write(path, f"{arc}/{rel}", compress_type=kind)
                item = row.to_dict()
                item["folder"] = arc
                exported.append(item)
            stories = []  # the candidate's own questions these attempts answer, so they can be shown elsewhere
            for question_id in dict.fromkeys(row.question_id for row in rows):
                story = Path(data_dir) / STORIES / f"{question_id}.toml"
                if story.is_file():
                    zf.write(story, f"{STORIES}/{story.name}")
                    stories.append(question_id)
            index = {"format": FORMAT, "schema_version": SCHEMA_VERSION,
                     "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "attempts": exported,
                     "stories": stories}
            zf.writestr(INDEX, json.dumps(index, indent=1, ensure_ascii=False))
    except OSError as exc:
        raise HistoryError(f"{out}: cannot write the export: {exc.strerror or exc}") from exc
    return len(rows)


def import_zip(data_dir: Path, source: Path) -> tuple[int, int]:
    """Adds the zip's attempts to `data_dir`; returns (imported, skipped because already present)."""
    data_dir = Path(data_dir)
    try:
        zf = zipfile.ZipFile(source)
    except FileNotFoundError as exc:
        raise HistoryError(f"{source}: no such file") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise HistoryError(f"{source}: not a mockinterview export (not a readable zip: {exc})") from exc
    with zf:
        try:
            index = json.loads(zf.read(INDEX).decode("utf-8"))
        except KeyError as exc:
            raise HistoryError(f"{source}: not a mockinterview export (no {INDEX} inside)") from exc
        except ValueError as exc:
            raise HistoryError(f"{source}: {INDEX} is unreadable: {exc}") from exc
        if index.get("format") != FORMAT:
            raise HistoryError(f"{source}: not a mockinterview export (format {index.get('format')!r})")
        try:
            rows = [AttemptRow.from_dict(item) for item in index["attempts"]]
        except (KeyError, TypeError, AttributeError) as exc:
            raise HistoryError(f"{source}: {INDEX} has a malformed attempt: {exc}") from exc
        for row in rows:
            _check_id(row.id, data_dir, source)
        members = _members_by_attempt(zf, source, data_dir)
        unlisted = sorted(set(members) - {row.id for row in rows})
        if unlisted:
            raise HistoryError(f"{source}: files for attempt {unlisted[0]!r}, which {INDEX} does not list; refusing to import")
        _check_contents(zf, members, source)
        stories = _checked_stories(zf, source, data_dir)
        store = HistoryStore(data_dir)
        known = store.ids()
        _install_stories(data_dir, stories)
        new_rows = []
        for row in rows:
            if row.id in known or (data_dir / ATTEMPTS / row.id).exists():
                continue
            install_attempt(data_dir, row.id, [(rel, lambda info=info: zf.open(info)) for info, rel in members.get(row.id, [])])
            new_rows.append(AttemptRow.from_dict({**row.to_dict(), "folder": f"{ATTEMPTS}/{row.id}"}))
        store.put(new_rows)
    return len(new_rows), len(rows) - len(new_rows)


def _checked_stories(zf: zipfile.ZipFile, source: Path, data_dir: Path) -> dict[str, bytes]:
    """The own stories in the zip, by id, each a valid question file; refused whole if one is not, or if a
    different question of that id is already here (same bytes: already imported, skipped)."""
    from ..bank import BUILTIN_DIR, load_bank, parse_question_bytes

    builtin = set(load_bank([BUILTIN_DIR]).ids)
    out: dict[str, bytes] = {}
    for info in zf.infolist():
        if info.is_dir() or not info.filename.startswith(f"{STORIES}/"):
            continue
        parts = PurePosixPath(info.filename).parts
        name = parts[1] if len(parts) == 2 else ""
        story_id = name.removesuffix(".toml")
        if not name.endswith(".toml") or not STORY_ID.fullmatch(story_id):
            raise HistoryError(f"{source}: unexpected entry {info.filename!r}; refusing to import")
        if info.file_size > MAX_STORY_BYTES:
            raise HistoryError(f"{source}: {info.filename} is {info.file_size} bytes, over the {MAX_STORY_BYTES} "
                               "limit for a story; refusing to import")
        with zf.open(info) as handle:
            raw = handle.read(MAX_STORY_BYTES + 1)
        if len(raw) > MAX_STORY_BYTES:
            raise HistoryError(f"{source}: {info.filename} is over the {MAX_STORY_BYTES} byte limit; refusing to import")
        try:
            question = parse_question_bytes(raw, f"{source}:{info.filename}")
        except BankError as exc:
            raise HistoryError(f"{exc}; refusing to import") from exc
        if question.id != story_id:
            raise HistoryError(f"{source}: {info.filename} holds question {question.id!r}; refusing to import")
        if story_id in builtin:
            raise HistoryError(f"{source}: story {story_id!r} has the id of a built-in question; refusing to import")
        here = Path(data_dir) / STORIES / name
        if here.exists() and here.read_bytes() != raw:
            raise HistoryError(f"{source}: a different story {story_id!r} is already in {here.parent}; rename or "
                               "move yours aside, then import again")
        out[story_id] = raw
    return out


def _install_stories(data_dir: Path, stories: dict[str, bytes]) -> None:
    for story_id, raw in stories.items():
        path = Path(data_dir) / STORIES / f"{story_id}.toml"
        if path.exists():
            continue  # the same bytes, checked above
        try:
            with replacing(path) as tmp:
                tmp.write_bytes(raw)
        except OSError as exc:
            raise storage_error(path, exc) from exc


def _check_id(attempt_id: object, data_dir: Path, source: Path) -> None:
    if not isinstance(attempt_id, str) or not ATTEMPT_ID.fullmatch(attempt_id):
        raise HistoryError(f"{source}: {attempt_id!r} is not an attempt id; refusing to import")
    root = (Path(data_dir) / ATTEMPTS).resolve()
    if (root / attempt_id).resolve().parent != root:
        raise HistoryError(f"{source}: attempt {attempt_id!r} would land outside {root}; refusing to import")


def _check_contents(zf: zipfile.ZipFile, members: dict[str, list[tuple[zipfile.ZipInfo, str]]], source: Path) -> None:
    """Reads every member through (memory stays flat), enforcing the size limits on the bytes as they
    come (a zip may declare less than it holds), and checks that every audio file reads as audio."""
    total = 0
    for items in members.values():
        for info, rel in items:
            if info.file_size > MAX_FILE_BYTES:
                raise HistoryError(f"{source}: {info.filename} unpacks to {info.file_size} bytes, over the "
                                   f"{MAX_FILE_BYTES} limit; refusing to import")
            size, head = 0, b""
            try:
                with zf.open(info) as src:
                    while chunk := src.read(1 << 20):
                        head = head or chunk
                        size += len(chunk)
                        total += len(chunk)
                        if size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                            raise HistoryError(f"{source}: {info.filename} takes the import over its size limit "
                                               f"({MAX_FILE_BYTES} bytes a file, {MAX_TOTAL_BYTES} in all); refusing to import")
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise HistoryError(f"{source}: {info.filename} is unreadable ({exc}); refusing to import") from exc
            if PurePosixPath(rel).suffix.lower() in _AUDIO and not _reads_as_audio(head):
                raise HistoryError(f"{source}: {info.filename} is not readable audio; refusing to import")


def _reads_as_audio(head: bytes) -> bool:
    """The file's first megabyte (where its header is) reads as audio with a rate and channels."""
    import soundfile

    try:
        found = soundfile.info(io.BytesIO(head))
    except Exception:  # libsndfile's errors share no base class worth naming
        return False
    return found.samplerate > 0 and found.channels > 0


def _members_by_attempt(zf: zipfile.ZipFile, source: Path, data_dir: Path) -> dict[str, list[tuple[zipfile.ZipInfo, str]]]:
    out: dict[str, list[tuple[zipfile.ZipInfo, str]]] = {}
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise HistoryError(f"{source}: {len(infos)} entries, over the {MAX_ENTRIES} limit; refusing to import")
    for info in infos:
        if info.is_dir() or info.filename == INDEX or info.filename.startswith(f"{STORIES}/"):
            continue  # stories are checked by _checked_stories
        parts = PurePosixPath(info.filename).parts
        # refuse anything that could land outside the attempts folder ("zip slip")
        if len(parts) < 3 or parts[0] != ATTEMPTS or any(p in ("..", "") or "\\" in p for p in parts) \
                or info.filename.startswith("/"):
            raise HistoryError(f"{source}: unexpected entry {info.filename!r}; refusing to import")
        _check_id(parts[1], data_dir, source)
        out.setdefault(parts[1], []).append((info, "/".join(parts[2:])))
    return out

