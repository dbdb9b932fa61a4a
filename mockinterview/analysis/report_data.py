"""The score report as frozen values, JSON-ready through `to_dict()`/`from_dict()`.

Field names are the stable JSON schema (docs/json-schema.md); add fields, never rename them.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any

from ..plain import to_plain


@dataclass(frozen=True)
class Hit:
    phrase: str  # exactly as written in the question file
    words: tuple[str, ...]  # the spoken tokens that matched
    start_s: float
    end_s: float
    score: float
    section: str  # where it was said
    misplaced: bool  # said in another section than the one it belongs to
    method: str = "exact"  # exact | fuzzy (the phrase's words, heard loosely) | meaning (other words)
    said: str = ""  # the words that earned it, as spoken
    signal: str = ""  # what the phrase shows (bank.model.SIGNALS)


@dataclass(frozen=True)
class SignalFinding:
    """A transferable signal a section should show (scope, initiative, ...), and what showed it."""

    signal: str
    met: bool
    evidence: str  # "meaning: nobody requested that I look into it", "figure: 45, 8", or ""


@dataclass(frozen=True)
class TimedPhrase:
    """A phrase found in the answer (red flag, hand-off, probe marker): what matched and when."""

    phrase: str
    said: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class SectionReport:
    name: str  # situation | task | action | result | reflection
    start_s: float | None
    end_s: float | None
    duration_s: float
    target_s: float
    verdict: str  # a SectionVerdict: under | on_target | over | missing
    tolerance_s: float
    wpm: float
    word_count: int
    phrases_hit: tuple[str, ...]
    phrases_missed: tuple[str, ...]
    hits: tuple[Hit, ...]
    handoffs: tuple[TimedPhrase, ...]  # "we pulled" where the phrase is "I pulled"
    text: str
    advice: tuple[str, ...]
    model_phrases: tuple[str, ...] = ()  # own story: the model answer's wording, shown but not judged
    signals: tuple[SignalFinding, ...] = ()


@dataclass(frozen=True)
class FillerEvent:
    filler: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class PauseEvent:
    start_s: float
    end_s: float
    duration_s: float


@dataclass(frozen=True)
class AngleFinding:
    phrase: str
    said: bool
    start_s: float | None
    early: bool  # said in the opening third of the answer


@dataclass(frozen=True)
class ProbeFinding:
    question: str
    key_phrase: str
    key_phrase_said: bool
    coverage: float  # share of the key phrase's words heard, 0..1
    markers: tuple[TimedPhrase, ...]  # weak-answer markers heard
    verdict: str  # a ProbeVerdict: strong | weak | mixed | no_answer
    text: str
    advice: str
    gap: str = ""  # the Gap that called for this probe, "" for a probe asked in file order or of depth
    closed: bool | None = None  # did the reply close that gap (None: no gap to close)


@dataclass(frozen=True)
class ReportWord:
    text: str
    start_s: float
    end_s: float
    section: str  # "" when before any section
    tags: tuple[str, ...]  # filler, i, we, phrase, red_flag, handoff


@dataclass(frozen=True)
class ProsodySection:
    """How one STAR section sounded, from the audio (not the transcript)."""

    name: str
    voiced_s: float  # time with a pitch (vowels, voiced consonants)
    pitch_median_hz: float | None  # None: too little voiced speech to judge
    pitch_spread_semitones: float | None  # std of f0 in semitones re: the answer's median
    loudness_dbfs: float | None  # RMS over speech-active frames


@dataclass(frozen=True)
class TimeSpan:
    start_s: float
    end_s: float
    value: float  # what was measured there (semitones, dBFS or dB of drop, per the finding)


@dataclass(frozen=True)
class ProsodyFinding:
    kind: str  # monotone | too_quiet | fading_ends
    text: str  # one line of advice with the figures
    spans: tuple[TimeSpan, ...]  # the evidence: where it happened, and what was measured there


@dataclass(frozen=True)
class ProsodyReport:
    tracker: str  # the pitch tracker that made the figures
    pitch_median_hz: float | None
    pitch_spread_semitones: float | None  # std over the whole answer's voiced frames
    pitch_range_semitones: float | None  # 10th to 90th percentile
    flattest_window_semitones: float | None  # the lowest spread over any 20 s window
    loudness_dbfs: float | None  # RMS over speech-active frames
    peak_dbfs: float  # the loudest 100 ms block: the figure the mic check and the live "Louder" cue judge
    sentence_end_drop_db: float | None  # median over sentences: their start's level minus their end's
    sections: tuple[ProsodySection, ...]
    findings: tuple[ProsodyFinding, ...]
    contour_step_s: float  # the contour below has one point per step
    contour_pitch_semitones: tuple[float | None, ...]  # re: pitch_median_hz; None where unvoiced
    contour_loudness_dbfs: tuple[float | None, ...]  # None where nothing is said


@dataclass(frozen=True)
class ScoreReport:
    question_id: str
    level: str | None
    angle: str | None
    duration_s: float  # spoken time: first word to last word
    audio_s: float
    total_target_s: float
    total_min_s: float
    total_max_s: float
    total_verdict: str  # a SectionVerdict: under | on_target | over
    wpm: float
    pace: str  # comfortable | a little fast | too fast | ...
    comfortable_wpm: tuple[float, float]
    word_count: int
    fillers: dict[str, int]
    filler_events: tuple[FillerEvent, ...]
    fillers_per_min: float
    pauses: tuple[PauseEvent, ...]
    pronouns: dict[str, int]  # {"i": n, "we": n}
    we_sentences: tuple[str, ...]
    result_has_numbers: bool
    result_numbers: tuple[str, ...]
    red_flags: tuple[TimedPhrase, ...]
    sections: tuple[SectionReport, ...]
    verdict: str  # a HireVerdict: "Leaning hire" | "Leaning no hire"
    reasons: tuple[str, ...]  # the three most important, on the verdict's side
    angle_findings: tuple[AngleFinding, ...]
    probe_findings: tuple[ProbeFinding, ...]
    words: tuple[ReportWord, ...]
    segmentation: str  # "marks" | "automatic"
    model: str
    own_story: bool = False  # the candidate told their own story to this question
    prosody: ProsodyReport | None = None  # from the audio; None when no audio was analysed
    despite: str = ""  # the strongest point on the other side of the verdict, or ""
    gaps: tuple[str, ...] = ()  # Gap values the answer left open, most important first
    partial: str = ""  # where the attempt was stopped early ("during the answer"); "" when it ran to the end

    def section(self, name: str) -> SectionReport | None:
        return next((s for s in self.sections if s.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreReport:
        return _from_plain(cls, data)


def _from_plain(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if value is None:
        return None
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _from_plain(args[0], value)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _from_plain(hints[k], v) for k, v in value.items() if k in names})
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_plain(args[0], v) for v in value)
        return tuple(_from_plain(a, v) for a, v in zip(args, value))
    if origin is dict:
        _, vt = typing.get_args(tp)
        return {k: _from_plain(vt, v) for k, v in value.items()}
    return value
