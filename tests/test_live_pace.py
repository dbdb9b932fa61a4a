"""The live pace cues fire on real speech: a fast and a slow espeak-ng take (a voice and rates the
fixtures never use) replayed as if live through the streaming transcriber (feed a block, let the worker
settle: the same words every run), the live view's cue read once a second as the practice flow reads it
(interview/mock.py: pacing.recent_wpm of the settled words so far, peeks left out). The normal-pace fixture gets neither cue."""

from __future__ import annotations

import subprocess

import pytest

from mockinterview.analysis import pacing
from mockinterview.asr import Transcriber, load_model
from mockinterview.audio.clip import SAMPLE_RATE_HZ
from mockinterview.audio.file import read_audio
from mockinterview.interview.display import LiveState, choose_cue

pytestmark = pytest.mark.slow

SCRIPT = ("I pulled two weeks of delivery logs and grouped the failures by merchant and by endpoint. "
          "Then I traced the root cause to a race condition in the retry logic of the other team. "
          "I reproduced the failure locally with an artificial delay on a test endpoint. "
          "Next I wrote a small fix that locks the delivery record before a retry is scheduled. "
          "Finally I added an alert on the dead letter queue and submitted a pull request.")
BLOCK = SAMPLE_RATE_HZ // 10  # the recorder's 0.1 s blocks


def _take(tmp_path, rate_wpm: int, word_gap_10ms: int = 0):
    """espeak-ng reads the script twice (a take long enough for the live pace to settle)."""
    path = tmp_path / f"take-{rate_wpm}.wav"
    subprocess.run(["espeak-ng", "-v", "en-gb-x-rp", "-s", str(rate_wpm), "-g", str(word_gap_10ms), "-w", str(path),
                    SCRIPT + " " + SCRIPT], check=True)
    return read_audio(path).samples


def _cues(samples) -> list[str]:
    """The cue the live view shows each second of the replay."""
    session = Transcriber(load_model(None, seed=0)).stream(max_backlog_s=float("inf"))
    cues = []
    for i in range(0, samples.size, BLOCK):
        session.feed(samples[i : i + BLOCK])
        if (i // BLOCK) % 10 == 9:
            session.settle()
            wpm = pacing.recent_wpm(session.words_so_far(peek=False))
            cue = choose_cue(LiveState(total_elapsed_s=i / SAMPLE_RATE_HZ, total_target_s=600, recent_wpm=wpm))
            cues.append(cue or "")
    session.finish()
    return cues


def test_a_fast_take_is_told_to_slow_down_and_a_slow_one_to_speed_up(tmp_path):
    fast, slow = _cues(_take(tmp_path, 210)), _cues(_take(tmp_path, 80, word_gap_10ms=4))
    assert "Slow down" in fast and "Speed up" not in fast, fast
    assert "Speed up" in slow and "Slow down" not in slow, slow


def test_a_normal_pace_gets_no_pace_cue():
    from pathlib import Path

    clip = read_audio(Path(__file__).resolve().parents[1] / "audio_fixtures" / "weak_we_answer.flac")
    cues = _cues(clip.samples)
    assert not {"Slow down", "Speed up"} & set(cues), cues
