"""A practice that cannot start (a bad answer file, no microphone) says why, exits 1 and leaves no attempt."""

from __future__ import annotations

from conftest import run_cli


def _attempts(home):
    folder = home / "attempts"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_answer_file_that_is_not_audio_is_refused_before_anything_starts(data_dir, tmp_path):
    text = tmp_path / "text.wav"
    text.write_text("this is not audio\n")
    result = run_cli("practice", "anticipate-customer-need", "--no-voice", "--mode", "mock", "--answer-audio", str(text))
    assert result.returncode == 1, result.stderr
    assert f"{text}: not an audio file" in result.stderr
    assert "Traceback" not in result.stderr and "terminate called" not in result.stderr
    assert _attempts(data_dir) == []


def test_no_microphone_leaves_no_attempt(data_dir):
    # No audio server in this environment (the private PulseAudio of other tests is not set here).
    env = {"PULSE_SERVER": "unix:/nonexistent/pulse", "XDG_RUNTIME_DIR": "/nonexistent"}
    result = run_cli("practice", "anticipate-customer-need", "--no-voice", "--mode", "mock", "--input-device", "bogus", env=env)
    assert result.returncode == 1, result.stderr
    assert "mockinterview practice:" in result.stderr and "device" in result.stderr
    assert "Traceback" not in result.stderr and "terminate called" not in result.stderr
    assert _attempts(data_dir) == []
