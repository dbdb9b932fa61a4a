"""The attempt folder stage: crash-safe writes, the layout, and moving whole folders."""

from __future__ import annotations

import io
import json

import pytest

from mockinterview.attempts import (
    AttemptDir,
    AttemptInfo,
    attempt_files,
    attempt_folders,
    install_attempt,
    read_info,
    read_report_data,
    replacing,
    write_json_atomic,
)
from mockinterview.errors import HistoryError, StorageError


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "report.json"
    write_json_atomic(target, {"v": 1})
    with pytest.raises(RuntimeError):
        with replacing(target) as tmp:
            tmp.write_text('{"v": 2, "half')
            raise RuntimeError("crash mid-write")
    assert json.loads(target.read_text()) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_an_attempt_folder_is_written_and_read_back(tmp_path):
    info = AttemptInfo(id="20261201-090000-q", question_id="q", mode="mock", started_at="2026-12-01T09:00:00+00:00")
    attempt = AttemptDir.create(tmp_path, info)
    twin = AttemptDir.create(tmp_path, info)  # the same second: a second folder, not the first overwritten
    assert twin.path.name == f"{info.id}-2" and attempt.path != twin.path
    attempt.update(turns=(attempt.audio_path(0).name, attempt.audio_path(1).name), status="scored")
    transcript = attempt.save_transcript(attempt.audio_path(1), {"words": []})
    assert transcript.parent == attempt.path and transcript.name.startswith(attempt.audio_path(1).stem)
    with pytest.raises(HistoryError, match="never scored"):
        read_report_data(attempt.path)
    assert read_report_data(attempt.path, strict=False) is None
    attempt.save_report({"question_id": "q"})
    assert read_report_data(attempt.path) == {"question_id": "q"}
    again = AttemptDir.open(attempt.path)
    assert again.info == attempt.info and read_info(attempt.path)["status"] == "scored"
    assert [p.name for p in attempt_folders(tmp_path)] == [attempt.path.name, twin.path.name]
    assert read_info(tmp_path / "nowhere") == {} and read_info(tmp_path / "nowhere", strict=False) is None


def test_installing_a_folder_is_all_or_nothing(tmp_path):
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    (source / "a.wav").write_bytes(b"RIFF")
    (source / "sub" / "b.json").write_text("{}")
    (source / "c.json.tmp").write_text("half")  # a write under way is not part of the attempt
    files = list(attempt_files(source))
    assert [rel for _, rel in files] == ["a.wav", "sub/b.json"]
    data = tmp_path / "data"
    done = install_attempt(data, "x", [(rel, lambda p=p: open(p, "rb")) for p, rel in files])
    assert sorted(p.relative_to(done).as_posix() for p in done.rglob("*") if p.is_file()) == ["a.wav", "sub/b.json"]

    def broken():
        raise OSError("disk full")

    with pytest.raises(StorageError, match="attempts/y: cannot write: disk full"):
        install_attempt(data, "y", [("a.wav", lambda: io.BytesIO(b"RIFF")), ("b.json", broken)])
    assert sorted(p.name for p in (data / "attempts").iterdir()) == ["x"]  # no half attempt, no staging left
