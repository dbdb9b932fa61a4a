"""The live view during an answer: one bar for the current section, the total, the input level and at
most one cue word. Coaching research found one short cue beats a dense dashboard, so nothing else moves."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from ..analysis.pacing import SUSTAINED_WPM
from ..analysis.prosody import MONOTONE_SEMITONES

BAR_WIDTH = 30
QUIET_DBFS = -38.0  # speech peaks below this read as "too quiet" on a desk microphone
SILENT_DBFS = -65.0  # below this nothing is being said at all
# sustained rates that call for "Speed up" / "Slow down" (speaking coaches flag only sustained stretches)
SLOW_WPM, FAST_WPM = SUSTAINED_WPM


@dataclass(frozen=True)
class LiveState:
    total_elapsed_s: float
    total_target_s: float
    section: str | None = None  # None when sections are not tracked live
    section_elapsed_s: float = 0.0
    section_target_s: float = 0.0
    level_dbfs: float = -90.0
    peak_dbfs_recent: float = -90.0  # loudest block of the last few seconds
    recent_wpm: float | None = None  # over the last ~15 s, when words are known live
    pitch_spread_recent_semitones: float | None = None  # over the last 20 s; None until that much was said
    paused: bool = False
    minimal: bool = False  # --no-live: elapsed time only


def choose_cue(state: LiveState) -> str | None:
    """At most one cue, the most urgent first."""
    if state.paused:
        return None
    if SILENT_DBFS < state.peak_dbfs_recent < QUIET_DBFS and state.total_elapsed_s > 3:
        return "Louder"
    if state.section and state.section_target_s and state.section_elapsed_s > 1.25 * state.section_target_s:
        return "Wrap up" if state.section in ("result", "reflection") else "Move on"
    if state.total_target_s and state.total_elapsed_s > state.total_target_s:
        return "Wrap up"
    if state.recent_wpm is not None and state.recent_wpm > FAST_WPM:
        return "Slow down"
    if state.recent_wpm is not None and state.recent_wpm < SLOW_WPM:
        return "Speed up"
    if state.pitch_spread_recent_semitones is not None and state.pitch_spread_recent_semitones < MONOTONE_SEMITONES:  # over 20 s: sustained
        return "Vary your tone"
    return None


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _bar(elapsed_s: float, target_s: float, width: int = BAR_WIDTH) -> Text:
    share = elapsed_s / target_s if target_s else 0.0
    filled = min(width, int(round(share * width)))
    style = "green" if share <= 1.0 else ("yellow" if share <= 1.25 else "red")
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim")


def _meter(level_dbfs: float, width: int = 10) -> Text:
    share = min(1.0, max(0.0, (level_dbfs + 60.0) / 60.0))
    filled = int(round(share * width))
    return Text("▮" * filled, style="cyan") + Text("▯" * (width - filled), style="dim")


def render(state: LiveState) -> Text:
    total = f"{_clock(state.total_elapsed_s)} / {_clock(state.total_target_s)}"
    if state.minimal:
        return Text(f"Elapsed {_clock(state.total_elapsed_s)}" + ("  (paused)" if state.paused else ""))
    lines = Text()
    if state.section:
        lines.append(f"{state.section.upper():<11}", style="bold")
        lines.append_text(_bar(state.section_elapsed_s, state.section_target_s))
        lines.append(f" {state.section_elapsed_s:3.0f} / {state.section_target_s:.0f} s\n")
    lines.append(f"Total {total}   Mic ")
    lines.append_text(_meter(state.level_dbfs))
    if state.paused:
        lines.append("   PAUSED (p to resume)", style="bold yellow")
    cue = choose_cue(state)
    lines.append("\n")
    if cue:
        lines.append(f"» {cue}", style="bold magenta")
    return lines
