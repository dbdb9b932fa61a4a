"""The verdicts a report gives, defined once. StrEnum members equal their saved strings, so the saved report
and the history database keep the plain values ("on_target", "no_answer")."""

from __future__ import annotations

from enum import StrEnum


class SectionVerdict(StrEnum):
    """Time spoken in a STAR section (or the whole answer) against its target."""

    UNDER = "under"
    ON_TARGET = "on_target"
    OVER = "over"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return SECTION_LABEL[self]


SECTION_LABEL = {
    SectionVerdict.UNDER: "under",
    SectionVerdict.ON_TARGET: "on target",
    SectionVerdict.OVER: "over",
    SectionVerdict.MISSING: "missing",
}


class HireVerdict(StrEnum):
    """Where the answer leaves a bar raiser (analysis/verdict.py weighs it)."""

    HIRE = "Leaning hire"
    NO_HIRE = "Leaning no hire"


class Gap(StrEnum):
    """What an answer left open, by the verdict's findings: what a follow-up probe digs into
    (analysis/followups.py), most important first as the verdict weighs them."""

    RED_FLAG = "red_flag"
    HANDOFF = "handoff"
    THIN_ACTION = "thin_action"
    NO_METRIC = "no_metric"
    NO_SCOPE = "no_scope"
    WE = "we"
    NO_REFLECTION = "no_reflection"


# who did the work: a first-person action closes these, a hand-off said again confirms them
OWNERSHIP_GAPS = (Gap.RED_FLAG, Gap.HANDOFF, Gap.THIN_ACTION, Gap.WE)
# the weak answer's words and a hand-off to others are one question: asking or closing one does both
HANDOFF_GAPS = frozenset({Gap.RED_FLAG, Gap.HANDOFF})

GAP_LABEL = {
    Gap.RED_FLAG: "sounded like the weak answer",
    Gap.HANDOFF: "handed the work to others",
    Gap.THIN_ACTION: "few things done yourself",
    Gap.NO_METRIC: "no number in the result",
    Gap.NO_SCOPE: "no scope boundary",
    Gap.WE: '"we" more than "I"',
    Gap.NO_REFLECTION: "no reflection",
}


class ProbeVerdict(StrEnum):
    """How a reply to a follow-up probe went."""

    STRONG = "strong"
    WEAK = "weak"
    MIXED = "mixed"
    NO_ANSWER = "no_answer"


PROBE_LABEL = {
    ProbeVerdict.STRONG: "strong",
    ProbeVerdict.WEAK: "weak",
    ProbeVerdict.MIXED: "mixed",
    ProbeVerdict.NO_ANSWER: "no answer",
}


def section_label(verdict: str) -> str:
    """The words for a saved verdict; an unknown one (a newer report) is shown as saved."""
    try:
        return SECTION_LABEL[SectionVerdict(verdict)]
    except ValueError:
        return verdict
