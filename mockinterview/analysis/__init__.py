"""Sections and findings: pure functions of a Transcript and a Question (no I/O).

Public entry points: `score_answer`, `score_probe`, `speech_onsets`; the report values in `report_data`.
"""

from .pacing import speech_onsets
from .probes import score_probe
from .report_data import (
    AngleFinding,
    FillerEvent,
    Hit,
    PauseEvent,
    ProbeFinding,
    ReportWord,
    ScoreReport,
    SectionReport,
    SignalFinding,
    TimedPhrase,
)
from .score import attach_probes, score_answer

__all__ = [
    "score_answer", "score_probe", "attach_probes", "speech_onsets", "ScoreReport", "SectionReport", "Hit",
    "TimedPhrase", "SignalFinding", "FillerEvent", "PauseEvent", "AngleFinding", "ProbeFinding", "ReportWord",
]
