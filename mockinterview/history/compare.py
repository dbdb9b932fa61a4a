"""Two scored attempts side by side: per section and overall, what improved and what got worse."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.report_data import ScoreReport, SectionReport
from ..analysis.verdicts import HireVerdict, ProbeVerdict, SectionVerdict

TIME_SLACK_S = 1.0  # closer to the target band by less than this is "the same"
RATE_SLACK = 0.5  # fillers per minute
WPM_SLACK = 3.0
PITCH_SLACK_SEMITONES = 0.2
LOUDNESS_SLACK_DB = 2.0
QUIET_DBFS = -42.0  # analysis/prosody.py: louder than this is as good as it gets


@dataclass(frozen=True)
class Change:
    section: str  # a STAR section name, or "overall"
    measure: str
    a: str
    b: str
    outcome: str  # better | worse | same


@dataclass(frozen=True)
class Comparison:
    a_id: str
    b_id: str
    changes: tuple[Change, ...]
    a_partial: str = ""  # where attempt A was stopped early (ScoreReport.partial); "" when whole
    b_partial: str = ""

    @property
    def improved(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.outcome == "better")

    @property
    def worse(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.outcome == "worse")


def compare_reports(a_id: str, a: ScoreReport, b_id: str, b: ScoreReport) -> Comparison:
    changes: list[Change] = []
    names = [s.name for s in a.sections] + [s.name for s in b.sections if a.section(s.name) is None]
    for name in names:
        changes += _section_changes(name, a.section(name), b.section(name))
    changes.append(_closer("overall", "total time", a.duration_s, b.duration_s, (a.total_min_s, a.total_max_s),
                           (b.total_min_s, b.total_max_s), "s", TIME_SLACK_S))
    cov_a, cov_b = _coverage(a), _coverage(b)
    changes.append(Change("overall", "phrase coverage", f"{cov_a:.0%}", f"{cov_b:.0%}",
                          _outcome(cov_b - cov_a, 1e-9)))
    changes.append(Change("overall", "fillers/min", f"{a.fillers_per_min:g}", f"{b.fillers_per_min:g}",
                          _outcome(a.fillers_per_min - b.fillers_per_min, RATE_SLACK)))
    changes.append(_closer("overall", "WPM", a.wpm, b.wpm, a.comfortable_wpm, b.comfortable_wpm, "", WPM_SLACK))
    we_a, we_b = _we_share(a), _we_share(b)
    changes.append(Change("overall", '"we" share', f"{we_a:.0%}", f"{we_b:.0%}", _outcome(we_a - we_b, 0.05)))
    changes.append(Change("overall", "red flags", str(len(a.red_flags)), str(len(b.red_flags)),
                          _outcome(len(a.red_flags) - len(b.red_flags), 0)))
    if a.probe_findings or b.probe_findings:
        sa, sb = _strong_probes(a), _strong_probes(b)
        changes.append(Change("overall", "strong probe replies", f"{sa}/{len(a.probe_findings)}",
                              f"{sb}/{len(b.probe_findings)}", _outcome(sb - sa, 0)))
    changes += _sound_changes(a, b)
    hire_a, hire_b = a.verdict == HireVerdict.HIRE, b.verdict == HireVerdict.HIRE
    changes.append(Change("overall", "verdict", a.verdict, b.verdict, _outcome(int(hire_b) - int(hire_a), 0)))
    return Comparison(a_id, b_id, tuple(changes), a.partial, b.partial)


def _sound_changes(a: ScoreReport, b: ScoreReport) -> list[Change]:
    """Pitch variation (more is livelier) and loudness (better until it clears the too-quiet level)."""
    pa, pb = a.prosody, b.prosody
    if pa is None or pb is None:
        return []
    out = []
    if pa.pitch_spread_semitones is not None and pb.pitch_spread_semitones is not None:
        out.append(Change("overall", "pitch variation", f"{pa.pitch_spread_semitones:.1f} st",
                          f"{pb.pitch_spread_semitones:.1f} st",
                          _outcome(pb.pitch_spread_semitones - pa.pitch_spread_semitones, PITCH_SLACK_SEMITONES)))
    if pa.loudness_dbfs is not None and pb.loudness_dbfs is not None:
        gain = min(pb.loudness_dbfs, QUIET_DBFS) - min(pa.loudness_dbfs, QUIET_DBFS)
        out.append(Change("overall", "loudness", f"{pa.loudness_dbfs:.0f} dBFS", f"{pb.loudness_dbfs:.0f} dBFS",
                          _outcome(gain, LOUDNESS_SLACK_DB)))
    return out


def _section_changes(name: str, a: SectionReport | None, b: SectionReport | None) -> list[Change]:
    if a is None or b is None:
        return [Change(name, "section", "asked" if a else "-", "asked" if b else "-", "same")]
    out = [
        _closer(name, "time", a.duration_s, b.duration_s, (a.target_s - a.tolerance_s, a.target_s + a.tolerance_s),
                (b.target_s - b.tolerance_s, b.target_s + b.tolerance_s), "s", TIME_SLACK_S),
        Change(name, "verdict", a.verdict, b.verdict, _verdict_outcome(a.verdict, b.verdict)),
    ]
    gained = [p for p in b.phrases_hit if p not in a.phrases_hit]
    lost = [p for p in a.phrases_hit if p not in b.phrases_hit]
    total_a = len(a.phrases_hit) + len(a.phrases_missed)
    total_b = len(b.phrases_hit) + len(b.phrases_missed)
    out.append(Change(name, "phrases", f"{len(a.phrases_hit)}/{total_a}", f"{len(b.phrases_hit)}/{total_b}",
                      _outcome(len(b.phrases_hit) - len(a.phrases_hit), 0)))
    for p in gained:
        out.append(Change(name, f'said "{p}"', "missed", "hit", "better"))
    for p in lost:
        out.append(Change(name, f'said "{p}"', "hit", "missed", "worse"))
    return out


def _closer(section: str, measure: str, a: float, b: float, band_a: tuple[float, float], band_b: tuple[float, float],
            unit: str, slack: float) -> Change:
    """Better when b is nearer its band than a was to its own (on target counts as distance 0)."""
    da, db = _distance(a, band_a), _distance(b, band_b)
    return Change(section, measure, f"{a:.0f}{unit}", f"{b:.0f}{unit}", _outcome(da - db, slack))


def _verdict_outcome(a: str, b: str) -> str:
    if a == b:
        return "same"
    if b == SectionVerdict.ON_TARGET:
        return "better"
    if a == SectionVerdict.ON_TARGET or b == SectionVerdict.MISSING:
        return "worse"
    return "better" if a == SectionVerdict.MISSING else "same"


def _outcome(gain: float, slack: float) -> str:
    return "better" if gain > slack else "worse" if gain < -slack else "same"


def _distance(value: float, band: tuple[float, float]) -> float:
    lo, hi = band
    return lo - value if value < lo else value - hi if value > hi else 0.0


def _coverage(r: ScoreReport) -> float:
    hit = sum(len(s.phrases_hit) for s in r.sections)
    total = hit + sum(len(s.phrases_missed) for s in r.sections)
    return hit / total if total else 0.0


def _we_share(r: ScoreReport) -> float:
    i, we = r.pronouns.get("i", 0), r.pronouns.get("we", 0)
    return we / (i + we) if i + we else 0.0


def _strong_probes(r: ScoreReport) -> int:
    return sum(1 for p in r.probe_findings if p.verdict == ProbeVerdict.STRONG)
