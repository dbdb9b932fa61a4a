"""Shared fixtures: the Whisper model (loaded once) and a private PulseAudio server."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"
PROMPTS = ROOT / "prompts"

# Fixture modules written per capability; pulled in here so every test file sees them.
for _name in ("conftest_asr", "conftest_pulse"):
    if importlib.util.find_spec(_name) is not None:
        _module = importlib.import_module(_name)
        globals().update({k: v for k, v in vars(_module).items() if not k.startswith("_")})


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 300):
    """Runs `python -m mockinterview ARGS` as a user would; returns the CompletedProcess."""
    import subprocess

    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mockinterview", *args],
        cwd=ROOT,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("MOCKINTERVIEW_HOME", str(home))
    return home


# The longest files first in the collection, so the real-time ones (a person at a terminal, the virtual
# microphone) are offered to a worker early; xdist's file scheduler decides the final order.
LONGEST_FIRST = ("test_practice_e2e.py", "test_live_cues_e2e.py", "test_kernels.py", "test_live_pace.py", "test_recorder.py", "test_streaming.py",
                 "test_neural_voice.py", "test_bank_builtin.py")


# Files whose tests play audio in real time into a live `practice`: marked `realtime`, and `make test` runs them
# alone after the rest. Two live practices on 2 cores starve each other's streaming transcription (seen: no
# live label for a whole 2-minute take), and one beside the other worker's model work fell more than 10 s
# behind, so the live view rightly showed no cue at all (seen: no "Slow down" for a 260 wpm take).
REAL_TIME = ("test_practice_e2e.py", "test_live_cues_e2e.py")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order inside each file is kept
    for item in items:  # each file on one worker (--dist loadgroup)
        name = item.path.name
        if config.pluginmanager.hasplugin("xdist"):
            item.add_marker(pytest.mark.xdist_group(name))
        if name in REAL_TIME:
            item.add_marker(pytest.mark.realtime)
