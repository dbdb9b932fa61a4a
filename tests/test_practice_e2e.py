"""`mockinterview practice` end to end: recordings as the candidate, and a person at a terminal
(tmux) talking into the virtual microphone of a private PulseAudio server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_matrix import run_many
from helpers_terminal import FIXTURES, ROOT, SEED_ID, play, practice, terminal_env  # noqa: F401 (a fixture)

# realtime: plays audio in real time into a live `practice`; `make test` runs these alone, after the rest
pytestmark = [pytest.mark.slow, pytest.mark.realtime]


def _truth(stem: str) -> dict:
    return json.loads((FIXTURES / f"{stem}.truth.json").read_text())


def _only_attempt(home: Path) -> Path:
    attempts = sorted((home / "attempts").iterdir())
    assert len(attempts) == 1, attempts
    return attempts[0]


def test_mock_flow_with_recordings_as_the_candidate(tmp_path):
    home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-m", "mockinterview", "practice", SEED_ID, "--no-voice", "--data-dir", str(home),
         "--answer-audio", str(FIXTURES / "weak_we_answer.flac"), str(FIXTURES / "probe_strong.flac"),
         str(FIXTURES / "probe_weak.flac"), "--json", str(tmp_path / "out.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    attempt = _only_attempt(home)
    info = json.loads((attempt / "attempt.json").read_text())
    assert info["status"] == "scored" and info["mode"] == "mock"
    assert info["turns"] == ["answer.wav", "probe-1.wav", "probe-2.wav"]
    for name in info["turns"]:
        assert (attempt / name).stat().st_size > 16_000 * 2 * 5  # seconds of real audio each
    report = json.loads((attempt / "report.json").read_text())
    assert json.loads((tmp_path / "out.json").read_text()) == report
    sections = {s["name"]: s for s in report["sections"]}
    truth = {s["name"]: s for s in _truth("weak_we_answer")["sections"]}
    # Played in real time, the answer is transcribed while it plays, and which guesses the worker
    # makes depends on the CPU's load; a clause heard otherwise can move one boundary by a sentence
    # (bench/streaming_accuracy.py: 0.25 s apart from whole-file on average, 4.2 s at worst).
    errors = [abs(sections[n]["start_s"] - truth[n]["start_s"]) for n in ("situation", "task", "action", "result")]
    assert sum(errors) / len(errors) <= 1.5 and max(errors) <= 5.0, errors
    # Follow-ups chosen by the gaps, the weightiest first: the hand-off, quoting the candidate's own
    # clause. The first reply ("I brought a complete fix") closes it, the second ("they handled it") not.
    probes = report["probe_findings"]
    assert len(probes) == 2 and probes[0]["gap"] in ("red_flag", "handoff")
    assert probes[0]["question"].startswith('You said "')
    assert not {"red_flag", "handoff"} & set(report["gaps"])  # closed when asked
    assert probes[0]["closed"] is True and probes[1]["closed"] is False
    assert "Follow-up 1/" in result.stdout and "Follow-up 2/" in result.stdout
    assert "Follow-up 3/" not in result.stdout
    assert (attempt / "report.html").is_file()
    # how it sounded, from the pitch tracked while recording: the same as tracking the saved answer
    from mockinterview.analysis.pitch import track_pitch
    from mockinterview.analysis.prosody import attach_prosody
    from mockinterview.analysis.report_data import ScoreReport
    from mockinterview.audio.file import read_audio

    sound = report["prosody"]
    assert sound["findings"] == [] and 1.0 < sound["pitch_spread_semitones"] < 3.5
    again = attach_prosody(ScoreReport.from_dict(report), track_pitch(read_audio(attempt / "answer.wav").samples))
    assert again.prosody.pitch_spread_semitones == pytest.approx(sound["pitch_spread_semitones"], abs=0.01)
    assert again.prosody.loudness_dbfs == pytest.approx(sound["loudness_dbfs"], abs=0.1)
    assert "How it sounded" in result.stdout
    history = subprocess.run([sys.executable, "-m", "mockinterview", "history", "--format", "json", "--data-dir", str(home)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert history.returncode == 0, history.stderr
    assert attempt.name in history.stdout


def test_silent_answer_is_no_speech_and_keeps_the_recording(tmp_path):
    home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-m", "mockinterview", "practice", SEED_ID, "--no-voice", "--data-dir", str(home),
         "--answer-audio", str(FIXTURES / "silence.flac")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 3
    assert "no speech was heard" in result.stderr
    attempt = _only_attempt(home)
    assert json.loads((attempt / "attempt.json").read_text())["status"] == "no_speech"
    assert (attempt / "answer.wav").stat().st_size > 16_000 * 2 * 4


def test_guided_mock_in_a_terminal(terminal_env):
    """Enter at each section boundary of the rambling answer (an 85 s Situation, then 34 s for the rest):
    each section shows in turn, a cue shows when a section runs over (its SDE1 target is 18 s), the
    follow-ups its gaps call for (at most SDE1's two), then the report."""
    truth = _truth("long_situation")
    term = practice(terminal_env, "mi-guided", "--mode", "mock", "--sections", "guided", "--level", "sde1")
    try:
        term.wait_for("Speak your answer", 120)
        player = play(FIXTURES / "long_situation.flac", terminal_env)
        # Enter at each section's start, read off the answer's clock in the live view (whole seconds)
        boundaries = [int(s["start_s"]) for s in truth["sections"][1:]]
        seen: list[str] = []
        cues: set[str] = set()
        while player.poll() is None:
            shown = term.shown_elapsed_s()
            if boundaries and shown is not None and shown >= boundaries[0]:
                boundaries.pop(0)
                term.keys("Enter")
            screen = term.screen()
            for name in ("SITUATION", "TASK", "ACTION", "RESULT", "REFLECTION"):
                if name in screen and (not seen or seen[-1] != name):
                    seen.append(name)
            cues.update(c for c in ("» Move on", "» Wrap up") if c in screen)
            time.sleep(0.2)
        time.sleep(0.5)
        term.keys("Enter")  # finishes the answer
        assert seen == ["SITUATION", "TASK", "ACTION", "RESULT", "REFLECTION"]
        assert "» Move on" in cues
        # a 15 s Action leaves gaps to probe, at most SDE1's two; an immediate Enter skips each reply
        asked = re.search(r"Follow-up 1/(\d+)", term.wait_for("Follow-up 1/", 300))
        assert asked and 1 <= int(asked.group(1)) <= 2, asked
        for number in range(1, int(asked.group(1)) + 1):
            term.wait_for(f"Follow-up {number}/", 120)
            time.sleep(0.5)
            term.keys("Enter")
        final = term.wait_for("Saved in", 300)
        assert "Report" in final and ("Leaning hire" in final or "Leaning no hire" in final)
    finally:
        term.close()
    attempt = _only_attempt(Path(terminal_env["MOCKINTERVIEW_HOME"]))
    info = json.loads((attempt / "attempt.json").read_text())
    assert len(info["marks_s"]) == 5  # the first section's start and four Enter presses
    report = json.loads((attempt / "report.json").read_text())
    assert report["segmentation"] == "marks"
    assert [s["verdict"] != "missing" for s in report["sections"]] == [True] * 5


def test_quit_mid_answer_keeps_the_recording(terminal_env):
    term = practice(terminal_env, "mi-quit", "--mode", "mock")
    try:
        term.wait_for("Speak your answer", 120)
        player = play(FIXTURES / "strong_answer.flac", terminal_env)
        term.wait_for_elapsed(20)  # past "I noticed" (about 10 s in)
        term.keys("q")
        player.terminate()
        term.wait_for("Saved in", 300)
    finally:
        term.close()
    attempt = _only_attempt(Path(terminal_env["MOCKINTERVIEW_HOME"]))
    info = json.loads((attempt / "attempt.json").read_text())
    assert info["status"] == "interrupted"
    import soundfile

    kept_s = soundfile.info(str(attempt / "answer.wav")).duration
    assert kept_s >= 20 and kept_s < _truth("strong_answer")["duration_s"] - 60  # all it heard, and it stopped
    report = json.loads((attempt / "report.json").read_text())  # partial report of what was said
    assert "I noticed" in {p for s in report["sections"] for p in s["phrases_hit"]}
    assert report["partial"] == "during the answer" and info["note"] == "stopped during the answer"


def test_drill_with_one_retry(terminal_env):
    term = practice(terminal_env, "mi-drill", "--mode", "drill")
    situation = FIXTURES / "probe_weak.flac"  # any short speech will do for a take
    try:
        for take in (1, 2):
            term.wait_for(f"take {take}", 120)
            time.sleep(1.0)
            player = play(situation, terminal_env)
            player.wait(timeout=60)
            time.sleep(0.5)
            term.keys("Enter")  # finish the take
            term.wait_for("r: retry this section", 300)
            if take == 1:
                term.keys("r")
        term.keys("q")
        final = term.wait_for("Best take of each section", 120)
    finally:
        term.close()
    attempt = _only_attempt(Path(terminal_env["MOCKINTERVIEW_HOME"]))
    drill = json.loads((attempt / "drill.json").read_text())
    assert [(t["section"], t["take"]) for t in drill["takes"]] == [("situation", 1), ("situation", 2)]
    assert all(t["report"] is not None for t in drill["takes"])
    assert "Time" in final and "situation" in final


def test_ctrl_c_mid_answer_keeps_a_partial_report_and_exits_130(tmp_path):
    import signal

    home = tmp_path / "home"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockinterview", "practice", SEED_ID, "--no-voice", "--data-dir", str(home),
         "--answer-audio", str(FIXTURES / "weak_we_answer.flac")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        answer = None
        while time.monotonic() < deadline:  # the answer plays in real time: wait until 15 s of it are saved
            found = list((home / "attempts").glob("*/answer.wav")) if (home / "attempts").exists() else []
            if found and found[0].stat().st_size > 16_000 * 2 * 15:
                answer = found[0]
                break
            time.sleep(0.2)
        assert answer is not None, "the answer never started recording"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    partial = "Partial report: stopped during the answer with Ctrl-C."
    assert partial in out and "Stopped." in out
    attempt = _only_attempt(home)
    info = json.loads((attempt / "attempt.json").read_text())
    assert info["status"] == "interrupted"
    report = json.loads((attempt / "report.json").read_text())
    assert 10 < report["duration_s"] < 40  # what was said before the Ctrl-C, not the whole answer
    assert report["partial"] == "during the answer with Ctrl-C"

    # every later view of it says it is partial, and the trends leave it out unless asked
    d = ["--data-dir", str(home)]
    text, markdown, html, history, listed, counted, compared = run_many([
        ["report", "latest", "--format", "text", *d], ["report", "latest", "--format", "markdown", *d],
        ["report", "latest", "--format", "html", *d], ["history", *d], ["history", "--format", "json", *d],
        ["history", "--format", "json", "--include-partial", *d], ["compare", "latest", "latest", *d]])
    assert all(r["rc"] == 0 and not r["traceback"] for r in (text, markdown, html, history, listed, counted, compared))
    assert partial in text["stdout"].replace("\n", " ")
    whole_line = f"{partial} It covers only what was said before the stop."
    assert f"> **{whole_line}**" in markdown["stdout"]
    page = Path(html["stdout"].strip()).read_text()
    assert f'<p class="partial" role="alert">{whole_line}</p>' in page
    assert "(partial)" in history["stdout"] and "--include-partial" in history["stdout"]
    assert [a["partial"] for a in json.loads(listed["stdout"])["attempts"]] == [True]
    assert json.loads(listed["stdout"])["trends"][0]["attempt_ids"] == []
    assert json.loads(counted["stdout"])["trends"][0]["attempt_ids"] == [attempt.name]
    assert "(partial)" in compared["stdout"] and "A is a partial report" in compared["stdout"]
