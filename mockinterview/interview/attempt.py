"""Where one practice attempt lives on disk, written as it happens so nothing is lost on a crash.

Layout under the data directory:
    attempts/<attempt id>/attempt.json            settings and progress (rewritten atomically)
    attempts/<attempt id>/answer.wav               the main answer (crash-safe WAV)
    attempts/<attempt id>/answer.transcript.json
    attempts/<attempt id>/probe-<n>.wav            replies to follow-up probes, n from 1
    attempts/<attempt id>/probe-<n>.transcript.json
    attempts/<attempt id>/report.json              the score report, once scored
The attempt id is `<UTC time YYYYmmdd-HHMMSS>-<question id>`, so ids sort by time.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import HistoryError

ATTEMPTS = "attempts"


@dataclass(frozen=True)
class AttemptInfo:
    id: str
    question_id: str
    mode: str
    started_at: str  # ISO 8601, UTC
    level: str | None = None
    angle: str | None = None
    sections_mode: str = "auto"
    status: str = "recording"  # recording | scored | interrupted | failed
    marks_s: tuple[float, ...] = ()
    turns: tuple[str, ...] = field(default=())  # audio file names in the order they were taken
    note: str = ""


def new_attempt_id(question_id: str, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%d-%H%M%S}-{question_id}"


class AttemptDir:
    """One attempt folder; every write goes through here."""

    def __init__(self, root: Path, info: AttemptInfo):
        self.path = root / ATTEMPTS / info.id
        self.info = info

    @classmethod
    def create(cls, data_dir: Path, info: AttemptInfo) -> AttemptDir:
        attempt = cls(data_dir, info)
        base_id = info.id
        suffix = 1
        while attempt.path.exists():  # two attempts started in the same second
            suffix += 1
            attempt = cls(data_dir, replace(info, id=f"{base_id}-{suffix}"))
        try:
            attempt.path.mkdir(parents=True)
        except OSError as exc:
            raise HistoryError(f"{attempt.path}: cannot create the attempt folder: {exc.strerror}") from exc
        attempt.save_info()
        return attempt

    @classmethod
    def open(cls, path: Path) -> AttemptDir:
        file = path / "attempt.json"
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise HistoryError(f"{path}: not an attempt folder (no attempt.json)") from exc
        except (OSError, ValueError) as exc:
            raise HistoryError(f"{file}: unreadable: {exc}") from exc
        data["marks_s"] = tuple(data.get("marks_s", ()))
        data["turns"] = tuple(data.get("turns", ()))
        attempt = cls(path.parent.parent, AttemptInfo(**data))
        attempt.path = path
        return attempt

    def audio_path(self, turn: int) -> Path:
        return self.path / ("answer.wav" if turn == 0 else f"probe-{turn}.wav")

    def transcript_path(self, turn: int) -> Path:
        return self.audio_path(turn).with_suffix(".transcript.json")

    @property
    def report_path(self) -> Path:
        return self.path / "report.json"

    def update(self, **changes: Any) -> None:
        self.info = replace(self.info, **changes)
        self.save_info()

    def save_info(self) -> None:
        write_json_atomic(self.path / "attempt.json", asdict(self.info))

    def save_json(self, name: str, data: Any) -> Path:
        target = self.path / name
        write_json_atomic(target, data)
        return target


def write_json_atomic(path: Path, data: Any) -> None:
    """Write to a temp file then rename, so a crash leaves the old or the new file, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def list_attempts(data_dir: Path) -> list[AttemptDir]:
    root = data_dir / ATTEMPTS
    if not root.is_dir():
        return []
    attempts = []
    for path in sorted(root.iterdir()):
        if (path / "attempt.json").is_file():
            try:
                attempts.append(AttemptDir.open(path))
            except HistoryError:
                continue
    return attempts
