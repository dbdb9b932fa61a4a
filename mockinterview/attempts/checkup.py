"""What is wrong with the attempt folders of a data directory: settings or report that cannot be read, a
recording never scored (the process was killed), a folder with nothing recorded in it. `mockinterview
doctor` shows each with the command that repairs it."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .folder import (
    ATTEMPTS,
    AUDIO_SUFFIX,
    INFO_FILE,
    REPORT_FILE,
    WAV_HEADER_BYTES,
    AttemptStatus,
    answer_audio,
    read_json,
)

UNDER_WAY_S = 30.0  # a recording written to this recently may belong to a practice still running


class Trouble(StrEnum):
    UNREADABLE_SETTINGS = "its settings (attempt.json) are missing or cannot be read"
    NEVER_SCORED = "recorded, but stopped (a crash or kill) before its report was written"
    NOTHING_RECORDED = "nothing was recorded in it"
    UNREADABLE_REPORT = "its report (report.json) cannot be read"


@dataclass(frozen=True)
class Finding:
    folder: Path
    trouble: Trouble
    question_id: str = ""  # from the folder's name when the settings cannot be read; "" if not even that
    audio: Path | None = None  # the answer's recording, when one holds sound


def check_attempts(data_dir: Path, *, now_s: float | None = None) -> list[Finding]:
    """Every attempt folder that needs repair, oldest first; folders being written now are left alone."""
    root = Path(data_dir) / ATTEMPTS
    if not root.is_dir():
        return []
    now_s = time.time() if now_s is None else now_s
    findings = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        finding = _check(folder, now_s)
        if finding is not None:
            findings.append(finding)
    return findings


def _check(folder: Path, now_s: float) -> Finding | None:
    audio = answer_audio(folder)
    recorded = [p for p in folder.glob(f"*{AUDIO_SUFFIX}") if p.stat().st_size > WAV_HEADER_BYTES]
    if any(now_s - p.stat().st_mtime < UNDER_WAY_S for p in recorded):
        return None  # under way
    sound = audio if audio in recorded else None
    info = read_json(folder / INFO_FILE)
    if not isinstance(info, dict) or not isinstance(info.get("question_id"), str):
        return Finding(folder, Trouble.UNREADABLE_SETTINGS, _question_in_name(folder.name), sound)
    question_id = info["question_id"]
    status = info.get("status")
    has_report = (folder / REPORT_FILE).exists()
    if has_report and not _report_reads(folder):
        return Finding(folder, Trouble.UNREADABLE_REPORT, question_id, sound)
    if status == AttemptStatus.RECORDING and not recorded:
        return Finding(folder, Trouble.NOTHING_RECORDED, question_id)
    # an attempt quit before its report (status interrupted) had no speech to score; only a kill leaves this
    if info.get("mode") == "mock" and sound is not None and not has_report and status == AttemptStatus.RECORDING:
        return Finding(folder, Trouble.NEVER_SCORED, question_id, sound)
    return None


def _question_in_name(attempt_id: str) -> str:
    """An attempt id is `<YYYYmmdd-HHMMSS>-<question id>[-n]` (folder.new_attempt_id)."""
    match = re.fullmatch(r"\d{8}-\d{6}-(.+?)(?:-\d+)?", attempt_id)
    return match.group(1) if match else ""


def _report_reads(folder: Path) -> bool:
    data = read_json(folder / REPORT_FILE)
    if not isinstance(data, dict):
        return False
    from ..analysis.report_data import ScoreReport  # here: only a report on disk needs the analysis types

    try:
        ScoreReport.from_dict(data)
    except (TypeError, KeyError, AttributeError, ValueError):
        return False
    return True
