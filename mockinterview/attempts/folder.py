"""Where one practice attempt lives on disk, written as it happens so nothing is lost on a crash.
This module alone spells the file names of an attempt folder.

Layout under the data directory:
    attempts/<attempt id>/attempt.json            settings and progress (rewritten atomically)
    attempts/<attempt id>/answer.wav               the main answer (crash-safe WAV)
    attempts/<attempt id>/answer.transcript.json
    attempts/<attempt id>/probe-<n>.wav            replies to follow-up probes, n from 1
    attempts/<attempt id>/probe-<n>.transcript.json
    attempts/<attempt id>/drill-<section>-<take>.wav   drill takes (with drill.json)
    attempts/<attempt id>/study.json               study mode's quiz result
    attempts/<attempt id>/report.json              the score report, once scored
    attempts/<attempt id>/report.html              the report page
The attempt id is `<UTC time YYYYmmdd-HHMMSS>-<question id>`, so ids sort by time.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Callable

from ..errors import HistoryError, storage_error
from .atomic import write_json_atomic

ATTEMPTS = "attempts"
INFO_FILE = "attempt.json"
ANSWER_AUDIO = "answer.wav"
REPORT_FILE = "report.json"
PAGE_FILE = "report.html"
DRILL_FILE = "drill.json"
STUDY_FILE = "study.json"
TRANSCRIPT_SUFFIX = ".transcript.json"
AUDIO_SUFFIX = ".wav"
WAV_HEADER_BYTES = 44  # a WAV with no samples is this long


class AttemptStatus(StrEnum):
    """Where an attempt stands; saved as its value in attempt.json."""

    RECORDING = "recording"  # under way, or the process died before it ended (see `mockinterview doctor`)
    SCORED = "scored"
    INTERRUPTED = "interrupted"  # stopped early (q or Ctrl-C); a report, if any, covers what was said
    NO_SPEECH = "no_speech"
    STUDIED = "studied"
    FAILED = "failed"


@dataclass(frozen=True)
class AttemptInfo:
    id: str
    question_id: str
    mode: str
    started_at: str  # ISO 8601, UTC
    level: str | None = None
    angle: str | None = None
    sections_mode: str = "auto"
    status: str = AttemptStatus.RECORDING  # an AttemptStatus value
    marks_s: tuple[float, ...] = ()
    turns: tuple[str, ...] = field(default=())  # audio file names in the order they were taken
    note: str = ""


def new_attempt_id(question_id: str, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%d-%H%M%S}-{question_id}"


def turn_audio_name(turn: int) -> str:
    """The answer is turn 0; the reply to follow-up probe n is turn n."""
    return ANSWER_AUDIO if turn == 0 else f"probe-{turn}{AUDIO_SUFFIX}"


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
            raise storage_error(attempt.path, exc, "create the attempt folder") from exc
        try:
            attempt.save_info()
        except BaseException:
            shutil.rmtree(attempt.path, ignore_errors=True)  # no attempt without its settings
            raise
        return attempt

    @classmethod
    def open(cls, path: Path) -> AttemptDir:
        file = path / INFO_FILE
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise HistoryError(f"{path}: not an attempt folder (no {INFO_FILE})") from exc
        except (OSError, ValueError) as exc:
            raise HistoryError(f"{file}: unreadable: {exc}") from exc
        data["marks_s"] = tuple(data.get("marks_s", ()))
        data["turns"] = tuple(data.get("turns", ()))
        attempt = cls(path.parent.parent, AttemptInfo(**data))
        attempt.path = path
        return attempt

    def audio_path(self, turn: int) -> Path:
        return self.path / turn_audio_name(turn)

    def drill_audio_path(self, section: str, take: int) -> Path:
        return self.path / f"drill-{section}-{take}{AUDIO_SUFFIX}"

    @property
    def report_path(self) -> Path:
        return self.path / REPORT_FILE

    def update(self, **changes: Any) -> None:
        self.info = replace(self.info, **changes)
        self.save_info()

    def save_info(self) -> None:
        write_json_atomic(self.path / INFO_FILE, asdict(self.info))

    def discard_if_empty(self) -> bool:
        """Removes the folder if nothing was recorded in it (a start that failed: a bad answer file, no
        microphone), so no junk attempt is left; True if it was removed."""
        if any(p.stat().st_size > WAV_HEADER_BYTES for p in self.path.glob(f"*{AUDIO_SUFFIX}")):
            return False
        shutil.rmtree(self.path, ignore_errors=True)
        return not self.path.exists()

    def save_report(self, data: dict[str, Any]) -> Path:
        write_json_atomic(self.report_path, data)
        return self.report_path

    def save_drill(self, data: dict[str, Any]) -> None:
        write_json_atomic(self.path / DRILL_FILE, data)

    def save_study(self, data: dict[str, Any]) -> None:
        write_json_atomic(self.path / STUDY_FILE, data)

    def save_transcript(self, audio: Path, data: dict[str, Any]) -> Path:
        """The transcript of one recorded take, beside its audio."""
        target = transcript_path(audio)
        write_json_atomic(target, data, indent=1)
        return target


def transcript_path(audio: Path) -> Path:
    return audio.with_suffix(TRANSCRIPT_SUFFIX)


# -- reading a folder -----------------------------------------------------------------------------

def is_attempt_folder(path: Path) -> bool:
    return (Path(path) / INFO_FILE).is_file()


def attempt_folders(data_dir: Path) -> Iterator[Path]:
    """Every attempt folder in name (that is, time) order."""
    root = Path(data_dir) / ATTEMPTS
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if is_attempt_folder(path):
                yield path


def list_attempts(data_dir: Path) -> list[AttemptDir]:
    attempts = []
    for path in attempt_folders(data_dir):
        try:
            attempts.append(AttemptDir.open(path))
        except HistoryError:
            continue
    return attempts


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON file's content, or None when it is missing or unreadable (a half-written folder)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _load_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise HistoryError(f"{path}: no such file") from exc
    except (OSError, ValueError) as exc:
        raise HistoryError(f"{path}: unreadable: {exc}") from exc


def read_info(folder: Path, *, strict: bool = True) -> dict[str, Any] | None:
    """attempt.json as saved. Strict: {} when absent, HistoryError when unreadable; else None for both."""
    file = Path(folder) / INFO_FILE
    if not strict:
        return read_json(file)
    return _load_json(file) if file.exists() else {}


def read_report_data(folder: Path, *, strict: bool = True) -> dict[str, Any] | None:
    """report.json as saved. Strict: HistoryError naming the file when absent or unreadable; else None."""
    file = Path(folder) / REPORT_FILE
    if strict and not file.exists():
        raise HistoryError(f"{file}: no such file (the attempt was never scored; if it holds a recording, "
                           f"`mockinterview report {Path(folder).name} --score` scores it)")
    return _load_json(file) if strict else read_json(file)


def answer_audio(folder: Path) -> Path | None:
    path = Path(folder) / ANSWER_AUDIO
    return path if path.exists() else None


def page_path(folder: Path) -> Path:
    return Path(folder) / PAGE_FILE


def audio_names(folder: Path, info: dict[str, Any]) -> tuple[str, ...]:
    """The audio of an attempt in the order taken; a folder from before `turns` was kept: every WAV."""
    return tuple(info.get("turns") or ()) or tuple(sorted(p.name for p in Path(folder).glob(f"*{AUDIO_SUFFIX}")))


# -- moving whole folders (export and import) -----------------------------------------------------

def attempt_files(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every finished file of a folder with its path relative to it (a temp file is a write under way)."""
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not path.name.endswith(".tmp"):
            yield path, path.relative_to(folder).as_posix()


def install_attempt(data_dir: Path, attempt_id: str, files: Iterable[tuple[str, Callable[[], IO[bytes]]]]) -> Path:
    """Fill a hidden staging folder, then rename it into place: an interrupted copy leaves no half attempt."""
    root = Path(data_dir) / ATTEMPTS
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=root, prefix=".import-"))
    except OSError as exc:
        raise storage_error(root, exc, "create an attempt folder") from exc
    try:
        for rel, open_source in files:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open_source() as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
        os.replace(staging, root / attempt_id)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise storage_error(root / attempt_id, exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return root / attempt_id
