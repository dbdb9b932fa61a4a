"""The verdict and its reasons, weighed the way a bar raiser debriefs: ownership, first-person action,
numbers, and the structure of the story (a long set-up with a thin Action is a weak answer however
well the phrases land).

Each finding has a signed weight; any finding at -2.5 or worse means "Leaning no hire". The reasons
shown are the three weightiest on the side of the verdict, and a "Leaning hire" still shows its most
important negative when there is one worth fixing (weight -1.5 or worse).
"""

from __future__ import annotations

from typing import Sequence

from .report_data import SectionReport, TimedPhrase
from .verdicts import SectionVerdict

SITUATION_FAR_OVER = 1.5  # Situation at this many times its target buries the story in set-up
ACTION_FAR_UNDER = 0.5  # Action under this share of its target leaves no room for what you did
OTHER_FAR_OVER = 2.0
DEAL_BREAKER = -2.5
WORTH_FIXING = -1.5


def _figures(s: SectionReport, verb: str) -> str:
    return f"{s.name.title()} {verb} {s.duration_s:.0f} s of {s.target_s:g} s"


def structure_findings(by: dict[str, SectionReport]) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    sit, act = by.get("situation"), by.get("action")
    long_setup = sit is not None and sit.verdict == SectionVerdict.OVER and sit.duration_s >= SITUATION_FAR_OVER * sit.target_s
    thin_action = act is not None and act.verdict == SectionVerdict.UNDER and act.duration_s <= ACTION_FAR_UNDER * act.target_s
    if long_setup and thin_action:
        out.append((-3.5, f"{_figures(sit, 'ran')}; {_figures(act, 'got')}: mostly set-up, too little of what you did."))
    elif long_setup:
        out.append((-2.5, f"{_figures(sit, 'ran')}: the set-up crowds out what you did."))
    elif thin_action:
        out.append((-2.5, f"{_figures(act, 'got')}: too little on what you did yourself."))
    for name in ("task", "result"):
        s = by.get(name)
        if s is not None and s.verdict == SectionVerdict.OVER and s.duration_s >= OTHER_FAR_OVER * s.target_s:
            out.append((-0.8, f"{_figures(s, 'ran')}."))
    refl = by.get("reflection")
    if refl is not None and refl.verdict == SectionVerdict.MISSING:
        out.append((-1.5, "No Reflection: nothing on what you learned or would change."))
    return out


def decide(sections: Sequence[SectionReport], red: Sequence[TimedPhrase], pronouns: dict[str, int],
           numbers: Sequence[str], total_verdict: str, speech_s: float, lo: float, hi: float,
           fillers_per_min: float = 0.0, own_story: bool = False) -> tuple[str, list[str]]:
    by = {s.name: s for s in sections}
    reasons: list[tuple[float, str]] = structure_findings(by)  # (signed weight, text)

    def add(weight: float, text: str) -> None:
        reasons.append((weight, text))

    task = by.get("task")
    scope = [f for s in sections for f in s.signals if f.signal in ("scope", "initiative") and f.met]
    if task and task.phrases_hit:
        add(2.0, f"States the scope boundary ({', '.join(repr(p) for p in task.phrases_hit[:2])}).")
    elif scope:
        add(2.0, f"States the scope boundary ({scope[0].evidence}).")
    elif task:
        add(-2.0, "No scope boundary: nothing shows this was beyond your job or unasked.")
    action = by.get("action")
    if action:
        n_hit, n_all = len(action.phrases_hit), len(action.phrases_hit) + len(action.phrases_missed)
        own = next((f for f in action.signals if f.signal == "ownership-action" and f.met), None)
        if action.handoffs:
            add(-2.5, f"Hands the work to others: {', '.join(repr(h.said) for h in action.handoffs[:2])}.")
        if n_all and n_hit / n_all >= 0.5:
            add(2.0, f"Owns the actions in the first person ({n_hit} of {n_all} strong action phrases).")
        elif own is not None and own_story:
            add(2.0, f"Owns the actions in the first person ({own.evidence}).")
        elif n_all:
            add(-1.5, f"Few first-person actions ({n_hit} of {n_all} strong action phrases).")
    if numbers:
        add(2.0, f"Quantified result ({', '.join(numbers[:3])}).")
    elif by.get("result"):
        add(-2.5, "The result has no numbers.")
    if red:
        add(-3.0, f"Weak-answer red flags: {', '.join(repr(r.said) for r in red[:2])}.")
    if pronouns.get("we", 0) > pronouns.get("i", 0):
        add(-1.5, f'Says "we" more than "I" ({pronouns["we"]} vs {pronouns["i"]}).')
    missing = [s.name.title() for s in sections if s.verdict == SectionVerdict.MISSING and s.name != "reflection"]
    if missing:
        add(-1.0 * len(missing), f"Missing: {', '.join(missing)}.")
    refl = by.get("reflection")
    if refl and refl.verdict != SectionVerdict.MISSING and (refl.phrases_hit or any(f.met for f in refl.signals)):
        add(1.0, "Reflection names a specific lesson.")
    if total_verdict == SectionVerdict.OVER:
        add(-0.8, f"Runs long: {speech_s:.0f} s against {lo:g}-{hi:g} s.")
    elif total_verdict == SectionVerdict.UNDER:
        # Far too short means the story lacks the depth a bar raiser probes for.
        add(-2.5 if speech_s < 0.6 * lo else -0.8, f"Too short: {speech_s:.0f} s against {lo:g}-{hi:g} s.")
    # Listeners barely notice up to ~5 fillers a minute; harm concentrates around 12 (Laske et al. 2024).
    if fillers_per_min >= 12:
        add(-2.5, f"Heavy fillers: {fillers_per_min:.0f} per minute.")
    elif fillers_per_min > 5:
        add(-0.8, f"Noticeable fillers: {fillers_per_min:.0f} per minute.")
    score = sum(w for w, _ in reasons)
    hire = score > 0 and not any(w <= DEAL_BREAKER for w, _ in reasons)
    negatives = sorted((r for r in reasons if r[0] < 0), key=lambda r: r[0])
    positives = sorted((r for r in reasons if r[0] > 0), key=lambda r: -r[0])
    if hire:
        worst = [r for r in negatives[:1] if r[0] <= WORTH_FIXING]
        chosen = positives[: 3 - len(worst)] + worst
    else:
        chosen = (negatives + positives)[:3]
    return ("Leaning hire" if hire else "Leaning no hire"), [text for _, text in chosen]
