"""`mockinterview doctor` finds what a crash, a kill or a damaged file left in the data folder and prints
the command that repairs each; running those commands leaves a data folder the doctor calls well.
Real processes throughout: a practice killed with SIGKILL mid-answer, the real model for `report --score`."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_matrix import run_many
from conftest import FIXTURES, ROOT
from helpers_attempts import build_attempt
from mockinterview.attempts.checkup import Trouble, check_attempts
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.history.store import record_attempt

QID = "anticipate-customer-need"
WHOLE = f"20261101-090000-{QID}"


def _killed_practice(home: Path) -> Path:
    """A mock practice killed (SIGKILL) 6 s into its answer: the state a power cut leaves."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockinterview", "practice", QID, "--mode", "mock", "--no-voice", "--probes", "0",
         "--data-dir", str(home), "--answer-audio", str(FIXTURES / "strong_answer.flac")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    before = set((home / "attempts").iterdir())
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            found = [p for p in (home / "attempts").glob("*/answer.wav")
                     if p.parent not in before and p.stat().st_size > 16_000 * 2 * 6]
            if found:
                break
            time.sleep(0.2)
        assert found, "the answer never started recording"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return found[0].parent


def _age(folder: Path, seconds: float) -> None:
    """As if written `seconds` ago: the doctor leaves folders written in the last moments alone."""
    then = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (then, then))


@pytest.fixture
def damaged(tmp_path, transcript_of):
    home = tmp_path / "home"
    question = load_bank([BUILTIN_DIR]).get(QID)
    whole = build_attempt(home, question, lambda name, terms: transcript_of(FIXTURES / f"{name}.flac", terms),
                          "20261101-090000", "trap_answer")
    record_attempt(home, whole)
    killed = _killed_practice(home)
    assert json.loads((killed / "attempt.json").read_text())["status"] == "recording"
    assert not (killed / "report.json").exists()
    empty = home / "attempts" / f"20261102-090000-{QID}"  # started, then nothing: settings and a bare WAV header
    empty.mkdir()
    (empty / "attempt.json").write_text(json.dumps({"id": empty.name, "question_id": QID, "mode": "mock",
                                                    "started_at": "2026-11-02T09:00:00+00:00", "status": "recording"}))
    (empty / "answer.wav").write_bytes((whole / "answer.wav").read_bytes()[:44])
    bad_report = shutil.copytree(whole, home / "attempts" / f"20261103-090000-{QID}")
    info = json.loads((bad_report / "attempt.json").read_text())
    (bad_report / "attempt.json").write_text(json.dumps({**info, "id": bad_report.name}))
    (bad_report / "report.json").write_text('{"question_id": ')
    bad_settings = shutil.copytree(whole, home / "attempts" / f"20261104-090000-{QID}")
    (bad_settings / "attempt.json").write_text("{")
    for folder in (home / "attempts").iterdir():
        _age(folder, 3600)
    return home, {"killed": killed, "empty": empty, "bad_report": bad_report, "bad_settings": bad_settings}


def test_the_doctor_names_each_problem_and_its_repair_and_the_repairs_work(damaged):
    home, folders = damaged
    troubles = {f.folder: f.trouble for f in check_attempts(home)}
    assert troubles == {folders["killed"]: Trouble.NEVER_SCORED, folders["empty"]: Trouble.NOTHING_RECORDED,
                        folders["bad_report"]: Trouble.UNREADABLE_REPORT,
                        folders["bad_settings"]: Trouble.UNREADABLE_SETTINGS}

    (doctor,) = run_many([["doctor", "--data-dir", str(home)]])
    assert doctor["rc"] == 1 and not doctor["traceback"], doctor["stderr"]
    lines = doctor["stdout"].splitlines()
    assert lines[-1] == f"4 problems found in {home}"
    repairs = {}
    for head, repair in zip(lines[:-1:2], lines[1:-1:2]):
        folder = Path(head.split(": ", 1)[0])
        assert head == f"{folder}: {troubles[folder]}"
        assert repair.startswith("  repair: ")
        repairs[folder] = repair.removeprefix("  repair: ")
    assert repairs[folders["killed"]] == f"mockinterview report {folders['killed'].name} --score --data-dir {home}"
    assert repairs[folders["empty"]] == f"rm -r {folders['empty']}"
    assert repairs[folders["bad_report"]].startswith(f"mockinterview report {folders['bad_report'].name} --score")
    assert repairs[folders["bad_settings"]].startswith(
        f"mockinterview score {QID} {folders['bad_settings'] / 'answer.wav'} --data-dir {home}")

    # carry out each repair as printed
    commands = [shlex.split(repairs[folders[k]])[1:] for k in ("killed", "bad_report")]
    commands.append(shlex.split(repairs[folders["bad_settings"]].split(" (then")[0])[1:])
    killed, bad_report, scored_file = run_many(commands)
    for result in (killed, bad_report, scored_file):
        assert result["rc"] == 0 and not result["traceback"], result["stderr"]
    page = Path(killed["stdout"].strip()).read_text()  # `report` writes the HTML page by default
    assert '<p class="partial" role="alert">Partial report: stopped before the report was written' in page
    shutil.rmtree(folders["empty"])
    shutil.move(folders["bad_settings"], home.parent / "aside")

    (again,) = run_many([["doctor", "--data-dir", str(home)]])
    assert again["rc"] == 0, again["stdout"]
    assert again["stdout"].startswith("All well: 3 attempts")
    saved = json.loads((folders["killed"] / "report.json").read_text())
    assert saved["partial"] and saved["duration_s"] > 3  # what was said before the kill, scored from the WAV
    assert json.loads((folders["killed"] / "attempt.json").read_text())["status"] == "interrupted"


def test_a_scored_attempt_is_not_scored_again_and_a_fresh_one_is_left_alone(damaged):
    home, folders = damaged
    (again,) = run_many([["report", WHOLE, "--score", "--data-dir", str(home)]])
    assert again["rc"] == 1 and "already scored" in again["stderr"] and not again["traceback"]
    _age(folders["killed"], 0)  # as if a practice were still writing it
    assert folders["killed"] not in {f.folder for f in check_attempts(home)}
