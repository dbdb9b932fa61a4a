"""`mockinterview check`: a one-minute self-test of speaker, microphone, level and speech model."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from .record import _positive

PROMPT = "Sound check. After this sentence, read a sentence aloud."
SILENT_DBFS = -80.0  # below this nothing reaches the input at all: muted, unplugged or the wrong device
QUIET_DBFS = -45.0  # speech this far down is too weak for reliable recognition
CLIP_DBFS = -1.0


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "check",
        help="self-test: speaker, microphone, input level and speech model",
        description=(
            "Speak a sentence, record a few seconds from the microphone (read something aloud), show the "
            "input level, transcribe it, and say in plain words what is wrong (no microphone, a muted or "
            "silent input, too quiet, the speech model missing) or that all is well. Exit code 0 when all "
            "is well, 1 otherwise."
        ),
        epilog="example: mockinterview check --input-device pulse --seconds 6",
    )
    parser.add_argument("--input-device", metavar="D", help="input device index or part of its name (see `mockinterview devices`)")
    parser.add_argument("--output-device", metavar="D", help="output device index or part of its name")
    parser.add_argument("--seconds", type=_positive, default=5.0, metavar="S", help="how long to record (default 5; Enter stops early)")
    parser.add_argument("--no-voice", action="store_true", help="show the sentence instead of speaking it")
    parser.add_argument("--keep", type=Path, metavar="WAV", help="keep the test recording in this file")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..asr import preload
    from ..audio.devices import NO_SERVER_HINT, devices_of, find_device
    from ..audio.microphone import SoundDeviceMicrophone
    from ..audio.recorder import Recorder
    from ..audio.speaker import FallbackSpeaker, open_speaker
    from ..errors import DeviceError, MockInterviewError
    from .record import record_with_meter

    out = Console(highlight=False, soft_wrap=True)  # one line per finding, for people and for grep
    problems: list[str] = []

    def ok(text: str) -> None:
        out.print(f"[green]ok[/]      {escape(text)}")

    def problem(text: str) -> None:
        problems.append(text)
        out.print(f"[red]problem[/] {escape(text)}")

    model_future = preload()  # loads while we speak and record

    inputs = devices_of("input")
    outputs = devices_of("output")
    if not inputs and not outputs:
        problem(f"no microphone and no speaker found: {NO_SERVER_HINT}")
    elif not inputs:
        problem("no microphone found: plug one in or pick another input in your sound settings")
    elif not outputs and not args.no_voice:
        problem("no speaker found: questions will be shown as text (or use --no-voice)")

    if outputs or args.no_voice:
        speaker = open_speaker(no_voice=args.no_voice, device=args.output_device, console=out)
        out.print("[dim]speaking a test sentence...[/]")
        speaker.speak(PROMPT)
        if isinstance(speaker, FallbackSpeaker) and speaker.failed:
            problem(f"could not speak: {speaker.failure}")
        elif not args.no_voice:
            ok(f'spoke through "{speaker.primary.device.name}"')  # type: ignore[union-attr]

    def model_works() -> bool:
        try:
            model = model_future.result()
        except MockInterviewError as exc:
            problem(f"the speech model is missing or broken: {exc}")
            return False
        ok(f"speech model {model.name} loaded")
        return True

    if not inputs:
        model_works()
        return _summary(out, problems)
    try:
        device = find_device(args.input_device, "input")
    except DeviceError as exc:
        problem(str(exc))
        model_works()
        return _summary(out, problems)

    with tempfile.TemporaryDirectory(prefix="mockinterview-check-") as tmp:
        path = args.keep or Path(tmp) / "check.wav"
        out.print(f"[bold]Read a sentence aloud now[/] ({args.seconds:g} s, Enter stops early)")
        try:
            recording = record_with_meter(
                Recorder(SoundDeviceMicrophone(device.index), path, max_s=args.seconds), hint="recording"
            )
        except DeviceError as exc:
            problem(str(exc))
            return _summary(out, problems)
        if recording.ended_by == "interrupt":
            raise KeyboardInterrupt
        loudest = recording.max_level_dbfs
        level = f"loudest {loudest:.0f} dBFS, noise floor {recording.noise_floor_dbfs:.0f} dBFS"
        if loudest < SILENT_DBFS:
            problem(f'the input "{device.name}" is silent ({level}): it may be muted, unplugged or the wrong device (try --input-device; see `mockinterview devices`)')
        elif loudest < QUIET_DBFS:
            problem(f"the input is too quiet ({level}): move closer or raise the input volume")
        elif loudest > CLIP_DBFS:
            problem(f"the input is so loud it distorts ({level}): lower the input volume")
        else:
            ok(f'recorded {recording.duration_s:.1f} s from "{device.name}" ({level})')

        if not model_works():
            return _summary(out, problems)
        from ..asr import Transcriber

        transcript = Transcriber(model_future).transcribe(recording.path)
        if transcript.words:
            ok(f'heard: "{transcript.text}"')
        elif loudest >= SILENT_DBFS:
            problem("heard sound but no words: speak clearly, closer to the microphone")
        if args.keep:
            out.print(f"kept the recording in {args.keep}")
    return _summary(out, problems)


def _summary(out: Console, problems: list[str]) -> int:
    if problems:
        out.print(f"[bold red]{len(problems)} problem{'s' if len(problems) > 1 else ''}[/]: fix the above and run `mockinterview check` again")
        return 1
    out.print("[bold green]all is well[/]: ready to practice")
    return 0
