"""Export attempts to one zip (history rows as JSON plus every attempt folder, audio included) and
import such a zip into another data directory. Import never overwrites: an attempt id already present
is the same attempt, and is skipped."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ..errors import HistoryError
from ..attempts import ATTEMPTS, attempt_files, install_attempt, replacing
from .store import SCHEMA_VERSION, AttemptRow, HistoryStore, list_history

FORMAT = "mockinterview-history"
INDEX = "history.json"
_STORED = {".wav", ".flac", ".mp3", ".ogg", ".zip"}  # already dense; deflate would only cost time


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
            index = {"format": FORMAT, "schema_version": SCHEMA_VERSION,
                     "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "attempts": exported}
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
        except (KeyError, TypeError) as exc:
            raise HistoryError(f"{source}: {INDEX} has a malformed attempt: {exc}") from exc
        store = HistoryStore(data_dir)
        known = store.ids()
        members = _members_by_attempt(zf, source)
        new_rows = []
        for row in rows:
            if row.id in known or (data_dir / ATTEMPTS / row.id).exists():
                continue
            install_attempt(data_dir, row.id, [(rel, lambda info=info: zf.open(info)) for info, rel in members.get(row.id, [])])
            new_rows.append(AttemptRow.from_dict({**row.to_dict(), "folder": f"{ATTEMPTS}/{row.id}"}))
        store.put(new_rows)
    return len(new_rows), len(rows) - len(new_rows)


def _members_by_attempt(zf: zipfile.ZipFile, source: Path) -> dict[str, list[tuple[zipfile.ZipInfo, str]]]:
    out: dict[str, list[tuple[zipfile.ZipInfo, str]]] = {}
    for info in zf.infolist():
        if info.is_dir() or info.filename == INDEX:
            continue
        parts = PurePosixPath(info.filename).parts
        # refuse anything that could land outside the attempts folder ("zip slip")
        if len(parts) < 3 or parts[0] != ATTEMPTS or any(p in ("..", "") or "\\" in p for p in parts) \
                or info.filename.startswith("/"):
            raise HistoryError(f"{source}: unexpected entry {info.filename!r}; refusing to import")
        out.setdefault(parts[1], []).append((info, "/".join(parts[2:])))
    return out

