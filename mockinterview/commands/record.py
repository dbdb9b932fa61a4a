"""`mockinterview record OUT.wav`: record from the microphone until Enter, silence or a time limit."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from rich.text import Text

NO_SPEECH_MIN_S = 10.0  # room to think before the first word...
NO_SPEECH_FACTOR = 4.0  # ...and more when the pause allowed after speech is long
METER_FLOOR_DBFS = -60.0  # the meter's left end; quieter than this is as good as silence


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "record",
        help="record from the microphone to a WAV file",
        description=(
            "Record 16 kHz mono from the microphone to OUT.wav until you press Enter, until a stretch of "
            "silence after you started talking (--stop-on-silence), or until --max-s. The file is valid at "
            "every moment: Ctrl-C, a kill or a crash keeps what was recorded. On a terminal, shows the "
            "elapsed time and a level meter. Exit code 130 after Ctrl-C (the file is kept)."
        ),
        epilog="example: mockinterview record answer.wav --max-s 180 --stop-on-silence 4",
    )
    parser.add_argument("out", type=Path, metavar="OUT.wav", help="the WAV file to write (overwritten)")
    parser.add_argument("--max-s", type=_positive, metavar="N", help="stop after N seconds")
    parser.add_argument("--stop-on-silence", type=_positive, metavar="S", help="stop after S seconds of silence once speech began (or after max(10, 4 x S) seconds "
                             "with no speech at all: a muted input)")
    parser.add_argument("--input-device", metavar="D", help="input device index or part of its name (see `mockinterview devices`)")
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def run(args: argparse.Namespace) -> int:
    from ..audio.microphone import SoundDeviceMicrophone
    from ..audio.recorder import Recorder

    recorder = Recorder(
        SoundDeviceMicrophone(args.input_device),
        args.out,
        stop_on_silence_s=args.stop_on_silence,
        max_s=args.max_s,
        no_speech_stop_s=no_speech_stop_s(args.stop_on_silence),
    )
    recording = record_with_meter(recorder, hint="press Enter to stop")
    if recording.ended_by == "interrupt":
        print(f"mockinterview record: interrupted; kept {recording.duration_s:.1f} s in {recording.path}", file=sys.stderr)
        return 130
    print(f"recorded {recording.duration_s:.1f} s to {recording.path} (ended by {recording.ended_by})")
    if recording.ended_by == "silence" and not recording.heard_speech:
        print(f"mockinterview record: no speech at all in {recording.duration_s:.0f} s (loudest "
              f"{recording.max_level_dbfs:.0f} dBFS): is the input muted or the wrong device? "
              "`mockinterview check` tests it", file=sys.stderr)
    return 0


def no_speech_stop_s(stop_on_silence_s: float | None) -> float | None:
    """With --stop-on-silence, how long a recording waits for the first word before it gives up."""
    if stop_on_silence_s is None:
        return None
    return max(NO_SPEECH_MIN_S, NO_SPEECH_FACTOR * stop_on_silence_s)


def record_with_meter(recorder: Any, *, hint: str = "", stdin: TextIO | None = None, stderr: TextIO | None = None) -> Any:
    """Run `recorder`, stopping it when a line arrives on stdin (Enter) and, on a terminal, drawing the
    meter on stderr. SIGTERM is treated like Ctrl-C so the file is closed cleanly either way."""
    from rich.console import Console
    from rich.live import Live

    stdin = stdin or sys.stdin
    stderr = stderr or sys.stderr
    _listen_for_enter(recorder, stdin)
    previous = _term_as_interrupt()
    try:
        if not stderr.isatty():
            return recorder.run()
        console = Console(file=stderr, highlight=False)
        with Live(meter_line(0.0, METER_FLOOR_DBFS, hint=hint), console=console, refresh_per_second=10, transient=True) as live:
            return recorder.run(on_block=lambda r: live.update(meter_line(r.elapsed_s, r.level_dbfs, hint=hint)))
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def meter_line(elapsed_s: float, level_dbfs: float, *, hint: str = "", width: int = 30) -> Text:
    """`● 0:07.3 [#######.......]  -23 dBFS  hint`: elapsed time and the input level."""
    fraction = min(1.0, max(0.0, (level_dbfs - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS))
    filled = int(round(fraction * width))
    style = "red" if level_dbfs > -3 else "green" if level_dbfs > -40 else "yellow"
    minutes, seconds = divmod(elapsed_s, 60)
    line = Text("● ", style="red")
    line.append(f"{int(minutes)}:{seconds:04.1f} ")
    line.append("[")
    line.append("#" * filled, style=style)
    line.append("." * (width - filled), style="dim")
    line.append(f"] {max(level_dbfs, -99):4.0f} dBFS")
    if hint:
        line.append(f"  {hint}", style="dim")
    return line


def _listen_for_enter(recorder: Any, stdin: TextIO) -> None:
    def wait() -> None:
        try:
            line = stdin.readline()
        except (OSError, ValueError):
            return
        if line:  # '' is end of input (no terminal, /dev/null): not a request to stop
            recorder.stop("enter")

    threading.Thread(target=wait, name="mockinterview-enter", daemon=True).start()


def _term_as_interrupt() -> Any:
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
