"""History rows: what the database keeps of one attempt, built from its saved settings and its
ScoreReport (the report data types, so the report's schema is written down once, in analysis)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..attempts import REPORT_FILE, AttemptStatus, audio_names, read_info, read_report_data
from ..errors import HistoryError

if TYPE_CHECKING:
    from ..analysis.report_data import ScoreReport


@dataclass(frozen=True)
class SectionRow:
    name: str
    duration_s: float
    target_s: float
    verdict: str  # a SectionVerdict: under | on_target | over | missing
    phrases_hit: int
    phrases_total: int


@dataclass(frozen=True)
class AttemptRow:
    id: str
    question_id: str
    mode: str
    started_at: str  # ISO 8601, UTC
    status: str
    level: str | None = None
    angle: str | None = None
    duration_s: float | None = None  # None: never scored (interrupted, study)
    total_target_s: float | None = None
    total_min_s: float | None = None
    total_max_s: float | None = None
    total_verdict: str | None = None
    phrases_hit: int | None = None
    phrases_total: int | None = None
    wpm: float | None = None
    fillers_per_min: float | None = None
    i_count: int | None = None
    we_count: int | None = None
    verdict: str | None = None
    probes_strong: int | None = None  # schema v2
    probes_total: int | None = None  # schema v2
    pitch_spread_semitones: float | None = None  # schema v3; None: no audio analysed
    loudness_dbfs: float | None = None  # schema v3
    folder: str = ""  # relative to the data directory
    audio: tuple[str, ...] = ()  # file names inside the folder
    report: str | None = None  # file name inside the folder
    sections: tuple[SectionRow, ...] = ()
    audio_missing: bool = False  # computed when read, never stored

    @property
    def partial(self) -> bool:
        """Scored, but stopped early: its measures cover only part of an answer."""
        return self.status == AttemptStatus.INTERRUPTED and self.duration_s is not None

    @property
    def coverage(self) -> float | None:
        if not self.phrases_total:
            return None
        return (self.phrases_hit or 0) / self.phrases_total

    def section(self, name: str) -> SectionRow | None:
        return next((s for s in self.sections if s.name == name), None)

    def audio_paths(self, data_dir: Path) -> list[Path]:
        return [data_dir / self.folder / name for name in self.audio]

    def report_path(self, data_dir: Path) -> Path | None:
        return data_dir / self.folder / self.report if self.report else None

    def to_dict(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies and takes half a second for 1,000 rows
        data = {c: getattr(self, c) for c in COLUMNS}
        data["audio"] = list(self.audio)
        data["sections"] = [dict(vars(s)) for s in self.sections]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AttemptRow:
        names = {f.name for f in fields(cls)} - {"audio_missing"}
        values = {k: v for k, v in data.items() if k in names}
        values["audio"] = tuple(values.get("audio") or ())
        values["sections"] = tuple(SectionRow(**s) for s in values.get("sections") or ())
        return cls(**values)


COLUMNS = [f.name for f in fields(AttemptRow) if f.name not in ("sections", "audio_missing")]

def row_from_folder(data_dir: Path, attempt_dir: Path) -> AttemptRow:
    """The history row of one attempt folder: settings from its info, measures from its report."""
    info = read_info(attempt_dir, strict=False)
    if info is None:
        raise HistoryError(f"{attempt_dir}: not an attempt folder (no readable attempt settings)")
    try:
        folder = attempt_dir.resolve().relative_to(Path(data_dir).resolve()).as_posix()
    except ValueError:
        folder = str(attempt_dir.resolve())  # outside the data dir: keep the absolute path
    base = dict(
        id=info["id"], question_id=info["question_id"], mode=info.get("mode", ""),
        started_at=info.get("started_at", ""), status=info.get("status", ""),
        level=info.get("level"), angle=info.get("angle"), folder=folder, audio=audio_names(attempt_dir, info),
    )
    report = saved_report(attempt_dir)
    if report is None:
        return AttemptRow(**base)
    sections = tuple(
        SectionRow(s.name, s.duration_s, s.target_s, s.verdict, len(s.phrases_hit),
                   len(s.phrases_hit) + len(s.phrases_missed))
        for s in report.sections
    )
    strong, total = probe_counts(report)
    pitch, loudness = sound_figures(report)
    return AttemptRow(
        **base,
        duration_s=report.duration_s, total_target_s=report.total_target_s,
        total_min_s=report.total_min_s, total_max_s=report.total_max_s,
        total_verdict=report.total_verdict,
        phrases_hit=sum(s.phrases_hit for s in sections), phrases_total=sum(s.phrases_total for s in sections),
        wpm=report.wpm, fillers_per_min=report.fillers_per_min,
        i_count=report.pronouns.get("i", 0), we_count=report.pronouns.get("we", 0), verdict=report.verdict,
        probes_strong=strong, probes_total=total, report=REPORT_FILE, sections=sections,
        pitch_spread_semitones=pitch, loudness_dbfs=loudness,
    )


def saved_report(attempt_dir: Path) -> ScoreReport | None:
    """The folder's report; None when it was never scored. A report this version cannot read is an error."""
    data = read_report_data(attempt_dir, strict=False)
    if data is None:
        return None
    # here, not at the top: the analysis package pulls in numpy, which listing the history never needs
    from ..analysis.report_data import ScoreReport

    try:
        return ScoreReport.from_dict(data)
    except (TypeError, KeyError, AttributeError) as exc:
        raise HistoryError(f"{attempt_dir}: the saved report is not one this version reads: {exc}") from exc


def probe_counts(report: ScoreReport) -> tuple[int, int]:
    from ..analysis.verdicts import ProbeVerdict

    findings = report.probe_findings
    return sum(1 for p in findings if p.verdict == ProbeVerdict.STRONG), len(findings)


def sound_figures(report: ScoreReport) -> tuple[float | None, float | None]:
    """Pitch variation and loudness over the answer; None when no audio was analysed."""
    p = report.prosody
    return (p.pitch_spread_semitones, p.loudness_dbfs) if p is not None else (None, None)
