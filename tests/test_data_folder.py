"""Every command against a broken data folder: read-only (a read-only bind mount), a file where the folder
should be, a full disk (a small tmpfs filled up), a corrupt database and a corrupt attempt. Each must end
with a one-line message naming the path and the cause (exit 1) or succeed, never with a traceback; what
was saved stays readable, no recording changes and nothing is written outside the data folder.

The folders hold real attempts (spoken fixtures, the real model) and the commands run in a real process
(tests/cli_matrix.py runs the console script's main for each command line)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_matrix import run_many
from conftest import FIXTURES
from helpers_attempts import build_attempt
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.history.store import record_attempt

QID = "anticipate-customer-need"
FIRST, SECOND = "20261101-090000", "20261102-090000"
NOTES = """# Situation
I ran the payments API team at a small travel startup.
## Task
Refunds failed for one in fifty bookings and I owned the fix.
## Action
I traced the failures to a retry bug and I shipped a fix behind a flag.
## Result
Failed refunds fell from 2% to 0.1% within a week.
## Reflection
I learned to add an alert before I ship a risky change.
"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory, transcript_of):
    """A data folder with two scored attempts, an export of it and a notes file; built once."""
    base = tmp_path_factory.mktemp("saved")
    data = base / "home"
    question = load_bank([BUILTIN_DIR]).get(QID)
    for stamp, answer in ((FIRST, "trap_answer"), (SECOND, "probe_strong")):
        folder = build_attempt(data, question, lambda name, terms: transcript_of(FIXTURES / f"{name}.flac", terms),
                               stamp, answer)
        record_attempt(data, folder)
    export = base / "export.zip"
    assert run_many([["export", str(export), "--data-dir", str(data)]])[0]["rc"] == 0
    notes = base / "notes.md"
    notes.write_text(NOTES)
    return data, export, notes


def _commands(data: Path, export: Path, notes: Path, out: Path) -> dict[str, list[str]]:
    d = ["--data-dir", str(data)]
    return {
        "history": ["history", *d],
        "history json": ["history", "--format", "json", *d],
        "history html": ["history", "--format", "html", *d],
        "history rebuild": ["history", "--rebuild", *d],
        "report text": ["report", "latest", "--format", "text", *d],
        "report json": ["report", FIRST, "--format", "json", *d],
        "report markdown": ["report", "latest", "--format", "markdown", *d],
        "report html": ["report", "latest", "--format", "html", *d],
        "compare": ["compare", FIRST, SECOND, *d],
        "export": ["export", str(out / "again.zip"), *d],
        "import": ["import", str(export), *d],
        "list": ["list", *d],
        "new-story": ["new-story", "--from", str(notes), "--id", "refund-story", *d],
        "practice": ["practice", QID, "--mode", "mock", "--no-voice", "--probes", "0",
                     "--answer-audio", str(FIXTURES / "trap_answer.flac"), *d],
    }


READS = ("history", "history json", "report text", "report json", "report markdown", "compare", "export", "list")
WRITES = ("history html", "history rebuild", "report html", "import", "new-story", "practice")


def _recordings(data: Path) -> dict[str, str]:
    return {p.relative_to(data).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*.wav"))}


def _run_case(data: Path, export: Path, notes: Path, out: Path) -> dict[str, dict]:
    commands = _commands(data, export, notes, out)
    results = run_many(list(commands.values()))
    return dict(zip(commands, results))


def _assert_clean(name: str, result: dict) -> None:
    assert not result["traceback"], f"{name}: {result['traceback']}"
    assert "Traceback" not in result["stderr"], f"{name}: {result['stderr']}"
    assert result["rc"] in (0, 1), f"{name}: exit {result['rc']}: {result['stderr']}"


def _one_line_error(name: str, result: dict, path: Path, cause: str) -> None:
    _assert_clean(name, result)
    assert result["rc"] == 1, f"{name} should fail: {result['stdout'][-300:]}"
    lines = [line for line in result["stderr"].splitlines() if line.startswith("mockinterview ")]
    assert len(lines) == 1, f"{name}: {result['stderr']}"
    assert str(path) in lines[0] and cause in lines[0], f"{name}: {lines[0]}"


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip()}); these cases need root and mount")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def outside(tmp_path):
    """A folder beside the data folder for outputs; nothing else may appear next to the data folder."""
    out = tmp_path / "out"
    out.mkdir()
    return out


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _reads_work_and_writes_say_why(data: Path, export, notes, outside, cause: str) -> dict:
    """Every command on `data`: the reads succeed cleanly, each write fails in one line naming `cause`,
    both saved attempts stay listed and no recording changes."""
    before = _recordings(data)
    results = _run_case(data, export, notes, outside)
    for name in READS:
        _assert_clean(name, results[name])
        assert results[name]["rc"] == 0, f"{name}: {results[name]['stderr']}"
    for name in WRITES:
        _one_line_error(name, results[name], data, cause)
    assert len(json.loads(results["history json"]["stdout"])["attempts"]) == 2
    assert _recordings(data) == before
    return results


@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only mount needs root")
def test_a_read_only_data_folder_stays_readable_and_every_write_says_why(saved, tmp_path, outside):
    source, export, notes = saved
    data = tmp_path / "ro"
    data.mkdir()
    _mount("--bind", str(source), str(data))
    try:
        _mount("-o", "remount,bind,ro", str(data))
        results = _reads_work_and_writes_say_why(data, export, notes, outside, "read-only")
        assert FIRST in results["history"]["stdout"] or "trap" in results["history json"]["stdout"]
    finally:
        _umount(data)


@pytest.mark.skipif(os.geteuid() != 0, reason="a small tmpfs needs root")
def test_a_full_disk_keeps_what_was_saved_readable_and_every_write_says_why(saved, tmp_path, outside):
    source, export, notes = saved
    data = tmp_path / "full"
    data.mkdir()
    _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(data))
    try:
        shutil.copytree(source, data, dirs_exist_ok=True)
        with open(data / "filler", "wb") as filler:  # fill the disk to the last block
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        _reads_work_and_writes_say_why(data, export, notes, outside, "full")
        assert _listing(data / "attempts") == [f"{FIRST}-{QID}", f"{SECOND}-{QID}"]  # no half attempt left
    finally:
        _umount(data)


def test_a_data_folder_that_is_a_file_is_named_by_every_command(saved, tmp_path, outside):
    _, export, notes = saved
    data = tmp_path / "home"
    data.write_text("not a folder")
    results = _run_case(data, export, notes, outside)
    for name, result in results.items():
        _one_line_error(name, result, data, "is a file, not a folder")
    assert data.read_text() == "not a folder"
    assert _listing(tmp_path) == ["home", "out"]
    assert _listing(outside) == []


def test_a_corrupt_database_and_a_corrupt_attempt_are_named_and_the_recordings_kept(saved, tmp_path, outside):
    source, export, notes = saved
    data = shutil.copytree(source, tmp_path / "home")
    (data / "attempts" / f"{FIRST}-{QID}" / "attempt.json").write_text('{"id": ')
    for leftover in data.glob("history.sqlite3*"):
        leftover.unlink()
    (data / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    before = _recordings(data)
    d = ["--data-dir", str(data)]
    results = dict(zip(("history", "report", "export", "import"), run_many([
        ["history", *d], ["report", SECOND, "--format", "text", *d], ["export", str(outside / "x.zip"), *d],
        ["import", str(export), *d]])))
    for name in ("history", "export", "import"):
        _one_line_error(name, results[name], data / "history.sqlite3", "corrupt")
        assert "history --rebuild" in results[name]["stderr"]
    _assert_clean("report", results["report"])
    assert results["report"]["rc"] == 0  # the saved report does not need the database

    # moved aside as the message says, the rebuild names the attempt it could not read, and why
    (data / "history.sqlite3").rename(outside / "history.sqlite3.bad")
    rebuilt = run_many([["history", "--rebuild", *d], ["history", "--format", "json", *d]])
    _assert_clean("rebuild", rebuilt[0])
    assert rebuilt[0]["rc"] == 0
    assert "Recorded 1 attempt folders" in rebuilt[0]["stdout"]
    assert f"{FIRST}-{QID}" in rebuilt[0]["stderr"] and "attempt.json" in rebuilt[0]["stderr"]
    assert [a["id"] for a in json.loads(rebuilt[1]["stdout"])["attempts"]] == [f"{SECOND}-{QID}"]
    assert _recordings(data) == before
