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


# The longest files first in the collection, so xdist offers them to a worker early and the short ones fill
# in at the end; xdist's file scheduler decides the final order. The real-time files (marked `realtime` in
# the files themselves) are not here: `make test` runs them alone after the rest, since beside the other
# worker's model work a live practice's transcription fell over 10 s behind the speech (no cue shown).
LONGEST_FIRST = ("test_kernels.py", "test_live_pace.py", "test_recorder.py", "test_streaming.py",
                 "test_neural_voice.py", "test_bank_builtin.py")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    # stable: the order inside each file is kept. Each file runs on one worker (the Makefile's --dist
    # loadfile), so a module's fixtures (a streamed answer, a kernel's transcripts) are made once. The
    # xdist_group marks used before did nothing under pytest 9: xdist renames `item._nodeid`, which
    # pytest 9 no longer reads, so every test was sent on its own and both workers made the same fixtures.
    items.sort(key=rank)
