"""What a question file holds, as frozen values passed down the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

STAR_ORDER: tuple[str, ...] = ("situation", "task", "action", "result", "reflection")
# The levels a question can be scaled to, listed once; a level guide in a question file names one.
Level = Literal["sde1", "sde2", "senior"]
LEVEL_IDS: tuple[str, ...] = get_args(Level)
DEFAULT_LEVEL = "sde2"

# What a strong phrase shows a bar raiser (prompts/README.md). All but the last transfer to any story told
# to the question; a candidate's own story is judged on those, and story-specific phrases are shown as the
# model answer's wording.
SIGNALS: dict[str, str] = {
    "scope": "scope boundary: where your job ended",
    "initiative": "initiative: nobody asked, you decided",
    "ownership-action": "an action you took yourself, in the first person",
    "metric": "a before/after figure",
    "business-value": "what it meant for customers or the business",
    "lesson": "a systemic lesson",
    "story-specific": "a detail of this particular story",
}
STORY_SPECIFIC = "story-specific"

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
    signals: tuple[str, ...] = ()  # one per strong phrase, from SIGNALS
    claims: tuple[str, ...] = ()  # one per strong phrase: what it asserts ("Nothing alerted anyone to the failures.")

    def signal_of(self, phrase: str) -> str:
        for p, signal in zip(self.strong_phrases, self.signals):
            if p == phrase:
                return signal
        return infer_signal(phrase, self.name)

    def claim_of(self, phrase: str) -> str:
        """What the phrase asserts, as the question file states it, or "" when the file has no claims."""
        return next((c for p, c in zip(self.strong_phrases, self.claims) if p == phrase), "")


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


def infer_signal(phrase: str, section: str) -> str:
    """A best guess for files written without `signals` (older stories): enough to judge an own story."""
    words = phrase.lower().replace("'", "").split()
    if any(ch.isdigit() for ch in phrase):
        return "metric" if section in ("result", "situation") else STORY_SPECIFIC
    if words[:1] == ["i"] and section == "action":
        return "ownership-action"
    if section == "reflection":
        return "lesson"
    if {"not", "no", "wasnt", "outside", "nobody"} & set(words):
        return "initiative" if {"nobody", "asked", "assigned"} & set(words) else "scope"
    if words[:1] == ["i"]:
        return "initiative"
    return STORY_SPECIFIC
