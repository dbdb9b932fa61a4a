"""The verdict and its reasons, weighed the way a bar raiser debriefs: on content. The seed's bar raiser
turns down the weak answer for what it says ("fails on content": a hand-off, implied "we", zero
quantification), not for how long it took; a fast speaker says seven concrete actions in 40 s.

So the findings that decide are: the scope boundary, first-person concrete actions (counted, not timed),
hand-offs and red flags, numbers in the Result, "we" over "I", sections not said, a specific lesson, and
heavy fillers. Section timing is pacing advice in the report and decides the verdict only when extreme:
a Situation over half the answer, or a whole answer under 40% of its target.

Each finding has a signed weight; any finding at -2.5 or worse, or a sum at or under zero, means
"Leaning no hire". The reasons shown are the three weightiest on the verdict's side; the strongest point
on the other side is shown apart ("Despite: ...").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .report_data import ProbeFinding, SectionReport, TimedPhrase
from .verdicts import HANDOFF_GAPS, OWNERSHIP_GAPS, Gap, HireVerdict, SectionVerdict

SITUATION_MAX_SHARE = 0.5  # a Situation over half the answer buries the story in set-up
TOO_SHORT_SHARE = 0.4  # an answer under this share of its target has no room for the story
THIN_ACTIONS = 2  # fewer distinct things done in the first person than this is a thin Action
FEW_ACTIONS = 3
DEAL_BREAKER = -2.5
SHOWN = 3
SUPPLIED_WHEN_ASKED = -1.0  # a gap the candidate closed only when a follow-up dug into it
CONFIRMED_WHEN_ASKED = -1.0  # a hand-off the reply confirmed ("they handled it")


@dataclass(frozen=True)
class Decision:
    verdict: HireVerdict
    reasons: tuple[str, ...]  # on the verdict's side, weightiest first
    despite: str  # the strongest point on the other side, or ""
    gaps: tuple[Gap, ...] = ()  # what the answer left open, weightiest first (follow-ups dig there)


def structure_findings(by: dict[str, SectionReport], speech_s: float, total_target_s: float) -> list[tuple[float, str]]:
    """Timing findings extreme enough to decide the verdict (the rest is pacing advice)."""
    out: list[tuple[float, str]] = []
    sit = by.get("situation")
    if sit is not None and sit.verdict != SectionVerdict.MISSING and sit.duration_s > SITUATION_MAX_SHARE * speech_s:
        out.append((-2.5, f"The Situation takes {sit.duration_s:.0f} s of the {speech_s:.0f} s answer: "
                          "mostly set-up, too little of what you did."))
    if total_target_s and speech_s < TOO_SHORT_SHARE * total_target_s:
        out.append((-2.5, f"Far too short: {speech_s:.0f} s against a {total_target_s:g} s target leaves no room for the story."))
    return out


def decide(sections: Sequence[SectionReport], red: Sequence[TimedPhrase], pronouns: dict[str, int],
           numbers: Sequence[str], speech_s: float, total_target_s: float, actions: Sequence[str],
           fillers_per_min: float = 0.0, own_story: bool = False,
           probe_findings: Sequence[ProbeFinding] = ()) -> Decision:
    """`actions`: the distinct things the candidate said they did in the first person in the Action
    (score.py: from its clauses, with bystander verbs and plans left out). `probe_findings`: replies to
    follow-ups that dug into a gap: a gap closed when asked weighs SUPPLIED_WHEN_ASKED, and a hand-off
    the reply confirmed adds CONFIRMED_WHEN_ASKED."""
    by = {s.name: s for s in sections}
    reasons: list[tuple[float, str]] = structure_findings(by, speech_s, total_target_s)  # (signed weight, text)
    gaps: dict[Gap, float] = {}
    closed = {Gap(f.gap) for f in probe_findings if f.gap and f.closed}
    if closed & HANDOFF_GAPS:
        closed |= HANDOFF_GAPS

    def add(weight: float, text: str, gap: Gap | None = None) -> None:
        if gap is not None:
            gaps[gap] = min(weight, gaps.get(gap, 0.0))
            if gap in closed:
                weight, text = max(weight, SUPPLIED_WHEN_ASKED), f"{text.rstrip('.')} (supplied when asked)."
        reasons.append((weight, text))

    task = by.get("task")
    scope = [f for s in sections for f in s.signals if f.signal in ("scope", "initiative") and f.met]
    if task and task.phrases_hit:
        add(2.0, f"States the scope boundary ({', '.join(repr(p) for p in task.phrases_hit[:2])}).")
    elif scope:
        add(2.0, f"States the scope boundary ({scope[0].evidence}).")
    elif task:
        add(-2.0, "No scope boundary: nothing shows this was beyond your job or unasked.", Gap.NO_SCOPE)
    action = by.get("action")
    if action:
        n_hit, n_all = len(action.phrases_hit), len(action.phrases_hit) + len(action.phrases_missed)
        named = ", ".join(actions[:4])
        if action.handoffs:
            add(-2.5, f"Hands the work to others: {', '.join(repr(h.said) for h in action.handoffs[:2])}.", Gap.HANDOFF)
        if n_all and n_hit / n_all >= 0.5:
            add(2.0, f"Owns the actions in the first person ({n_hit} of {n_all} strong action phrases).")
        elif len(actions) >= FEW_ACTIONS:
            add(2.0, f"Owns the actions in the first person ({len(actions)} things you did: {named}).")
        elif action.verdict != SectionVerdict.MISSING and len(actions) < THIN_ACTIONS:
            add(-2.5, "Thin Action: " + (f"only one thing you did yourself ({named})." if actions else
                                          "nothing said as done by you yourself."), Gap.THIN_ACTION)
        else:
            add(-1.5, f"Few first-person actions ({len(actions)}: {named}).", Gap.THIN_ACTION)
    if numbers:
        add(2.0, f"Quantified result ({', '.join(numbers[:3])}).")
    elif by.get("result"):
        add(-2.5, "The result has no numbers.", Gap.NO_METRIC)
    if red:
        add(-3.0, f"Weak-answer red flags: {', '.join(repr(r.said) for r in red[:2])}.", Gap.RED_FLAG)
    if pronouns.get("we", 0) > pronouns.get("i", 0):
        add(-1.5, f'Says "we" more than "I" ({pronouns["we"]} vs {pronouns["i"]}).', Gap.WE)
    missing = [s.name.title() for s in sections if s.verdict == SectionVerdict.MISSING and s.name != "reflection"]
    if missing:
        add(-1.0 * len(missing), f"Missing: {', '.join(missing)}.")
    refl = by.get("reflection")
    if refl and refl.verdict != SectionVerdict.MISSING and (refl.phrases_hit or any(f.met for f in refl.signals)):
        add(1.0, "Reflection names a specific lesson.")
    elif refl is not None and refl.verdict == SectionVerdict.MISSING:
        add(-1.5, "No Reflection: nothing on what you learned or would change.", Gap.NO_REFLECTION)
    confirmed = [f for f in probe_findings if f.gap in OWNERSHIP_GAPS and f.markers and not f.closed]
    if confirmed:
        add(CONFIRMED_WHEN_ASKED, f"Confirmed the hand-off when asked: {', '.join(repr(m.said) for m in confirmed[0].markers[:2])}.")
    # Listeners barely notice up to ~5 fillers a minute; harm concentrates around 12 (Laske et al. 2024).
    if fillers_per_min >= 12:
        add(-2.5, f"Heavy fillers: {fillers_per_min:.0f} per minute.")
    elif fillers_per_min > 5:
        add(-0.8, f"Noticeable fillers: {fillers_per_min:.0f} per minute.")
    score = sum(w for w, _ in reasons)
    hire = score > 0 and not any(w <= DEAL_BREAKER for w, _ in reasons)
    negatives = sorted((r for r in reasons if r[0] < 0), key=lambda r: r[0])
    positives = sorted((r for r in reasons if r[0] > 0), key=lambda r: -r[0])
    side, other = (positives, negatives) if hire else (negatives, positives)
    open_gaps = tuple(g for g, _ in sorted(gaps.items(), key=lambda kv: kv[1]) if g not in closed)
    return Decision(HireVerdict.HIRE if hire else HireVerdict.NO_HIRE, tuple(t for _, t in side[:SHOWN]),
                    other[0][1] if other else "", open_gaps)
