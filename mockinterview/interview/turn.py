"""One spoken turn: record from a Microphone to the attempt folder while the live view runs and keys
are read. Enter moves to the next section (guided) or finishes; p pauses; q quits."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.live import Live

from ..analysis.pacing import OnsetFinder
from ..analysis.pitch import PitchFollower, PitchFrames
from ..analysis.prosody import recent_spread
from ..audio.clock import Clock
from ..audio.microphone import Microphone
from ..audio.recorder import Recorder, Recording
from ..audio.tap import TappedMicrophone
from .display import LiveState, render
from .keys import KeySource

PEAK_WINDOW_BLOCKS = 30  # ~3 s of 0.1 s blocks for the "Louder" cue
SPREAD_EVERY_S = 2.0  # the live pitch spread is recomputed this often (it judges 20 s at a time)


@dataclass(frozen=True)
class Turn:
    recording: Recording
    marks_s: tuple[float, ...]  # section start times in the audio, guided mode only
    quit: bool  # the candidate pressed q (or Ctrl-C): stop the whole attempt
    pitch: PitchFrames | None = None  # tracked while recording, so the report need not wait for it
    onsets_s: tuple[float, ...] | None = None  # speech onsets found while recording, for the same reason
    signalled: bool = False  # stopped by Ctrl-C: the flow saves what it has, then the command exits 130


@dataclass(frozen=True)
class TurnPlan:
    sections: Sequence[tuple[str, float]] = ()  # (name, target_s) when guided; empty otherwise
    total_target_s: float = 0.0
    stop_on_silence_s: float | None = None
    max_s: float | None = None
    live: bool = True
    targets_s: Mapping[str, float] = field(default_factory=dict)  # for sections tracked from the words


def record_turn(
    microphone: Microphone,
    out_path: Path,
    plan: TurnPlan,
    *,
    clock: Clock,
    keys: KeySource,
    console: Console,
    on_progress: Callable[[Recorder], None] | None = None,
    current_section: Callable[[], tuple[str, float] | None] | None = None,
    recent_wpm: Callable[[], float | None] | None = None,
) -> Turn:
    """`current_section` lets a live tracker (auto mode) name the section being spoken and its start;
    `recent_wpm` gives the pace of the latest words heard (live transcription), for the pace cues."""
    follower = PitchFollower(microphone.sample_rate_hz)
    onsets = OnsetFinder(microphone.sample_rate_hz)
    recorder = Recorder(TappedMicrophone(microphone, follower.feed, onsets.feed), out_path, clock, stop_on_silence_s=plan.stop_on_silence_s,
                        max_s=plan.max_s)
    guided = bool(plan.sections)
    marks = [0.0] if guided else []
    peaks: deque[float] = deque(maxlen=PEAK_WINDOW_BLOCKS)
    state = {"quit": False, "paused": False}
    spread: dict[str, float | None] = {"recent": None, "at_s": 0.0}

    def live_state() -> LiveState:
        elapsed = recorder.elapsed_s
        section, target, section_elapsed = None, 0.0, 0.0
        if guided:
            name, target = plan.sections[len(marks) - 1]
            section, section_elapsed = name, elapsed - marks[-1]
        elif current_section is not None and (tracked := current_section()) is not None:
            section, started_s = tracked
            target, section_elapsed = plan.targets_s.get(section, 0.0), elapsed - started_s
        return LiveState(
            total_elapsed_s=elapsed,
            total_target_s=plan.total_target_s,
            section=section,
            section_elapsed_s=section_elapsed,
            section_target_s=target,
            level_dbfs=recorder.level_dbfs,
            peak_dbfs_recent=max(peaks) if peaks else -90.0,
            recent_wpm=recent_wpm() if recent_wpm is not None else None,
            pitch_spread_recent_semitones=spread["recent"],
            paused=state["paused"],
            minimal=not plan.live,
        )

    def handle_key(key: str, live: Live) -> None:
        if key == "enter":
            if guided and len(marks) < len(plan.sections):
                marks.append(round(recorder.elapsed_s, 2))
            else:
                recorder.stop("enter")
        elif key == "quit":
            state["quit"] = True
            recorder.stop("interrupt")
        elif key == "pause":
            pause(live)

    def pause(live: Live) -> None:
        # Stopping the microphone stops the clock of the answer too: elapsed time is audio time.
        microphone.stop()
        state["paused"] = True
        live.update(render(live_state()))
        while True:
            key = keys.poll()
            if key == "pause":
                break
            if key == "quit":
                state["quit"] = True
                recorder.stop("interrupt")
                break
            clock.sleep(0.05)
        state["paused"] = False
        microphone.start()

    with Live(render(live_state()), console=console, auto_refresh=False, transient=False) as live:

        def on_block(rec: Recorder) -> None:
            peaks.append(rec.level_dbfs)
            if rec.elapsed_s - (spread["at_s"] or 0.0) >= SPREAD_EVERY_S:
                spread["at_s"] = rec.elapsed_s
                spread["recent"] = recent_spread(follower.frames(), rec.elapsed_s)
            key = keys.poll()
            if key:
                handle_key(key, live)
            if on_progress is not None:
                on_progress(rec)
            live.update(render(live_state()), refresh=True)

        try:
            recording = recorder.run(on_block=on_block)
        except KeyboardInterrupt:
            state["quit"] = True
            raise
    quit_now = state["quit"] or recording.ended_by == "interrupt"
    return Turn(recording=recording, marks_s=tuple(marks), quit=quit_now, pitch=follower.finish(),
                onsets_s=onsets.onsets(), signalled=recording.signalled)
