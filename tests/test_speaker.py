"""Speakers: the question is really spoken aloud (said into the virtual sink, heard back through the
microphone and transcribed), text and fallback speakers print exactly what they should."""

from __future__ import annotations

import io
import signal
import subprocess
import sys

import numpy as np
import pytest
from rich.console import Console

from helpers_audio import mi, mi_popen, recall, wait_for_frames, wav_frames
from mockinterview.audio.clip import AudioClip
from mockinterview.audio.speaker import FallbackSpeaker, TextSpeaker
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.testing import ManualClock, RecordingSpeaker

RATE = 16_000


@pytest.fixture(scope="module")
def question():
    return load_bank([BUILTIN_DIR]).get("anticipate-customer-need")


@pytest.fixture(scope="module")
def probe_text(question):
    return next(p.question for p in question.probes if "dead letter queue" in p.question)


@pytest.fixture(scope="module")
def asr():
    from mockinterview.asr import Transcriber

    return Transcriber.load()


def console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=60, highlight=False), buffer


# --- in-memory speakers -----------------------------------------------------------------------


def test_text_speaker_prints_the_text_unwrapped_and_unstyled():
    out, buffer = console()
    speaker = TextSpeaker(out)
    speaker.speak("Why did you add a [bold]dead letter queue[/] alert, and how did it improve the system?")
    speaker.play(AudioClip(np.zeros(160, np.float32)))
    speaker.stop()
    assert buffer.getvalue() == "Why did you add a [bold]dead letter queue[/] alert, and how did it improve the system?\n"


def test_fallback_without_a_device_prints_the_text_and_notes_once():
    out, buffer = console()
    speaker = FallbackSpeaker(None, out, reason="no audio output device found")
    for text in ("First question?", "Second question?", "Third question?"):
        speaker.speak(text)
    speaker.play(AudioClip(np.zeros(160, np.float32)))
    assert speaker.failed
    assert buffer.getvalue() == (
        "note: could not speak (no audio output device found); showing the text instead\n"
        "First question?\nSecond question?\nThird question?\n"
    )


def test_fallback_switches_to_text_when_the_speaker_breaks():
    from mockinterview.errors import DeviceError

    class BreaksOnSecond(RecordingSpeaker):
        def speak(self, text: str) -> None:
            if self.spoken:
                raise DeviceError('output device 3 "USB headset" cannot play (device unavailable)')
            super().speak(text)

    primary = BreaksOnSecond()
    out, buffer = console()
    notes, note_buffer = console()
    speaker = FallbackSpeaker(primary, out, note_console=notes)
    speaker.speak("One.")
    speaker.speak("Two.")
    speaker.speak("Three.")
    assert primary.spoken == ["One."]
    assert buffer.getvalue() == "Two.\nThree.\n"
    assert note_buffer.getvalue().count("note:") == 1 and '"USB headset" cannot play' in note_buffer.getvalue()


def test_recording_speaker_keeps_what_was_said_and_moves_the_clock():
    clock = ManualClock()
    speaker = RecordingSpeaker(clock, rate_wpm=120)
    speaker.speak("one two three four")  # 4 words at 120 wpm: 2 s
    speaker.play(AudioClip(np.zeros(8000, np.float32)))
    speaker.stop()
    assert speaker.spoken == ["one two three four"] and len(speaker.played) == 1 and speaker.stops == 1
    assert clock.now_s() == pytest.approx(2.5)


# --- speaking for real ------------------------------------------------------------------------


@pytest.mark.audio
@pytest.mark.slow
def test_say_is_heard_by_the_microphone(pulse_server, tmp_path, asr, question, probe_text):
    out = tmp_path / "heard.wav"
    # the limit only guards against a hang: synthesis on a busy machine can take a while
    recorder = mi_popen("record", str(out), "--stop-on-silence", "2.5", "--max-s", "120", env=pulse_server)
    wait_for_frames(out, 1600, recorder)
    said = mi("say", probe_text, "--rate", "150", env=pulse_server)
    stdout, stderr = recorder.communicate(timeout=150)
    # (ALSA may log an underrun on stderr when the machine is busy; that is not ours)
    assert said.returncode == 0 and said.stdout == "" and "could not speak" not in said.stderr, said.stderr
    assert recorder.returncode == 0 and "(ended by silence)" in stdout, stdout + stderr
    heard = asr.transcribe(out, terms=question.terms).text
    assert recall(probe_text, heard) >= 0.6, heard


@pytest.mark.slow
def test_say_out_writes_a_wav_of_the_sentence(tmp_path, asr, question, probe_text):
    out = tmp_path / "probe.wav"
    result = mi("say", probe_text, "--out", str(out), "--rate", "150", env=dict(__import__("os").environ))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote ") and result.stdout.strip().endswith(f" s to {out}")
    assert wav_frames(out) > RATE
    assert recall(probe_text, asr.transcribe(out, terms=question.terms).text) >= 0.6


def test_say_without_an_audio_server_prints_the_text_and_one_note(no_audio_env, probe_text):
    result = mi("say", probe_text, env=no_audio_env)
    assert result.returncode == 1
    assert result.stdout == probe_text + "\n"
    assert result.stderr.startswith("note: could not speak (no audio output device found;")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.audio
@pytest.mark.slow
def test_stop_cuts_playback_short(pulse_server):
    """A 10 s tone, stop() half a second in: the sink, recorded through its monitor, gets a fraction
    of the tone, not all of it."""
    import numpy as np

    script = (
        "import threading, numpy as np\n"
        "from mockinterview.audio.clip import AudioClip\n"
        "from mockinterview.audio.speaker import SoundDeviceSpeaker\n"
        "speaker = SoundDeviceSpeaker()\n"
        "tone = AudioClip((0.2 * np.sin(np.arange(160000) / 4)).astype(np.float32))\n"
        "threading.Timer(0.5, speaker.stop).start()\n"
        "speaker.play(tone); print(speaker.device.name)\n"
    )
    monitor = subprocess.Popen(["parec", "--device=virtmic.monitor", "--format=s16le", "--rate=16000",
                                "--channels=1", "--raw", "--latency-msec=50"],
                               env=pulse_server, stdout=subprocess.PIPE)
    try:
        recorded = monitor.stdout.read(3200)  # the monitor is being recorded before the tone starts
        result = subprocess.run([sys.executable, "-c", script], env=pulse_server, capture_output=True, text=True, timeout=60)
        # parec ends on SIGINT with what it has; the played audio is already in the sink's monitor
        subprocess.run(["paplay", "--device=virtmic", "--raw", "--format=s16le", "--rate=16000", "--channels=1"],
                       input=bytes(16000), env=pulse_server, timeout=30)
    finally:
        monitor.send_signal(signal.SIGINT)
        recorded += monitor.communicate(timeout=30)[0]
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["default"]
    samples = np.frombuffer(recorded, dtype=np.int16).astype(np.float32) / 32768
    frames = samples[: samples.size // 160 * 160].reshape(-1, 160)
    tone_heard_s = float((np.sqrt((frames ** 2).mean(axis=1)) > 0.05).sum()) / 100
    assert 0.1 < tone_heard_s < 5.0
