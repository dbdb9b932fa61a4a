"""How soon is the report ready after the candidate stops, and how soon does the question start? Prints
figures; asserts nothing.

    .venv/bin/python bench/latency.py            # strong_answer.flac (175 s) once in real time, + virtual mic
    .venv/bin/python bench/latency.py --quick    # the first 40 s, no virtual microphone
    .venv/bin/python bench/latency.py --runs 3   # medians over three real-time plays

Measured, side by side in one run:
- report ready after the end of the audio: the answer is played in real time through FileSource into a
  Recorder (as the practice flow records it) whose microphone also feeds a StreamingSession. When the
  recorder returns (the end of the audio), the clock starts; "streaming" is closing the clause warmer (interview/warmer.py, fed the words
  so far each second as the flow does, as is the live section tracker) + finish() + speech onsets + score_answer; "whole-file" is then transcribe(the WAV) + speech onsets + score_answer, as the flow
  does today. Goal: streaming <= 1.0 s for a 3-minute answer.
- real-time factor: seconds of decoding per second of audio decoded (streaming counts its guesses at
  open utterances too) and for the whole file; the largest backlog the streaming session saw.
- the delivery analysis (pitch, loudness, fading ends): streaming tracks pitch while recording (TappedMicrophone), so
  only the last second and the analysis are left after the end; whole-file tracks the WAV afterwards.
- peak RSS of this process (model, audio, both transcriptions). Goal <= 500 MB.
- start-up to the first spoken word: `mockinterview practice QUESTION --mode mock --answer-audio ...`
  is launched as a subprocess with a private PulseAudio null sink as its speaker; `parec` records the
  sink's monitor, and the time from launch to the first non-silent sample is reported (sample count
  from the start of the capture, so pipe buffering does not count). The same for `mockinterview say`.
  Goal <= 1.5 s.
- once through the virtual microphone: paplay into the null sink while SoundDeviceMicrophone records
  its monitor in a child process (sounddevice must be imported after the server starts).
The last line is `latency_after_end_s streaming=X whole_file=Y` (medians, seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.analysis.live import LiveSectionTracker  # noqa: E402
from mockinterview.analysis.section_model import default_reader  # noqa: E402
from mockinterview.analysis.pacing import OnsetFinder, speech_onsets  # noqa: E402
from mockinterview.analysis.pitch import PitchFollower, track_pitch  # noqa: E402
from mockinterview.analysis.prosody import attach_prosody  # noqa: E402
from mockinterview.analysis.score import score_answer  # noqa: E402
from mockinterview.audio.tap import TappedMicrophone  # noqa: E402
from mockinterview.asr import Transcriber  # noqa: E402
from mockinterview.asr.feeding import FeedingMicrophone  # noqa: E402
from mockinterview.audio.clip import SAMPLE_RATE_HZ  # noqa: E402
from mockinterview.audio.file import read_audio  # noqa: E402
from mockinterview.audio.microphone import FileSource  # noqa: E402
from mockinterview.audio.recorder import Recorder  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.interview.mock import TRACK_EVERY_S  # noqa: E402
from mockinterview.interview.warmer import ClauseWarmer  # noqa: E402

QUESTION_ID = "anticipate-customer-need"
ANSWER = ROOT / "audio_fixtures" / "strong_answer.flac"
QUICK_ANSWER = ROOT / "audio_fixtures" / "skip_reflection.flac"  # 43 s, same question


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_avg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


PEEK_EVERY_S: list[float | None] = []  # --peek: StreamingSettings.peek_every_s for this run


def one_run(transcriber: Transcriber, question, microphone, wav: Path, verbose: bool = False) -> dict:
    """Record from `microphone` (feeding a streaming session), then time both ways to a report."""
    session = transcriber.stream(terms=question.terms, **({"peek_every_s": PEEK_EVERY_S[0]} if PEEK_EVERY_S else {}))
    follower = PitchFollower()  # pitch and onsets are found while recording, as interview/turn.py does
    onset_finder = OnsetFinder(SAMPLE_RATE_HZ)
    recorder = Recorder(TappedMicrophone(FeedingMicrophone(microphone, session), follower.feed, onset_finder.feed), wav)
    warmer = ClauseWarmer(question)  # the answer's clauses are embedded while it is spoken, as in interview/mock.py
    tracker = LiveSectionTracker(question, reader=default_reader())  # and the live label segments the words so far each second
    offered = {"at_s": 0.0}

    def offer_words(rec: Recorder) -> None:
        if rec.elapsed_s - offered["at_s"] >= TRACK_EVERY_S:
            offered["at_s"] = rec.elapsed_s
            tracker.update(session.words_so_far())
            warmer.offer(session.words_so_far(peek=False))

    recording = recorder.run(on_block=offer_words)
    t_end = time.perf_counter()
    warmer.close()
    transcript = session.finish()
    finish_s = time.perf_counter() - t_end
    onsets = onset_finder.onsets()  # the flow no longer reads the saved answer after the end
    onsets_s = time.perf_counter() - t_end - finish_s
    report = score_answer(question, transcript, speech_onsets_s=onsets)
    t_sound = time.perf_counter()
    report = attach_prosody(report, follower.finish())
    prosody_s = time.perf_counter() - t_sound
    streaming_s = time.perf_counter() - t_end
    if verbose:
        for kind, a, b, w0, w1 in session.timeline[-4:]:
            print(f"    decode {kind:12} audio {a:6.1f}-{b:6.1f} s  wall {w0 - t_end:+6.2f} .. {w1 - t_end:+6.2f} s from the end")
    rss_streaming = peak_rss_mb()

    t0 = time.perf_counter()
    whole = transcriber.transcribe(wav, terms=question.terms)
    whole_transcribe_s = time.perf_counter() - t0
    samples = read_audio(wav).samples
    whole_report = score_answer(question, whole, speech_onsets_s=speech_onsets(samples, SAMPLE_RATE_HZ))
    t_pitch = time.perf_counter()
    whole_report = attach_prosody(whole_report, track_pitch(samples))
    whole_prosody_s = time.perf_counter() - t_pitch
    whole_s = time.perf_counter() - t0
    return {
        "audio_s": recording.duration_s,
        "streaming_s": streaming_s,
        "finish_s": finish_s,
        "onsets_s": onsets_s,
        "prosody_s": prosody_s,
        "whole_prosody_s": whole_prosody_s,
        "whole_s": whole_s,
        "rtf_streaming": session.compute_s / max(session.decoded_s, 1e-9),  # peeks included
        "decoded_share": session.decoded_s / max(recording.duration_s, 1e-9),
        "rtf_whole": whole_transcribe_s / max(recording.duration_s, 1e-9),
        "decodes": session.chunks,
        "max_backlog_s": session.max_backlog_seen_s,
        "fallback": session.fallback,
        "rss_streaming_mb": rss_streaming,
        "words": (len(transcript.words), len(whole.words)),
        "verdicts": (report.verdict, whole_report.verdict),
    }


# --- a private PulseAudio server ----------------------------------------------------------------


class PulseServer:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mi-bench-pulse-"))
        self.dir.chmod(0o700)
        self.env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER", "PULSE_SINK", "PULSE_SOURCE")}
        self.env["XDG_RUNTIME_DIR"] = str(self.dir)

    def __enter__(self) -> PulseServer:
        subprocess.run(["pulseaudio", "-D", "--exit-idle-time=-1", "-n", "--load=module-null-sink sink_name=virtmic",
                        "--load=module-native-protocol-unix"], env=self.env, check=True, capture_output=True, timeout=30)
        self.env["PULSE_SERVER"] = f"unix:{self.dir}/pulse/native"
        for cmd in (["pactl", "set-default-source", "virtmic.monitor"], ["pactl", "set-default-sink", "virtmic"]):
            subprocess.run(cmd, env=self.env, check=True, capture_output=True, timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["pulseaudio", "-k"], env=self.env, capture_output=True, timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def first_sound_s(pulse: PulseServer, command: list[str], timeout_s: float = 30.0) -> float | None:
    """Launch `command`; seconds from launch to the first non-silent sample on the sink's monitor."""
    rec = subprocess.Popen(["parec", "--device=virtmic.monitor", "--format=s16le", "--rate=16000", "--channels=1",
                            "--latency-msec=50"], env=pulse.env, stdout=subprocess.PIPE)  # 10 ms made the player underrun to silence
    try:
        first = rec.stdout.read(320)  # the capture is running: its sample clock starts here
        t_capture = time.perf_counter() - len(first) / 2 / SAMPLE_RATE_HZ
        t_launch = time.perf_counter()
        proc = subprocess.Popen(command, env=pulse.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL)
        got, n = None, len(first) // 2
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            data = rec.stdout.read(3200)
            if not data:
                break
            x = np.frombuffer(data, np.int16)
            loud = np.flatnonzero(np.abs(x) > 300)
            if loud.size:
                got = t_capture + (n + int(loud[0])) / SAMPLE_RATE_HZ - t_launch
                break
            n += x.size
        proc.kill()  # our own child, by its handle
        proc.wait()
        return got
    finally:
        rec.kill()
        rec.wait()


def virtual_mic_child(wav_out: str, answer: str, model: str | None) -> None:
    """Runs in a child with the pulse env: records the virtual microphone while paplay plays the answer."""
    from mockinterview.audio.microphone import SoundDeviceMicrophone

    bank = load_bank([BUILTIN_DIR])
    question = bank.get(QUESTION_ID)
    transcriber = Transcriber.load(model)
    clip = read_audio(answer)
    src = Path(wav_out).with_suffix(".play.wav")
    import soundfile

    soundfile.write(src, clip.samples, SAMPLE_RATE_HZ)
    mic = SoundDeviceMicrophone()
    holder: dict = {}

    def play_then_stop() -> None:
        time.sleep(0.3)
        subprocess.run(["paplay", "--device=virtmic", str(src)], check=True)
        holder["recorder"].stop("enter")  # the candidate presses Enter as the audio ends

    real_run = Recorder.run

    def run_with_player(self, on_block=None):
        holder["recorder"] = self
        threading.Thread(target=play_then_stop, daemon=True).start()
        return real_run(self, on_block)

    Recorder.run = run_with_player
    result = one_run(transcriber, question, mic, Path(wav_out))
    print(json.dumps(result))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a 43 s answer (skip_reflection.flac), no virtual microphone")
    ap.add_argument("--runs", type=int, default=1, help="real-time plays through the file source (medians reported)")
    ap.add_argument("--answer", type=Path, default=ANSWER)
    ap.add_argument("--no-pulse", action="store_true", help="skip the start-up and virtual-microphone figures")
    ap.add_argument("--peek", type=float, help="StreamingSettings.peek_every_s (0: no peeks; default: as shipped)")
    ap.add_argument("--model", help="a CTranslate2 Whisper model directory (default: the bundled tiny.en)")
    ap.add_argument("--child-virtual", nargs=2, metavar=("WAV_OUT", "ANSWER"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peek is not None:
        PEEK_EVERY_S.append(args.peek or None)
    if args.child_virtual:
        virtual_mic_child(*args.child_virtual, model=args.model)
        return 0

    print(f"load average at start: {load_avg()} ({os.cpu_count()} cores)")
    question = load_bank([BUILTIN_DIR]).get(QUESTION_ID)
    t0 = time.perf_counter()
    transcriber = Transcriber.load(args.model)
    print(f"model {transcriber.model.name} load: {time.perf_counter() - t0:.2f} s")
    if args.quick and args.answer == ANSWER:
        args.answer = QUICK_ANSWER
    clip = read_audio(args.answer)
    print(f"answer: {args.answer.name}, {clip.duration_s:.1f} s played in real time through the file source")

    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            source = FileSource(args.answer)
            r = one_run(transcriber, question, source, Path(tmp) / f"run{i}.wav", verbose=True)
            runs.append(r)
            print(f"run {i + 1}: streaming {r['streaming_s']:.2f} s (finish() {r['finish_s']:.2f} s, onsets {r['onsets_s']:.2f} s, "
                  f"pitch tail + delivery analysis {r['prosody_s']:.3f} s, scoring the rest), whole-file {r['whole_s']:.2f} s after the end; "
                  f"RTF streaming {r['rtf_streaming']:.3f} (decoded {r['decoded_share']:.2f}x the audio in {r['decodes']} decodes), "
                  f"whole-file {r['rtf_whole']:.3f}; max backlog {r['max_backlog_s']:.1f} s; words {r['words'][0]}/{r['words'][1]}; "
                  f"verdicts {r['verdicts'][0]}/{r['verdicts'][1]}; load {load_avg()}"
                  + (f"; FALLBACK: {r['fallback']}" if r["fallback"] else ""))
    # ru_maxrss only grows: only the first run's streaming figure comes before any whole-file pass
    print(f"peak RSS: {peak_rss_mb():.0f} MB (after the first streaming run, before any whole-file pass: "
          f"{runs[0]['rss_streaming_mb']:.0f} MB)")

    if not args.no_pulse and shutil.which("pulseaudio") and shutil.which("parec"):
        with PulseServer() as pulse:
            say = [sys.executable, "-m", "mockinterview", "say", "Tell me about a time you anticipated a customer need."]
            practice = [sys.executable, "-m", "mockinterview", "practice", QUESTION_ID, "--mode", "mock", "--no-live",
                        "--answer-audio", str(ROOT / "audio_fixtures" / "probe_weak.flac"),
                        "--data-dir", tempfile.mkdtemp(prefix="mi-bench-home-")]
            for label, cmd in (("practice (mock)", practice), ("say", say)):
                times = [first_sound_s(pulse, cmd) for _ in range(3)]
                shown = ", ".join("none" if t is None else f"{t:.2f} s" for t in times)
                print(f"launch to first spoken sound, {label}: {shown}")
            if not args.quick:
                with tempfile.TemporaryDirectory() as tmp:
                    child = subprocess.run([sys.executable, __file__, "--child-virtual", f"{tmp}/virtual.wav", str(args.answer)]
                                           + (["--model", args.model] if args.model else []),
                                           env=pulse.env, capture_output=True, text=True, timeout=900)
                    lines = [x for x in child.stdout.splitlines() if x.startswith("{")]
                    if lines:
                        v = json.loads(lines[-1])
                        print(f"virtual microphone (paplay -> null sink -> SoundDeviceMicrophone): {v['audio_s']:.1f} s recorded; "
                              f"streaming {v['streaming_s']:.2f} s, whole-file {v['whole_s']:.2f} s after the end; "
                              f"words {v['words'][0]}/{v['words'][1]}; max backlog {v['max_backlog_s']:.1f} s")
                    else:
                        print(f"virtual microphone: failed ({(child.stderr.strip().splitlines() or ['?'])[-1]})")
    print(f"load average at end: {load_avg()}")
    med_s = statistics.median(r["streaming_s"] for r in runs)
    med_w = statistics.median(r["whole_s"] for r in runs)
    pitch_share = statistics.median(r["whole_prosody_s"] / r["audio_s"] for r in runs)
    print(f"delivery analysis: after the end {statistics.median(r['prosody_s'] for r in runs):.3f} s (streaming); "
          f"whole file {statistics.median(r['whole_prosody_s'] for r in runs):.2f} s = {pitch_share:.2%} of the audio")
    print(f"latency_after_end_s streaming={med_s:.2f} whole_file={med_w:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
