"""Trends across attempts of one question, as plain series, and the terminal's sparklines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .store import AttemptRow

SPARKS = "▁▂▃▄▅▆▇█"
# The report's too-quiet level (analysis/prosody.py QUIET_DBFS) up to a level that risks clipping; a literal
# here because the history listing must not import the analysis package (numpy).
LOUDNESS_BAND_DBFS = (-42.0, -10.0)


@dataclass(frozen=True)
class Series:
    name: str  # "total time" | "phrase coverage" | "fillers/min" | "WPM" | "pitch variation" | "loudness"
    unit: str  # "s" | "%" | "/min" | "wpm" | "st" | "dBFS"
    values: tuple[float, ...]  # one per scored attempt, oldest first (the sound: per attempt with audio analysed)
    band: tuple[float, float] | None  # the range to aim for, when there is one
    lower_is_better: bool = False

    @property
    def change(self) -> str:
        """First to last attempt, judged against the band or the direction that is better."""
        if len(self.values) < 2:
            return ""
        first, last = self.values[0], self.values[-1]
        if self.band:
            d0, d1 = _distance(first, self.band), _distance(last, self.band)
            if abs(d1 - d0) < 1e-9:
                return "in band" if d1 == 0 else "same"
            return "better" if d1 < d0 else "worse"
        if abs(last - first) < 1e-9:
            return "same"
        return "better" if (last < first) == self.lower_is_better else "worse"


@dataclass(frozen=True)
class Trend:
    question_id: str
    attempt_ids: tuple[str, ...]  # scored attempts only, oldest first
    series: tuple[Series, ...]

    def get(self, name: str) -> Series:
        return next(s for s in self.series if s.name == name)


def trend(question_id: str, rows: Sequence[AttemptRow], *, include_partial: bool = False) -> Trend:
    """Scored attempts only; one stopped early is left out unless asked, as its figures cover part of an answer."""
    scored = [r for r in rows if r.question_id == question_id and r.duration_s is not None
              and (include_partial or not r.partial)]
    last = scored[-1] if scored else None
    comfort = (130.0, 160.0)
    series = (
        Series("total time", "s", tuple(r.duration_s for r in scored),
               (last.total_min_s, last.total_max_s) if last else None),
        Series("phrase coverage", "%", tuple(round(100 * (r.coverage or 0.0), 1) for r in scored), None),
        Series("fillers/min", "/min", tuple(r.fillers_per_min for r in scored), None, lower_is_better=True),
        Series("WPM", "wpm", tuple(r.wpm for r in scored), comfort),
    )
    pitch = tuple(r.pitch_spread_semitones for r in scored if r.pitch_spread_semitones is not None)
    loudness = tuple(r.loudness_dbfs for r in scored if r.loudness_dbfs is not None)
    if pitch:
        series += (Series("pitch variation", "st", pitch, None),)
    if loudness:
        series += (Series("loudness", "dBFS", loudness, LOUDNESS_BAND_DBFS),)
    return Trend(question_id, tuple(r.id for r in scored), series)


def trends(rows: Sequence[AttemptRow], *, include_partial: bool = False) -> list[Trend]:
    """One trend per question, in the order the questions were first practised."""
    order = list(dict.fromkeys(r.question_id for r in rows))
    return [trend(q, rows, include_partial=include_partial) for q in order]


def sparkline(values: Sequence[float], lo: float | None = None, hi: float | None = None) -> str:
    """One block character per value, scaled between lo and hi (default: the values' own range)."""
    if not values:
        return ""
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    if hi - lo < 1e-9:
        return SPARKS[len(SPARKS) // 2 - 1] * len(values)
    top = len(SPARKS) - 1
    return "".join(SPARKS[max(0, min(top, round((v - lo) / (hi - lo) * top)))] for v in values)


def _distance(value: float, band: tuple[float, float]) -> float:
    lo, hi = band
    return lo - value if value < lo else value - hi if value > hi else 0.0
