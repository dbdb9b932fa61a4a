"""What a question file holds, as frozen values passed down the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

STAR_ORDER: tuple[str, ...] = ("situation", "task", "action", "result", "reflection")
# The levels a question can be scaled to, listed once; a level guide in a question file names one.
Level = Literal["sde1", "sde2", "senior"]
LEVEL_IDS: tuple[str, ...] = get_args(Level)
DEFAULT_LEVEL = "sde2"

# The sixteen Amazon Leadership Principles, slug -> display name.
PRINCIPLES: dict[str, str] = {
    "customer-obsession": "Customer Obsession",
    "ownership": "Ownership",
    "invent-and-simplify": "Invent and Simplify",
    "are-right-a-lot": "Are Right, A Lot",
    "learn-and-be-curious": "Learn and Be Curious",
    "hire-and-develop-the-best": "Hire and Develop the Best",
    "insist-on-the-highest-standards": "Insist on the Highest Standards",
    "think-big": "Think Big",
    "bias-for-action": "Bias for Action",
    "frugality": "Frugality",
    "earn-trust": "Earn Trust",
    "dive-deep": "Dive Deep",
    "have-backbone": "Have Backbone; Disagree and Commit",
    "deliver-results": "Deliver Results",
    "strive-to-be-earths-best-employer": "Strive to be Earth's Best Employer",
    "success-and-scale-bring-broad-responsibility": "Success and Scale Bring Broad Responsibility",
}


@dataclass(frozen=True)
class Section:
    name: str  # one of STAR_ORDER
    target_s: float
    strong_phrases: tuple[str, ...]
    coaching: str
    common_mistake: str
    strong_example: str = ""


@dataclass(frozen=True)
class Probe:
    question: str
    probes: str  # what the probe tests, e.g. "Ownership and cross-team influence"
    weak_answer: str
    weak_why: str
    strong_answer: str
    key_phrase: str
    weak_markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeakAnswer:
    text: str
    flags: tuple[str, ...]
    verdict: str  # what the bar raiser thinks
    verdict_label: str  # e.g. "Leaning No Hire"
    red_flags: tuple[str, ...] = ()  # phrases that mark the weak answer when spoken


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    options: tuple[str, ...]
    correct: int  # index into options
    explanation: str


@dataclass(frozen=True)
class Angle:
    id: str
    principle: str
    lead_with: str
    emphasize: str
    downplay: str
    early_phrases: tuple[str, ...] = ()  # what the answer should say early for this angle


@dataclass(frozen=True)
class LevelGuide:
    id: str  # sde1 | sde2 | senior
    title: str
    total_min_s: float
    total_max_s: float
    focus: str = ""
    reflection: str = ""
    bar: str = ""
    length_note: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    principles: tuple[str, ...]
    question: str
    scenario_overview: str
    scenario_summary: str
    sections: tuple[Section, ...]
    reflections: dict[str, str] = field(default_factory=dict, hash=False)  # level id -> reflection
    probes: tuple[Probe, ...] = ()
    weak_answer: WeakAnswer | None = None
    quiz: tuple[QuizQuestion, ...] = ()
    angles: tuple[Angle, ...] = ()
    levels: tuple[LevelGuide, ...] = ()
    terms: tuple[str, ...] = ()  # domain vocabulary the recogniser should expect
    source_path: str = ""

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    @property
    def total_target_s(self) -> float:
        return sum(s.target_s for s in self.sections)

    def level(self, level_id: str | None) -> LevelGuide | None:
        if level_id is None:
            return None
        return next((g for g in self.levels if g.id == level_id), None)

    def angle(self, angle_id: str | None) -> Angle | None:
        if angle_id is None:
            return None
        return next((a for a in self.angles if a.id == angle_id), None)

    def level_scale(self, level_id: str | None) -> float:
        """Factor that brings the summed section targets inside the level's total band."""
        guide = self.level(level_id)
        total = self.total_target_s
        if guide is None or total <= 0:
            return 1.0
        if total > guide.total_max_s:
            return guide.total_max_s / total
        if total < guide.total_min_s:
            return guide.total_min_s / total
        return 1.0

    def targets_s(self, level_id: str | None = None) -> dict[str, float]:
        scale = self.level_scale(level_id)
        return {s.name: round(s.target_s * scale, 1) for s in self.sections}
