"""A private PulseAudio server whose null sink `virtmic` is both the speaker and, through its
monitor, the microphone: what is played into it is what `mockinterview record` hears.

sounddevice reads the device list at import, so device code runs in subprocesses started with
the env this fixture yields (`run_with_audio`), never in the test process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SINK = "virtmic"


def _pulse_pid(runtime_dir: Path) -> int | None:
    try:
        return int((runtime_dir / "pulse" / "pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    """True while the process runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.fixture(scope="session")
def pulse_server():
    """Env vars (a full copy of os.environ plus XDG_RUNTIME_DIR/PULSE_SERVER) for subprocesses."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        pytest.skip("pulseaudio/pactl not installed (apt-get install pulseaudio pulseaudio-utils)")
    runtime_dir = Path(tempfile.mkdtemp(prefix="mockinterview-pulse-"))
    runtime_dir.chmod(0o700)
    env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER", "PULSE_SINK", "PULSE_SOURCE")}
    env["XDG_RUNTIME_DIR"] = str(runtime_dir)
    socket = runtime_dir / "pulse" / "native"
    started = subprocess.run(
        [
            "pulseaudio", "-D", "--exit-idle-time=-1", "-n",
            f"--load=module-null-sink sink_name={SINK}",
            "--load=module-native-protocol-unix",
        ],
        env=env, capture_output=True, text=True, timeout=30,
    )
    if started.returncode != 0:
        shutil.rmtree(runtime_dir, ignore_errors=True)
        pytest.skip(f"pulseaudio cannot start: {(started.stderr or started.stdout).strip().splitlines()[-1:]}")
    pid = _pulse_pid(runtime_dir)
    try:
        env["PULSE_SERVER"] = f"unix:{socket}"  # never fall back to another server or autospawn
        subprocess.run(["pactl", "set-default-source", f"{SINK}.monitor"], env=env, check=True, capture_output=True, timeout=30)
        subprocess.run(["pactl", "set-default-sink", SINK], env=env, check=True, capture_output=True, timeout=30)
        yield env
    finally:
        subprocess.run(["pulseaudio", "-k"], env=env, capture_output=True, timeout=30)
        if pid is not None:
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _alive(pid):
                os.kill(pid, 9)  # our own server only: the pid from its own runtime dir
        shutil.rmtree(runtime_dir, ignore_errors=True)


@pytest.fixture
def no_audio_env(tmp_path):
    """Env with no reachable audio server: PortAudio then sees no devices at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", "PULSE_SERVER")}
    env["PULSE_SERVER"] = f"unix:{tmp_path}/no-such-pulse-socket"
    return env
