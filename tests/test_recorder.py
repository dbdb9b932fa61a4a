"""Recording: the crash-safe WAV writer, the stop rules (Enter, silence, max, Ctrl-C) on real speech
through FileSource/ClipSource and a ManualClock, and `mockinterview record` on the virtual microphone."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import wave

import numpy as np
import pytest
import soundfile

from helpers_audio import FIXTURES, fixture_part, mi, mi_popen, play_into_sink, recall, wait_for_frames, wav_frames
from mockinterview.audio.clip import AudioClip
from mockinterview.testing import ManualClock
from mockinterview.audio.file import read_audio
from mockinterview.audio.microphone import SILENCE_DBFS, ClipSource, FileSource, level_dbfs
from mockinterview.audio.recorder import Recorder, SpeechDetector
from mockinterview.audio.wavwriter import WavWriter
from mockinterview.errors import DeviceError

RATE = 16_000


def truth(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.truth.json").read_text())


@pytest.fixture(scope="module")
def probe():
    """probe_strong's audio and the end of its speech (from its truth file)."""
    return read_audio(FIXTURES / "probe_strong.flac"), truth("probe_strong")["sentences"][-1]["end_s"]


@pytest.fixture(scope="module")
def room():
    """Five seconds of quiet room noise (about -60 dBFS)."""
    return read_audio(FIXTURES / "silence.flac").samples


@pytest.fixture(scope="module")
def asr():
    from mockinterview.asr import Transcriber

    return Transcriber.load()  # the model is loaded once per process and shared


def clip_of(*parts: np.ndarray) -> AudioClip:
    return AudioClip(np.concatenate(parts).astype(np.float32))


# --- the WAV writer ---------------------------------------------------------------------------


def test_wav_is_valid_after_every_block_before_close(tmp_path, probe):
    clip, _ = probe
    path = tmp_path / "a.wav"
    writer = WavWriter(path)
    assert wav_frames(path) == 0 and path.stat().st_size == 44  # a valid empty WAV from the start
    for n in (1600, 3200, 800):
        before = writer.frames_written
        writer.write(clip.samples[before : before + n])
        data, rate = soundfile.read(path, dtype="float32")  # read while still open, as after a crash
        assert rate == RATE and len(data) == wav_frames(path) == before + n
        assert np.max(np.abs(data - clip.samples[: before + n])) < 1e-4  # 16-bit rounding only
    writer.close()
    writer.close()  # twice is harmless


def test_wav_writer_clips_instead_of_wrapping(tmp_path):
    with WavWriter(tmp_path / "loud.wav") as writer:
        writer.write(np.array([2.0, -2.0, 0.5], np.float32))
    data, _ = soundfile.read(tmp_path / "loud.wav", dtype="float32")
    assert data[0] == pytest.approx(1.0, abs=1e-4) and data[1] == pytest.approx(-1.0, abs=1e-4)


def test_sigkill_while_writing_leaves_a_valid_wav(tmp_path):
    path = tmp_path / "killed.wav"
    script = (
        "import sys, numpy as np\n"
        "from mockinterview.audio.wavwriter import WavWriter\n"
        "w = WavWriter(sys.argv[1])\n"
        "block = (0.3 * np.sin(np.arange(1600) / 5)).astype(np.float32)\n"
        "while True: w.write(block)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], stderr=subprocess.PIPE, text=True)
    try:
        seen = wait_for_frames(path, RATE * 2, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with wave.open(str(path), "rb") as f:
        frames = f.getnframes()
        assert frames >= seen and frames % 1600 == 0
        assert len(f.readframes(frames)) == 2 * frames
    data, _ = soundfile.read(path)
    assert len(data) == frames
    # the header never claims more than is there; killed between data and header, one block is extra
    assert 44 + 2 * frames <= path.stat().st_size <= 44 + 2 * (frames + 1600)


# --- levels and speech detection --------------------------------------------------------------


def test_level_dbfs():
    sine = np.sin(np.linspace(0, 200 * np.pi, 16_000)).astype(np.float32)
    assert level_dbfs(sine) == pytest.approx(-3.01, abs=0.05)
    assert level_dbfs(0.1 * sine) == pytest.approx(-23.01, abs=0.05)
    assert level_dbfs(np.zeros(100, np.float32)) == SILENCE_DBFS
    assert level_dbfs(np.zeros(0, np.float32)) == SILENCE_DBFS


def test_speech_detector_starts_on_speech_not_on_a_click(room, probe):
    detector = SpeechDetector(RATE)
    for i in range(0, 16_000, 1600):
        detector.feed(room[i : i + 1600])
    assert detector.noise_floor_dbfs == pytest.approx(level_dbfs(room), abs=3)
    click = room[:1600].copy()
    click[:400] = 0.8
    detector.feed(click)
    assert not detector.speech_started and detector.silence_s == 0
    clip, _ = probe
    for i in range(0, 3 * RATE, 1600):
        detector.feed(clip.samples[i : i + 1600])
    assert detector.speech_started


# --- the recorder's stop rules on real speech -------------------------------------------------


def test_stops_after_silence_once_speech_ended(tmp_path, probe, room):
    clip, speech_end_s = probe
    mic = ClipSource(clip_of(clip.samples, room), realtime=True, clock=ManualClock())
    recording = Recorder(mic, tmp_path / "a.wav", mic._clock, stop_on_silence_s=1.5).run()
    assert recording.ended_by == "silence" and recording.heard_speech
    # the half-second pause between the two sentences did not end it; 1.5 s after the last word did
    # (the truth's end includes the word's faint tail, which may already count as quiet)
    assert speech_end_s + 1.5 - 0.3 <= recording.duration_s <= speech_end_s + 1.5 + 0.2
    assert wav_frames(recording.path) == round(recording.duration_s * RATE)
    assert mic._clock.now_s() == pytest.approx(recording.duration_s, abs=0.11)  # paced in real time


def test_quiet_before_the_first_word_never_ends_the_answer(tmp_path, probe, room):
    clip, speech_end_s = probe
    mic = ClipSource(clip_of(room, clip.samples, room))
    recording = Recorder(mic, tmp_path / "a.wav", stop_on_silence_s=1.0).run()
    assert recording.ended_by == "silence"
    assert recording.duration_s >= len(room) / RATE + speech_end_s + 1.0


def test_a_muted_input_gives_up_when_no_word_came(tmp_path, room, probe):
    quiet = clip_of(room, room, room)  # 15 s of room noise, never a word
    recording = Recorder(ClipSource(quiet), tmp_path / "a.wav", stop_on_silence_s=1.0, no_speech_stop_s=4.0).run()
    assert recording.ended_by == "silence" and not recording.heard_speech
    assert recording.duration_s == pytest.approx(4.0, abs=0.11)
    # a word before the limit: the usual pause after speech ends it, not the limit
    clip, speech_end_s = probe
    spoken = Recorder(ClipSource(clip_of(clip.samples, room)), tmp_path / "b.wav", stop_on_silence_s=1.0,
                      no_speech_stop_s=2.0).run()
    assert spoken.heard_speech and spoken.duration_s > speech_end_s


def test_max_duration_cuts_exactly(tmp_path, probe):
    clip, _ = probe
    recording = Recorder(FileSource(FIXTURES / "probe_strong.flac", realtime=False), tmp_path / "a.wav", max_s=2.55).run()
    assert recording.ended_by == "max" and recording.duration_s == pytest.approx(2.55)
    data, _ = soundfile.read(recording.path, dtype="float32")
    assert np.max(np.abs(data - clip.samples[: len(data)])) < 1e-4


def test_a_source_that_ends_ends_the_recording(tmp_path, room):
    recording = Recorder(ClipSource(AudioClip(room)), tmp_path / "a.wav", stop_on_silence_s=1.0).run()
    assert recording.ended_by == "end" and not recording.heard_speech
    assert recording.duration_s == pytest.approx(len(room) / RATE)


def test_stop_from_another_thread_is_enter(tmp_path, probe):
    clip, _ = probe
    recorder = Recorder(ClipSource(clip, realtime=True, clock=ManualClock()), tmp_path / "a.wav")

    def stop_at_2s(r: Recorder) -> None:
        if r.elapsed_s >= 2.0:
            threading.Thread(target=r.stop).start()

    recording = recorder.run(on_block=stop_at_2s)
    assert recording.ended_by == "enter" and 2.0 <= recording.duration_s <= 2.5


def test_ctrl_c_keeps_the_file(tmp_path, probe):
    clip, _ = probe

    def interrupt_at_1s(r: Recorder) -> None:
        if r.elapsed_s >= 1.0:
            raise KeyboardInterrupt

    mic = ClipSource(clip)
    recording = Recorder(mic, tmp_path / "a.wav").run(on_block=interrupt_at_1s)
    assert recording.ended_by == "interrupt" and recording.duration_s == pytest.approx(1.0)
    assert wav_frames(recording.path) == RATE
    with pytest.raises(RuntimeError):
        mic.read()  # the recorder stopped the microphone


def test_a_microphone_that_delivers_nothing_is_a_device_error(tmp_path):
    class Stalled(ClipSource):
        def read(self, timeout_s=0.1):
            self._clock.sleep(timeout_s)
            return np.zeros(0, np.float32)

    clock = ManualClock()
    with pytest.raises(DeviceError, match="delivered no audio for 5 s"):
        Recorder(Stalled(AudioClip(np.zeros(10, np.float32)), clock=clock, name="dead mic"), tmp_path / "a.wav", clock).run()
    assert wav_frames(tmp_path / "a.wav") == 0


def test_file_source_paused_resumes_in_step():
    clock = ManualClock()
    source = FileSource(FIXTURES / "silence.flac", clock=clock)
    with source:
        first = source.read(timeout_s=1.0)
    clock.advance(30)  # time passes while the microphone is paused (the question is being spoken)
    with source:
        assert source.read(timeout_s=0.01).size == 0  # the next block is not due yet
        second = source.read(timeout_s=1.0)
    assert first.size == second.size == 1600
    assert clock.now_s() == pytest.approx(30.2)


# --- `mockinterview record` on the virtual microphone -----------------------------------------


@pytest.mark.audio
@pytest.mark.slow
def test_record_captures_what_is_played_into_the_microphone(pulse_server, tmp_path, asr):
    played, said = fixture_part("probe_strong", 10.0, tmp_path / "played.wav")
    out = tmp_path / "answer.wav"
    recorder = mi_popen("record", str(out), "--stop-on-silence", "2.5", "--max-s", "30", env=pulse_server)
    wait_for_frames(out, 1600, recorder)  # recording has started
    player = play_into_sink(played, pulse_server)
    stdout, stderr = recorder.communicate(timeout=60)
    player.wait(timeout=30)
    assert recorder.returncode == 0, stderr
    assert f"to {out} (ended by silence)" in stdout
    heard = asr.transcribe(out).text
    assert recall(said, heard) >= 0.6, heard
    assert recall(truth("probe_strong")["key_phrase"], heard) >= 0.6, heard  # the strong phrase survived


@pytest.mark.audio
@pytest.mark.slow
def test_a_device_opened_at_48k_is_resampled_to_16k(pulse_server, tmp_path, asr):
    played, said = fixture_part("probe_weak", 8.0, tmp_path / "played.wav")
    out = tmp_path / "answer.wav"
    script = (
        "import sys\n"
        "from mockinterview.audio.microphone import SoundDeviceMicrophone\n"
        "from mockinterview.audio.recorder import Recorder\n"
        "r = Recorder(SoundDeviceMicrophone(open_rate_hz=48000), sys.argv[1], stop_on_silence_s=2.5, max_s=30).run()\n"
        "print(r.ended_by, r.sample_rate_hz)\n"
    )
    recorder = subprocess.Popen([sys.executable, "-c", script, str(out)], env=pulse_server, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_frames(out, 1600, recorder)
    player = play_into_sink(played, pulse_server)
    stdout, stderr = recorder.communicate(timeout=60)
    player.wait(timeout=30)
    assert stdout.split() == ["silence", "16000"], stderr
    heard = asr.transcribe(out).text
    assert recall(said, heard) >= 0.6, heard


@pytest.mark.audio
@pytest.mark.slow
def test_sigkill_mid_answer_keeps_the_audio_up_to_the_kill(pulse_server, tmp_path, asr):
    out = tmp_path / "answer.wav"
    recorder = mi_popen("record", str(out), env=pulse_server)
    wait_for_frames(out, 1600, recorder)
    player = play_into_sink(FIXTURES / "probe_strong.flac", pulse_server)
    try:
        seen = wait_for_frames(out, int(6.5 * RATE), recorder)
        recorder.send_signal(signal.SIGKILL)
        recorder.wait(timeout=10)
    finally:
        player.kill()
        player.wait()
    with wave.open(str(out), "rb") as f:
        frames = f.getnframes()
        assert f.getframerate() == RATE and frames >= seen
    data, _ = soundfile.read(out, dtype="float32")
    assert len(data) == frames
    # the first sentence was being spoken at the kill: its start is in the file
    first = truth("probe_strong")["sentences"][0]["text"]
    heard = asr.transcribe(out).text
    assert recall(" ".join(first.split()[:8]), heard) >= 0.6, heard


@pytest.mark.audio
def test_enter_stops_and_ctrl_c_keeps_the_file(pulse_server, tmp_path):
    out = tmp_path / "enter.wav"
    proc = mi_popen("record", str(out), env=pulse_server, stdin=subprocess.PIPE)
    wait_for_frames(out, RATE // 2, proc)
    stdout, stderr = proc.communicate("\n", timeout=30)
    assert proc.returncode == 0 and "(ended by enter)" in stdout, stderr

    # Ctrl-C ends it whatever SIGINT disposition it inherited (a background job starts with it ignored)
    for ignored in (False, True):
        out = tmp_path / f"ctrl-c-{ignored}.wav"
        proc = mi_popen("record", str(out), env=pulse_server, sigint_ignored=ignored)
        wait_for_frames(out, RATE // 2, proc)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        assert proc.returncode == 130
        assert f"interrupted; kept " in stderr and f" s in {out}" in stderr
        assert len(stderr.strip().splitlines()) == 1
        assert wav_frames(out) >= RATE // 2


@pytest.mark.audio
def test_stop_on_silence_on_a_silent_device_stops_and_says_why(pulse_server, tmp_path):
    out = tmp_path / "muted.wav"
    result = mi("record", str(out), "--stop-on-silence", "1", env=pulse_server, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"recorded 10\.[0-2] s to {re.escape(str(out))} \(ended by silence\)", result.stdout.strip())
    assert "no speech at all in 10 s" in result.stderr and "mockinterview check" in result.stderr
    assert 10 * RATE <= wav_frames(out) <= 10.2 * RATE  # stopped within a block or two of the limit


@pytest.mark.audio
def test_max_s_on_the_device(pulse_server, tmp_path):
    out = tmp_path / "max.wav"
    result = mi("record", str(out), "--max-s", "1.5", env=pulse_server)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"recorded 1.5 s to {out} (ended by max)"
    assert wav_frames(out) == int(1.5 * RATE)


def test_meter_line_shows_time_and_level():
    import io

    from rich.console import Console

    from mockinterview.commands.record import meter_line

    buffer = io.StringIO()
    console = Console(file=buffer, width=80)
    console.print(meter_line(67.3, -30.0, hint="press Enter to stop", width=10))
    console.print(meter_line(0.0, SILENCE_DBFS, width=4))
    console.print(meter_line(5.0, 0.0, width=4))
    assert buffer.getvalue() == (
        "● 1:07.3 [#####.....]  -30 dBFS  press Enter to stop\n"
        "● 0:00.0 [....]  -99 dBFS\n"
        "● 0:05.0 [####]    0 dBFS\n"
    )


def test_a_pause_inside_on_block_is_not_a_stalled_microphone(tmp_path, probe):
    # the practice flow pauses by stopping the microphone from its on_block callback
    class WarmsUp(ClipSource):  # like a real device, the reopened stream takes a moment to deliver
        def start(self):
            super().start()
            self.cold = True

        def read(self, timeout_s=0.1):
            if self.cold:
                self.cold = False
                self._clock.sleep(timeout_s)
                return np.zeros(0, np.float32)
            return super().read(timeout_s)

    clip, _ = probe
    clock = ManualClock()
    mic = WarmsUp(clip, realtime=True, clock=clock)
    paused = []

    def pause_once(r: Recorder) -> None:
        if r.elapsed_s >= 1.0 and not paused:
            paused.append(True)
            mic.stop()
            clock.advance(20)  # longer than the no-audio timeout
            mic.start()

    recording = Recorder(mic, tmp_path / "a.wav", clock, max_s=3).run(on_block=pause_once)
    assert paused and recording.ended_by == "max" and recording.duration_s == pytest.approx(3.0)
    data, _ = soundfile.read(recording.path, dtype="float32")
    assert np.max(np.abs(data - clip.samples[: len(data)])) < 1e-4  # resumed where it stopped


@pytest.mark.parametrize("even", [False, True], ids=["plain", "agc"])
def test_silence_stop_on_a_source_with_no_room_noise(tmp_path, even):
    # a virtual device or a synthetic file: digital zeros around speech and no noise to learn a floor
    # from; with automatic gain control every block of the voice is about as loud as the others
    weak = read_audio(FIXTURES / "probe_weak.flac")
    first = truth("probe_weak")["sentences"][0]
    sentence = weak.slice_s(first["start_s"], first["end_s"]).samples.copy()
    if even:
        for i in range(0, len(sentence), 1600):
            block = sentence[i : i + 1600]
            if level_dbfs(block) > -60:
                block *= 10 ** ((-20 - level_dbfs(block)) / 20)  # every sounding block at -20 dBFS
    zeros = np.zeros(RATE, np.float32)
    recording = Recorder(ClipSource(clip_of(zeros, sentence, zeros, zeros, zeros)), tmp_path / "a.wav", stop_on_silence_s=1.5).run()
    assert recording.ended_by == "silence" and recording.heard_speech
    speech_end_s = 1.0 + len(sentence) / RATE
    assert speech_end_s + 1.5 - 0.3 <= recording.duration_s <= speech_end_s + 1.5 + 0.2
