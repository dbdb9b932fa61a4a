"""The SQLite history, trends, compare, export/import, migrations and reliability, on attempts built from
real speech: the spoken fixtures transcribed by the bundled Whisper model and scored."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli
from helpers_attempts import build_attempt
from mockinterview.analysis.report_data import ScoreReport
from mockinterview.asr import Transcript
from mockinterview.attempts import attempt_folders
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.errors import HistoryError
from mockinterview.history import store as store_mod
from mockinterview.history.store import (
    HistoryStore,
    list_history,
    record_attempt,
)
from mockinterview.history.summary import sparkline, trend

QID = "anticipate-customer-need"
# oldest first: the candidate gets better from one attempt to the next
ATTEMPTS = (
    ("20261101-090000", "weak_we_answer", "probe_weak"),
    ("20261102-090000", "filler_answer", None),
    ("20261103-090000", "strong_answer", "probe_strong"),
)


# -- building real attempts ------------------------------------------------------------------------

@pytest.fixture(scope="session")
def transcribe(transcript_of):
    """fixture name -> Transcript from the real model (repeatable: see tests/conftest_asr.py)."""

    def get(name: str, terms=()) -> Transcript:
        return transcript_of(FIXTURES / f"{name}.flac", terms)

    return get


@pytest.fixture(scope="session")
def bank():
    return load_bank([BUILTIN_DIR])


@pytest.fixture(scope="module")
def three(tmp_path_factory, bank, transcribe):
    """A data dir with three recorded attempts of one question; returns (data_dir, [(folder, report)])."""
    data = tmp_path_factory.mktemp("three") / "home"
    question = bank.get(QID)
    out = []
    for stamp, answer, probe in ATTEMPTS:
        folder = build_attempt(data, question, transcribe, stamp, answer, probe)
        record_attempt(data, folder)
        out.append((folder, ScoreReport.from_dict(json.loads((folder / "report.json").read_text()))))
    return data, out


def copy_data(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def coverage(r: ScoreReport) -> float:
    hit = sum(len(s.phrases_hit) for s in r.sections)
    return hit / (hit + sum(len(s.phrases_missed) for s in r.sections))


# -- history and trends ----------------------------------------------------------------------------

def test_three_attempts_make_a_history_whose_trends_match(three):
    data, attempts = three
    rows = list_history(data, QID)
    assert [r.id for r in rows] == [f.name for f, _ in attempts]
    for row, (folder, rep) in zip(rows, attempts):
        assert (row.duration_s, row.wpm, row.fillers_per_min) == (rep.duration_s, rep.wpm, rep.fillers_per_min)
        assert row.coverage == pytest.approx(coverage(rep))
        assert (row.i_count, row.we_count) == (rep.pronouns["i"], rep.pronouns["we"])
        assert row.verdict == rep.verdict and row.total_target_s == rep.total_target_s
        assert [(s.name, s.duration_s, s.verdict) for s in row.sections] == \
            [(s.name, s.duration_s, s.verdict) for s in rep.sections]
        assert row.audio_paths(data) == [folder / n for n in json.loads((folder / "attempt.json").read_text())["turns"]]
        assert row.report_path(data) == folder / "report.json" and not row.audio_missing

    t = trend(QID, rows)
    reports = [rep for _, rep in attempts]
    assert t.get("total time").values == tuple(r.duration_s for r in reports)
    assert t.get("WPM").values == tuple(r.wpm for r in reports)
    assert t.get("fillers/min").values == tuple(r.fillers_per_min for r in reports)
    assert t.get("phrase coverage").values == tuple(round(100 * coverage(r), 1) for r in reports)
    assert t.get("pitch variation").values == tuple(r.prosody.pitch_spread_semitones for r in reports)
    assert t.get("loudness").values == tuple(r.prosody.loudness_dbfs for r in reports)
    assert t.get("loudness").change == "in band"  # every fixture is spoken at a clear level
    # weak (52 s) -> strong (173 s, on target): the total time trend must read "better"
    assert reports[0].total_verdict == "under" and reports[-1].total_verdict == "on_target"
    assert t.get("total time").change == "better"
    assert t.get("phrase coverage").change == ("better" if coverage(reports[-1]) > coverage(reports[0]) else "worse")

    # the command shows the same numbers: JSON and the terminal sparklines
    js = run_cli("history", QID, "--format", "json", "--data-dir", str(data))
    assert js.returncode == 0, js.stderr
    out = json.loads(js.stdout)
    series = {s["name"]: s["values"] for s in out["trends"][0]["series"]}
    assert series["total time"] == [r.duration_s for r in reports]
    assert [a["id"] for a in out["attempts"]] == [r.id for r in rows]
    text = run_cli("history", "--data-dir", str(data), env={"COLUMNS": "160"})
    assert text.returncode == 0, text.stderr
    band = t.get("total time").band
    values = t.get("total time").values
    assert sparkline(values, min(*values, *band), max(*values, *band)) in text.stdout
    for r in rows:
        assert r.id.removesuffix(f"-{QID}") in text.stdout
        assert f"{r.pitch_spread_semitones:.1f} st" in text.stdout and f"{r.loudness_dbfs:.0f} dB" in text.stdout
    assert "pitch variation" in text.stdout and "-42 to -10" in text.stdout


def test_history_html_has_a_chart_per_measure_and_links_to_reports(three, tmp_path):
    data, attempts = three
    out = tmp_path / "h.html"
    done = run_cli("history", "--format", "html", "--out", str(out), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    page = out.read_text()
    assert page.count('<svg class="chart"') == 6  # time, coverage, fillers, WPM, pitch variation, loudness
    assert page.count('<circle class="dot"') == 6 * len(attempts)
    assert "http://" not in page and "https://" not in page


def test_sparkline_scales_between_bounds():
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert sparkline([3, 3]) == "▄▄"
    assert sparkline([]) == ""


def test_record_is_idempotent_and_an_interrupted_attempt_lists(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    folder = three[1][0][0]
    record_attempt(data, data / "attempts" / folder.name)
    record_attempt(data, data / "attempts" / folder.name)
    assert len(HistoryStore(data).attempts()) == 3
    # an attempt stopped before scoring: no report, still listed with its status
    cut = data / "attempts" / f"20261104-090000-{QID}"
    cut.mkdir()
    shutil.copy(folder / "answer.wav", cut / "answer.wav")
    (cut / "attempt.json").write_text(json.dumps(dict(id=cut.name, question_id=QID, mode="mock",
                                                      started_at="2026-11-04T09:00:00+00:00", status="interrupted",
                                                      turns=["answer.wav"])))
    record_attempt(data, cut)
    row = HistoryStore(data).get(cut.name)
    assert row.status == "interrupted" and row.duration_s is None and row.report is None
    assert len(trend(QID, HistoryStore(data).attempts()).attempt_ids) == 3  # trends use scored attempts only


def test_folders_not_yet_recorded_are_picked_up(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    (data / "history.sqlite3").unlink()
    for extra in data.glob("history.sqlite3-*"):
        extra.unlink()
    assert [r.id for r in list_history(data)] == [f.name for f, _ in three[1]]


# -- compare -------------------------------------------------------------------------------------

def test_compare_shows_what_improved_and_what_got_worse(three):
    data, attempts = three
    (fa, ra), (fb, rb) = attempts[0], attempts[2]
    done = run_cli("compare", fa.name[:15], fb.name[:15], "--format", "json", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    changes = json.loads(done.stdout)["changes"]
    for sa in ra.sections:
        sb = rb.section(sa.name)
        gained = [p for p in sb.phrases_hit if p not in sa.phrases_hit]
        lost = [p for p in sa.phrases_hit if p not in sb.phrases_hit]
        said = {c["measure"][6:-1]: c["outcome"] for c in changes if c["section"] == sa.name and c["measure"].startswith("said ")}
        assert said == {**{p: "better" for p in gained}, **{p: "worse" for p in lost}}
        verdict = next(c for c in changes if c["section"] == sa.name and c["measure"] == "verdict")
        assert (verdict["a"], verdict["b"]) == (sa.verdict, sb.verdict)
        if sa.verdict == "under" and sb.verdict == "on_target":
            assert verdict["outcome"] == "better"
    overall = {c["measure"]: c for c in changes if c["section"] == "overall"}
    hire = ["no hire" not in r.verdict.lower() for r in (ra, rb)]
    assert overall["verdict"]["outcome"] == {(False, True): "better", (True, False): "worse"}.get(tuple(hire), "same")
    assert overall["red flags"]["a"] == str(len(ra.red_flags)) and overall["red flags"]["b"] == str(len(rb.red_flags))
    assert (overall["pitch variation"]["a"], overall["pitch variation"]["b"]) == \
        (f"{ra.prosody.pitch_spread_semitones:.1f} st", f"{rb.prosody.pitch_spread_semitones:.1f} st")
    assert overall["loudness"]["outcome"] == "same"  # both clear of the too-quiet level

    text = run_cli("compare", fa.name, "latest", "--data-dir", str(data), env={"COLUMNS": "160"})
    assert text.returncode == 0, text.stderr
    assert "Improved:" in text.stdout and "Got worse:" in text.stdout
    for p in [p for s in rb.sections for p in s.phrases_hit if p not in ra.section(s.name).phrases_hit][:3]:
        assert p in text.stdout
    # and the other way round, the same changes read as worse
    back = json.loads(run_cli("compare", fb.name, fa.name, "--format", "json", "--data-dir", str(data)).stdout)
    flipped = {"better": "worse", "worse": "better", "same": "same"}
    assert [c["outcome"] for c in back["changes"] if c["measure"] == "time"] == \
        [flipped[c["outcome"]] for c in changes if c["measure"] == "time"]


# -- export / import -----------------------------------------------------------------------------

def test_export_then_import_into_an_empty_data_dir_gives_the_same_history(three, tmp_path):
    data, attempts = three
    archive = tmp_path / "out.zip"
    done = run_cli("export", str(archive), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    names = zipfile.ZipFile(archive).namelist()
    assert "history.json" in names and f"attempts/{attempts[0][0].name}/answer.wav" in names

    other = tmp_path / "other"
    done = run_cli("import", str(archive), "--data-dir", str(other))
    assert done.returncode == 0, done.stderr
    assert "Imported 3 attempts" in done.stdout
    before = [r.to_dict() for r in list_history(data)]
    after = [r.to_dict() for r in list_history(other)]
    assert after == before
    for folder, _ in attempts:
        for f in folder.iterdir():
            assert digest(other / "attempts" / folder.name / f.name) == digest(f)
    assert run_cli("history", "--data-dir", str(other), env={"COLUMNS": "160"}).stdout == \
        run_cli("history", "--data-dir", str(data), env={"COLUMNS": "160"}).stdout
    again = run_cli("import", str(archive), "--data-dir", str(other))
    assert "Imported 0 attempts" in again.stdout and "3 already here" in again.stdout

    one = tmp_path / "one.zip"
    assert run_cli("export", str(one), "--question", "cloud-bill-cut", "--data-dir", str(data)).returncode == 0
    assert json.loads(zipfile.ZipFile(one).read("history.json"))["attempts"] == []


def test_export_carries_the_own_stories_its_attempts_answer_and_import_restores_them(tmp_path, transcribe):
    from cli_matrix import run_many
    from mockinterview.bank import load_file

    data = tmp_path / "home"
    notes = ROOT / "tests" / "data" / "story_notes.md"
    (made,) = run_many([["new-story", "--from", str(notes), "--id", "my-refund-story", "--data-dir", str(data)]])
    assert made["rc"] == 0, made["stderr"]
    story = data / "stories" / "my-refund-story.toml"
    question = load_file(story)
    folder = build_attempt(data, question, transcribe, "20261105-090000", "probe_strong")
    record_attempt(data, folder)
    archive = tmp_path / "out.zip"
    other = tmp_path / "other"
    exported, imported, shown, report = run_many([
        ["export", str(archive), "--data-dir", str(data)], ["import", str(archive), "--data-dir", str(other)],
        ["show", question.id, "--data-dir", str(other)], ["report", "latest", "--format", "text", "--data-dir", str(other)]])
    for result in (exported, imported, shown, report):
        assert result["rc"] == 0 and not result["traceback"], result["stderr"]
    assert "stories/my-refund-story.toml" in zipfile.ZipFile(archive).namelist()
    assert json.loads(zipfile.ZipFile(archive).read("history.json"))["stories"] == ["my-refund-story"]
    assert (other / "stories" / story.name).read_bytes() == story.read_bytes()
    assert question.question in " ".join(shown["stdout"].split())

    # a different story under the same id is never overwritten: the import is refused whole
    third = tmp_path / "third"
    (third / "stories").mkdir(parents=True)
    (third / "stories" / story.name).write_text(story.read_text().replace(question.question, "Another question?"))
    (clash,) = run_many([["import", str(archive), "--data-dir", str(third)]])
    assert clash["rc"] == 1 and "a different story 'my-refund-story' is already in" in clash["stderr"]
    assert not (third / "attempts").exists()

    # a story that is not a valid question file, or names another id than its file, is refused
    for name, text in (("stories/bad.toml", "not = [toml"), ("stories/x.toml", story.read_text()),
                       ("stories/../evil.toml", story.read_text())):
        hostile = tmp_path / "hostile.zip"
        with zipfile.ZipFile(hostile, "w") as zf:
            zf.writestr("history.json", json.dumps({"format": "mockinterview-history", "attempts": []}))
            zf.writestr(name, text)
        (refused,) = run_many([["import", str(hostile), "--data-dir", str(tmp_path / "d")]])
        assert refused["rc"] == 1 and "refusing to import" in refused["stderr"], (name, refused["stderr"])
        assert not (tmp_path / "d" / "stories").exists() and not (tmp_path / "evil.toml").exists()


def test_import_refuses_paths_outside_the_attempts_folder(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("history.json", json.dumps({"format": "mockinterview-history", "attempts": []}))
        zf.writestr("attempts/x/../../evil.txt", "x")
    done = run_cli("import", str(bad), "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 1 and "refusing" in done.stderr
    assert not (tmp_path / "evil.txt").exists()
    done = run_cli("import", str(tmp_path / "missing.zip"), "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 1 and "no such file" in done.stderr


# -- schema migrations ---------------------------------------------------------------------------

def test_a_version_1_database_is_migrated(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    for f in data.glob("history.sqlite3*"):
        f.unlink()
    old = HistoryStore(data, target_version=1)
    old.put(store_mod.row_from_folder(data, f) for f in attempt_folders(data))
    conn = sqlite3.connect(data / "history.sqlite3")
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 1
    columns = [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    assert "probes_strong" not in columns
    conn.close()
    assert all(r.probes_total is None for r in old.attempts())

    rows = HistoryStore(data).attempts()  # opening at the current version migrates
    assert HistoryStore(data).version() == store_mod.SCHEMA_VERSION == 3
    by_id = {r.id: r for r in rows}
    for folder, rep in three[1]:
        row = by_id[folder.name]
        assert rep.prosody is not None  # v3: how it sounded, back-filled from the saved report
        assert (row.pitch_spread_semitones, row.loudness_dbfs) == (rep.prosody.pitch_spread_semitones,
                                                                   rep.prosody.loudness_dbfs)
        assert row.probes_total == len(rep.probe_findings)
        assert row.probes_strong == sum(1 for p in rep.probe_findings if p.verdict == "strong")
        assert row.duration_s == rep.duration_s  # v1 data kept
    assert any(r.probes_total for r in rows)


# -- reliability ---------------------------------------------------------------------------------

WRITER = """
import json, shutil, sys
from pathlib import Path
from mockinterview.history.store import record_attempt
data, src, tag, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
for i in range(n):
    folder = data / "attempts" / f"20261201-{tag}{i:05d}-x"
    shutil.copytree(src, folder)
    info = json.loads((folder / "attempt.json").read_text())
    info["id"] = folder.name
    (folder / "attempt.json").write_text(json.dumps(info))
    record_attempt(data, folder)
"""


def test_two_processes_writing_at_once_lose_nothing(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    for f in data.glob("history.sqlite3*"):
        f.unlink()  # both processes also race to create and migrate the database
    src = data / "attempts" / three[1][0][0].name
    n = 40
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(data), str(src), tag, str(n)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for tag in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    ids = {r.id for r in HistoryStore(data).attempts()}
    expected = {f"20261201-{t}{i:05d}-x" for t in "ab" for i in range(n)}
    assert ids == expected  # every row of both writers, and no other (the three old folders were never recorded)
    assert HistoryStore(data).version() == store_mod.SCHEMA_VERSION


def test_a_locked_database_gives_a_clear_error_and_touches_no_audio(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    audio = sorted(data.glob("attempts/*/*.wav"))
    before = {p: digest(p) for p in audio}
    holder = sqlite3.connect(data / "history.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError) as err:
            HistoryStore(data, timeout_s=0.3).record(data / "attempts" / three[1][0][0].name)
        message = str(err.value)
        assert "locked" in message and str(data / "history.sqlite3") in message and "\n" not in message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert {p: digest(p) for p in audio} == before


def test_a_corrupt_database_gives_one_line_and_can_be_rebuilt(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    audio = sorted(data.glob("attempts/*/*.wav"))
    before = {p: digest(p) for p in audio}
    for f in data.glob("history.sqlite3-*"):
        f.unlink()
    (data / "history.sqlite3").write_bytes(b"this is not a database at all" * 200)
    done = run_cli("history", "--data-dir", str(data))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "corrupt" in lines[0] and "history.sqlite3" in lines[0], done.stderr
    assert {p: digest(p) for p in audio} == before and sorted(data.glob("attempts/*/*.wav")) == audio

    (data / "history.sqlite3").rename(data / "history.sqlite3.bad")
    done = run_cli("history", "--rebuild", "--format", "json", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout[done.stdout.index("{"):])["attempts"]) == 3


def test_an_attempt_whose_audio_was_deleted_still_lists(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    gone = data / "attempts" / three[1][1][0].name
    (gone / "answer.wav").unlink()
    rows = {r.id: r for r in list_history(data)}
    assert rows[gone.name].audio_missing and rows[gone.name].duration_s is not None
    assert sum(r.audio_missing for r in rows.values()) == 1
    done = run_cli("history", "--data-dir", str(data), env={"COLUMNS": "160"})
    line = next(x for x in done.stdout.splitlines() if gone.name.removesuffix(f"-{QID}") in x)
    assert "(audio deleted)" in line


def _export_with(path: Path, attempt_id: str, files: dict[str, bytes]) -> Path:
    row = {"id": attempt_id, "question_id": "anticipate-customer-need", "mode": "mock", "started_at": "2026-11-01T09:00:00+00:00",
           "status": "scored", "folder": f"attempts/{attempt_id}"}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("history.json", json.dumps({"format": "mockinterview-history", "attempts": [row]}))
        for name, data in files.items():
            zf.writestr(f"attempts/{attempt_id}/{name}", data)
    return path


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.exists() else set()


def test_import_refuses_an_attempt_id_that_climbs_out_of_the_data_folder(tmp_path):
    data = tmp_path / "deep" / "data"
    for bad_id in ("../../evil_rowid", "20261101-090000-../../x", "/etc/passwd", "20261101-090000-ok/../../x"):
        archive = _export_with(tmp_path / "bad.zip", "20261101-090000-ok", {"answer.wav": b""})
        index = json.loads(zipfile.ZipFile(archive).read("history.json"))
        index["attempts"][0]["id"] = bad_id
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("history.json", json.dumps(index))
        done = run_cli("import", str(archive), "--data-dir", str(data))
        assert done.returncode == 1 and "refusing to import" in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert _tree(tmp_path) == {"bad.zip"}  # nothing written anywhere, the data folder included


def test_import_refuses_files_that_are_not_audio_and_leaves_nothing(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    before = {p: digest(p) for p in data.rglob("*") if p.is_file() and p.suffix in (".wav", ".json")}
    archive = _export_with(tmp_path / "text.zip", "20251231-235959-anticipate-customer-need",
                           {"answer.wav": b"this is text, not a recording\n" * 100, "attempt.json": b"{}"})
    done = run_cli("import", str(archive), "--data-dir", str(data))
    assert done.returncode == 1 and "not readable audio" in done.stderr, done.stderr
    assert not (data / "attempts" / "20251231-235959-anticipate-customer-need").exists()
    assert {p: digest(p) for p in before} == before  # every saved recording unchanged


def test_import_enforces_its_size_limits_on_the_bytes_read(tmp_path, monkeypatch):
    from mockinterview.errors import HistoryError
    from mockinterview.history import archive

    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 1024 * 1024)
    bomb = _export_with(tmp_path / "bomb.zip", "20261103-090000-anticipate-customer-need",
                        {"answer.wav": bytes(3 * 1024 * 1024)})  # zeros: 3 MB unpacked from a few KB
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(HistoryError, match="limit"):
        archive.import_zip(tmp_path / "data", bomb)
    assert not (tmp_path / "data" / "attempts" / "20261103-090000-anticipate-customer-need").exists()
    monkeypatch.setattr(archive, "MAX_ENTRIES", 3)
    many = _export_with(tmp_path / "many.zip", "20261104-090000-anticipate-customer-need",
                        {f"f{i}.json": b"{}" for i in range(5)})
    with pytest.raises(HistoryError, match="entries"):
        archive.import_zip(tmp_path / "data", many)


def test_rebuild_names_each_folder_it_could_not_read(three, tmp_path):
    data = copy_data(three[0], tmp_path / "home")
    folders = sorted((data / "attempts").iterdir())
    (folders[1] / "attempt.json").write_text('{"id": "half a file', encoding="utf-8")
    done = run_cli("history", "--rebuild", "--data-dir", str(data))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert f"Recorded {len(folders) - 1} attempt folders" in done.stdout and "1 could not be read" in done.stdout
    line = next(x for x in done.stderr.splitlines() if "not recorded" in x)
    assert str(folders[1]) in line and "attempt.json: unreadable" in line
