"""The practice flow's pure parts: the live view and its cue, the question picker, study mode's quiz."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from mockinterview.attempts import AttemptDir, AttemptInfo, list_attempts
from mockinterview.bank import load_file
from mockinterview.interview.display import LiveState, choose_cue, render
from mockinterview.interview.picker import pick_question
from mockinterview.interview.study import run_study
from mockinterview.testing import ManualClock, ScriptedKeys

ROOT = Path(__file__).resolve().parents[1]
SEED = load_file(ROOT / "prompts" / "amazon" / "anticipate-customer-need.toml")


def _text(renderable, width=60) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def test_live_view_shows_one_bar_and_no_cue_on_target():
    state = LiveState(total_elapsed_s=42, total_target_s=175, section="task", section_elapsed_s=10,
                      section_target_s=20, level_dbfs=-20, peak_dbfs_recent=-18)
    assert _text(render(state)) == (
        "TASK       ███████████████░░░░░░░░░░░░░░░  10 / 20 s\n"
        "Total 0:42 / 2:55   Mic ▮▮▮▮▮▮▮▯▯▯\n"
        "\n"
    )


def test_cue_words_one_at_a_time():
    base = dict(total_elapsed_s=40, total_target_s=175, section="situation", section_target_s=30, peak_dbfs_recent=-15)
    assert choose_cue(LiveState(**base, section_elapsed_s=20)) is None
    assert choose_cue(LiveState(**base, section_elapsed_s=40)) == "Move on"
    assert choose_cue(LiveState(**{**base, "section": "result"}, section_elapsed_s=40)) == "Wrap up"
    assert choose_cue(LiveState(**{**base, "total_elapsed_s": 200}, section_elapsed_s=5)) == "Wrap up"
    assert choose_cue(LiveState(**base, section_elapsed_s=5, recent_wpm=210)) == "Slow down"
    quiet = {**base, "peak_dbfs_recent": -45}
    assert choose_cue(LiveState(**quiet, section_elapsed_s=40)) == "Louder"  # most urgent first
    assert choose_cue(LiveState(**base, section_elapsed_s=40, paused=True)) is None
    assert "» Move on" in _text(render(LiveState(**base, section_elapsed_s=40)))


def test_no_live_shows_elapsed_only():
    assert _text(render(LiveState(total_elapsed_s=65, total_target_s=175, minimal=True))) == "Elapsed 1:05\n"


def _info(question_id: str, started_at: str) -> AttemptInfo:
    return AttemptInfo(id=f"x-{question_id}", question_id=question_id, mode="mock", started_at=started_at)


def test_picker_prefers_least_practised_principle_then_oldest():
    from dataclasses import replace

    a = replace(SEED, id="a", principles=("ownership",))
    b = replace(SEED, id="b", principles=("ownership",))
    c = replace(SEED, id="c", principles=("dive-deep",))
    assert pick_question([a, b, c], []).id == "a"
    history = [_info("a", "2026-01-02"), _info("b", "2026-01-01")]
    assert pick_question([a, b, c], history).id == "c"  # dive-deep never practised
    history.append(_info("c", "2026-01-03"))
    history.append(_info("c", "2026-01-04"))
    assert pick_question([a, b, c], history).id == "b"  # ownership: 2 attempts vs 2, b is older
    history.append(_info("b", "2026-01-05"))
    assert pick_question([a, b, c], history).id == "c"


def test_study_quiz_scores_key_presses():
    clock = ManualClock()
    # Enter through the scenario and the five sections, then answer b (right), a (wrong), c (right).
    keys = ScriptedKeys([(0.1 * i, "enter") for i in range(1, 7)] + [(1.0, "b"), (1.1, "a"), (1.2, "c")], clock.now_s)
    console = Console(file=io.StringIO(), width=100, color_system=None)
    spoken: list[str] = []
    result = run_study(SEED, console=console, speak=spoken.append, keys=keys, sleep=clock.sleep)
    assert result.finished
    assert [a.chosen for a in result.answers] == [1, 0, 2]
    assert result.score == 2
    out = console.file.getvalue()
    assert "Quiz score: 2/3" in out
    assert "Not quite: you chose a; the answer is b)" in out
    assert spoken[0] == SEED.scenario_overview  # the scenario is read aloud first
    assert any("Target 90 seconds" in s for s in spoken)


def test_study_quits_on_q():
    clock = ManualClock()
    keys = ScriptedKeys([(0.1, "enter"), (0.2, "quit")], clock.now_s)
    console = Console(file=io.StringIO(), width=100, color_system=None)
    result = run_study(SEED, console=console, speak=lambda s: None, keys=keys, sleep=clock.sleep)
    assert not result.finished and result.answers == ()


def test_attempt_folder_round_trip(tmp_path):
    info = AttemptInfo(id="20260101-000000-q", question_id="q", mode="mock", started_at="2026-01-01T00:00:00+00:00")
    first = AttemptDir.create(tmp_path, info)
    second = AttemptDir.create(tmp_path, info)  # same second: gets its own folder
    assert first.path != second.path
    first.update(status="scored", marks_s=(0.0, 12.5), turns=("answer.wav",))
    reopened = AttemptDir.open(first.path)
    assert reopened.info == first.info
    assert [a.info.id for a in list_attempts(tmp_path)] == [first.info.id, second.info.id]
    assert not list(first.path.glob("*.tmp"))


def test_a_turn_finds_the_speech_onsets_while_recording_as_the_saved_file_gives_them(tmp_path):
    """The report after the answer needs the onsets; found from the blocks as they are recorded, the flow
    reads nothing after the end, and they are those of the saved file."""
    from mockinterview.analysis.pacing import speech_onsets
    from mockinterview.audio.file import read_audio
    from mockinterview.audio.microphone import ClipSource
    from mockinterview.interview.turn import TurnPlan, record_turn

    answer = read_audio(ROOT / "audio_fixtures" / "skip_reflection.flac")
    clock = ManualClock()
    out = tmp_path / "answer.wav"
    turn = record_turn(ClipSource(answer, clock=clock), out, TurnPlan(live=False), clock=clock,
                       keys=ScriptedKeys([], clock.now_s), console=Console(file=io.StringIO()))
    saved = read_audio(out)
    assert turn.recording.duration_s == saved.duration_s == answer.duration_s
    assert abs(turn.pitch.duration_s - saved.duration_s) < 0.05
    assert len(turn.onsets_s) > 3 and turn.onsets_s == speech_onsets(saved.samples, saved.sample_rate_hz)
