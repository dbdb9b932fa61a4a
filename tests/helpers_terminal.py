"""A person at a terminal for the end-to-end tests: a tmux pane running `mockinterview practice`, and a
player talking into the virtual microphone of the private PulseAudio server (conftest_pulse.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"
SEED_ID = "anticipate-customer-need"


class Tmux:
    """A terminal a test can type into and read, running one command."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], cwd: Path):
        self.name = name
        # a tmux server of this test's own: runs from other checkouts or workers never share a session
        self.tmux = ["tmux", "-L", f"mockinterview-{name}-{os.getpid()}"]
        env_args = [f"{k}={v}" for k, v in env.items() if k in ("XDG_RUNTIME_DIR", "PULSE_SERVER", "MOCKINTERVIEW_HOME", "PATH", "HOME")]
        subprocess.run([*self.tmux, "kill-session", "-t", name], capture_output=True)
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", name, "-x", "100", "-y", "50", "-c", str(cwd), "env", *env_args, *command],
            check=True,
        )
        subprocess.run([*self.tmux, "set-option", "-t", name, "remain-on-exit", "on"], check=True)
        subprocess.run([*self.tmux, "set-option", "-t", name, "history-limit", "5000"], check=True)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def scrollback(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-S", "-5000", "-t", self.name], capture_output=True, text=True).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, text: str, timeout_s: float = 120) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            screen = self.scrollback()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen:\n{self.scrollback()}")

    def shown_elapsed_s(self) -> int | None:
        """The answer's time as the live view shows it ("Total 1:05 / 2:55"), or None before it shows."""
        found = re.findall(r"Total (\d+):(\d\d) /", self.screen())
        return int(found[-1][0]) * 60 + int(found[-1][1]) if found else None

    def wait_for_elapsed(self, seconds: float, timeout_s: float = 300) -> str:
        """Waits until the product's own clock, on screen, has reached `seconds`; returns the screen."""
        deadline = time.monotonic() + timeout_s  # only a guard against a hang
        while time.monotonic() < deadline:
            screen = self.screen()
            shown = self.shown_elapsed_s()
            if shown is not None and shown >= seconds:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"the live view never reached {seconds} s; screen:\n{self.scrollback()}")

    def dead(self) -> bool:
        out = subprocess.run([*self.tmux, "display-message", "-p", "-t", self.name, "#{pane_dead}"], capture_output=True, text=True).stdout
        return out.strip() == "1"

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def terminal_env(pulse_server, tmp_path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux not installed")
    env = dict(pulse_server)
    env["MOCKINTERVIEW_HOME"] = str(tmp_path / "home")
    return env


def practice(env, name, *args) -> Tmux:
    return Tmux(name, [sys.executable, "-m", "mockinterview", "practice", SEED_ID, "--no-voice", *args], env, ROOT)


def play(path: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(["paplay", "--device=virtmic", str(path)], env=env)
