"""What a practice session runs on: its options and its devices, passed in so the flow never
touches sounddevice or pyttsx3 itself (the command wires the real ones, tests wire files)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console

from ..asr.transcriber import Transcriber
from ..audio.clock import Clock
from ..audio.microphone import Microphone
from ..audio.speaker import Speaker
from .keys import KeySource

DEFAULT_MAX_ANSWER_S = 300.0  # past 5 minutes a STAR answer reads as rambling
DEFAULT_MAX_PROBE_S = 120.0
DEFAULT_PROBE_SILENCE_S = 4.0  # a probe reply ends by itself after this much quiet


@dataclass(frozen=True)
class PracticeOptions:
    mode: str = "mock"  # study | drill | mock
    level: str | None = None
    angle: str | None = None
    own_story: bool = False  # the candidate's own story to this question: judged on signals
    sections: str = "auto"  # guided | auto
    live: bool = True
    stop_on_silence_s: float | None = None
    max_answer_s: float | None = None
    probes: int | None = None  # follow-ups at most; None: by level (analysis/followups.py)


@dataclass(frozen=True)
class Devices:
    speaker: Speaker
    # Turn 0 is the main answer, turn n the reply to probe n; None when no source is left for it.
    open_microphone: Callable[[int], Microphone | None]
    clock: Clock
    keys: KeySource
    console: Console
    transcriber: Transcriber
    interactive: bool  # a person can press keys (a terminal), so the flow may wait for them
    from_files: bool = False  # answers come from recordings, not a live microphone
