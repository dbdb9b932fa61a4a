"""Running device code in subprocesses against the private PulseAudio server, and comparing words."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"


def mi(*args: str, env: dict[str, str], input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m mockinterview ARGS` with exactly `env` (not merged: tests remove variables)."""
    return subprocess.run(
        [sys.executable, "-m", "mockinterview", *args],
        cwd=ROOT, env=env, input=input, capture_output=True, text=True, timeout=timeout,
    )


def mi_popen(*args: str, env: dict[str, str], stdin: int | None = subprocess.DEVNULL,
             sigint_ignored: bool = False) -> subprocess.Popen:
    """`mockinterview ARGS` running; `sigint_ignored` starts it as a shell without job control starts a
    background job (SIGINT ignored), which a Ctrl-C test must not depend on."""
    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    return subprocess.Popen(
        [sys.executable, "-m", "mockinterview", *args],
        cwd=ROOT, env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=ignore_sigint if sigint_ignored else None,
    )


def play_into_sink(path: Path, env: dict[str, str]) -> subprocess.Popen:
    """What the virtual microphone hears: `path` played into the null sink."""
    # a generous buffer, so a busy machine does not put gaps into what the microphone hears
    return subprocess.Popen(["paplay", "--device=virtmic", "--latency-msec=500", str(path)], env=env)


def wav_frames(path: Path) -> int:
    """Frames the header claims; 0 while the file has no complete header yet."""
    try:
        with wave.open(str(path), "rb") as f:
            return f.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


def wait_for_frames(path: Path, frames: int, proc: subprocess.Popen, limit_s: float = 60) -> int:
    """Poll a recording until it holds `frames`; fails if the recorder exits or never gets there."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        have = wav_frames(path)
        if have >= frames:
            return have
        if proc.poll() is not None:
            raise AssertionError(f"recorder exited early ({proc.returncode}): {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.05)
    raise AssertionError(f"{path} never reached {frames} frames")


def fixture_part(name: str, until_s: float, out: Path, from_s: float = 0.0) -> tuple[Path, str]:
    """The fixture's sentences that lie between `from_s` and `until_s`, cut out, and the text said in them."""
    truth = json.loads((FIXTURES / f"{name}.truth.json").read_text())
    said = [s for s in truth["sentences"] if s["start_s"] >= from_s and s["end_s"] <= until_s]
    assert said, f"{name} has no sentence between {from_s} and {until_s} s"
    start_s = max(0.0, said[0]["start_s"] - 0.3)
    length_s = said[-1]["end_s"] + 0.3 - start_s
    subprocess.run(["sox", str(FIXTURES / f"{name}.flac"), str(out), "trim", f"{start_s:.3f}", f"{length_s:.3f}"], check=True)
    return out, " ".join(s["text"] for s in said)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))


def content_words(text: str) -> set[str]:
    """The words worth checking: longer than three letters (tiny.en mangles short ones)."""
    return {w for w in words(text) if len(w) > 3}


def recall(expected: str, heard: str) -> float:
    """Share of the expected content words found in what was heard."""
    want = content_words(expected)
    return len(want & set(words(heard))) / len(want)
