"""Follow-up probes chosen by what the answer left open, said the way an interviewer says them, and each
reply judged against the gap that called for it.

    chosen = choose_followups(question, report, limit=3)    # most important gap first
    finding = judge_reply(chosen[0], question, transcript)  # did the reply close the gap?

A gap is a finding of the verdict (analysis/verdict.py: Decision.gaps), so a gap the answer closed is
never asked about. Each gap takes the question's own probe on that topic when it has one (not for an own
story: those probes name the model story's details), else a template per gap that quotes the
candidate's own clause where the gap showed ("You said 'we traced it to the retries'. What did you do
yourself?"). Pure: no I/O, no models.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..asr.transcript import Transcript, Word
from ..bank.model import Probe, Question
from .credit.claims import own_actions
from .credit.phonetic import stem
from .probes import score_probe
from .report_data import ProbeFinding, ReportWord, ScoreReport
from .sections import CUES
from .text import words_of
from .verdicts import HANDOFF_GAPS, OWNERSHIP_GAPS, Gap, ProbeVerdict

DEFAULT_PROBES = {"sde1": 2, "sde2": 3, "senior": 4}
FALLBACK_PROBES = 3
MAX_QUOTE_WORDS = 10  # a quote plus its question stays under 10 s to say
# which of a question's own probes speaks to a gap, by what the probe tests (the bank's `probes` line)
GAP_TOPICS: dict[Gap, tuple[str, ...]] = {
    Gap.HANDOFF: ("ownership", "escalation", "responsibility"),
    Gap.RED_FLAG: ("ownership", "escalation", "responsibility"),
    Gap.WE: ("ownership",),
    # the bank's probes on depth, impact and scope presume the steps, the number or the fix were given:
    # for these gaps the interviewer asks for them plainly
    Gap.THIN_ACTION: (),
    Gap.NO_METRIC: (),
    Gap.NO_SCOPE: (),
    Gap.NO_REFLECTION: ("self-awareness", "improvement", "differently", "mistakes"),
}
# (with a quote, without): said by the interviewer when the question has no probe for the gap
TEMPLATES: dict[Gap, tuple[str, str]] = {
    Gap.HANDOFF: ('You said "{quote}". What was your own part in that?',
                  "Who did the work in the end, and what was your own part in it?"),
    Gap.RED_FLAG: ('You said "{quote}". What did you do about it yourself?',
                   "What was your own part in the fix?"),
    Gap.WE: ('You said "{quote}". What did you do yourself?', "You said \"we\" a lot. What did you do yourself?"),
    Gap.THIN_ACTION: ("Walk me through the steps you took yourself, one by one.",
                      "Walk me through the steps you took yourself, one by one."),
    Gap.NO_METRIC: ("How did you measure the result? What number changed, and by how much?",
                    "How did you measure the result? What number changed, and by how much?"),
    Gap.NO_SCOPE: ("Whose job was this, and did anyone ask you to do it?",
                   "Whose job was this, and did anyone ask you to do it?"),
    Gap.NO_REFLECTION: ("Looking back, what would you do differently?",
                        "Looking back, what would you do differently?"),
}


@dataclass(frozen=True)
class FollowUp:
    gap: Gap | None  # None: a question of depth asked of an answer with no gap
    asked: str  # what the interviewer says
    probe: Probe | None = None  # the question's own probe, when one speaks to the gap
    quote: str = ""  # the candidate's words quoted in `asked`


def default_limit(level: str | None) -> int:
    return DEFAULT_PROBES.get(level or "", FALLBACK_PROBES)


def choose_followups(question: Question, report: ScoreReport, *, limit: int | None = None,
                     own_story: bool = False) -> tuple[FollowUp, ...]:
    """The follow-ups to ask, most important gap first, at most `limit` (default by level). An answer
    with no gap gets at most one probe of depth, on a point of the question's own probes it left out."""
    limit = default_limit(report.level) if limit is None else limit
    probes = () if own_story else question.probes
    answer = Transcript(words=tuple(Word(w.text, w.start_s, w.end_s, 1.0) for w in report.words), segments=(),
                        duration_s=report.audio_s, model=report.model)
    used: set[int] = set()
    out: list[FollowUp] = []
    for gap in (Gap(g) for g in report.gaps):
        if len(out) >= limit:
            break
        asked = {f.gap for f in out}
        if gap in asked or (gap in HANDOFF_GAPS and asked & HANDOFF_GAPS):
            continue
        quote = _quote(gap, report)
        # the candidate's own words make the sharpest ownership probe; the question's probe otherwise
        k = None if quote else _probe_for(gap, probes, used, answer.text.lower())
        if k is not None:
            used.add(k)
            out.append(FollowUp(gap, probes[k].question, probes[k], ""))
            continue
        with_quote, plain = TEMPLATES[gap]
        out.append(FollowUp(gap, with_quote.format(quote=quote) if quote else plain, None, quote))
    if not out and limit > 0:  # a probe whose key point the answer already made is not asked
        left_out = [p for p in probes if not score_probe(p, answer).key_phrase_said]
        out.extend(FollowUp(None, p.question, p) for p in left_out[:1])
    return tuple(out)


def judge_reply(followup: FollowUp, question: Question, transcript: Transcript) -> ProbeFinding:
    """The reply scored against its own probe (when it has one) and against the gap: did it close it?"""
    probe = followup.probe or Probe(question=followup.asked, probes=str(followup.gap or ""), weak_answer="",
                                    weak_why="", strong_answer="", key_phrase="",
                                    weak_markers=_weak_markers(followup.gap, question))
    finding = score_probe(probe, transcript)
    _, tokens = words_of(transcript.words)
    norms = [t.norm for t in tokens]
    closed = bool(tokens) and (finding.verdict == ProbeVerdict.STRONG and followup.probe is not None
                               or _closes(followup.gap, norms) and not finding.markers)
    if followup.probe is None:
        verdict = ProbeVerdict.NO_ANSWER if not tokens else ProbeVerdict.STRONG if closed else ProbeVerdict.WEAK
        advice = finding.advice if not tokens else (
            "Closes the gap." if closed else f"Still open: {GAP_HINT.get(followup.gap, 'answer the question asked')}.")
        finding = ProbeFinding(followup.asked, "", closed, finding.coverage, finding.markers, verdict,
                               finding.text, advice)
    return ProbeFinding(finding.question if followup.probe else followup.asked, finding.key_phrase,
                        finding.key_phrase_said, finding.coverage, finding.markers, finding.verdict, finding.text,
                        finding.advice, gap=str(followup.gap or ""), closed=closed)


GAP_HINT = {
    Gap.HANDOFF: "say what you did yourself, not what others did",
    Gap.RED_FLAG: "say what you did yourself, not what others did",
    Gap.WE: 'say what you did yourself, starting with "I"',
    Gap.THIN_ACTION: 'name the steps you took yourself, each starting with "I"',
    Gap.NO_METRIC: "give the number that changed, before and after",
    Gap.NO_SCOPE: "say whose job it was and that nobody asked you",
    Gap.NO_REFLECTION: "name one specific thing you would do differently",
}


def _closes(gap: Gap | None, norms: Sequence[str]) -> bool:
    if gap in OWNERSHIP_GAPS:
        return len(own_actions(norms)) >= (2 if gap == Gap.THIN_ACTION else 1)
    if gap == Gap.NO_METRIC:
        return any(n[:1].isdigit() for n in norms)
    if gap in (Gap.NO_SCOPE, Gap.NO_REFLECTION):
        stems = [stem(n) for n in norms]
        cues = CUES["task" if gap == Gap.NO_SCOPE else "reflection"]
        return any(_contains(stems, [stem(c) for c in cue.split()]) for cue, weight in cues if weight >= 1.0)
    return bool(norms)


def _contains(hay: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(list(hay[i : i + n]) == list(needle) for i in range(len(hay) - n + 1))


def _weak_markers(gap: Gap | None, question: Question) -> tuple[str, ...]:
    """A reply to an ownership gap that repeats the weak answer's hand-off confirms the gap."""
    if gap in OWNERSHIP_GAPS and question.weak_answer is not None:
        return tuple(question.weak_answer.red_flags)
    return ()


def _probe_for(gap: Gap, probes: Sequence[Probe], used: set[int], answer: str) -> int | None:
    """The question's own probe for the gap: one whose weak reply the answer (lower-case text) already
    sounded like first, then one whose topic is the gap's."""
    for k, p in enumerate(probes):
        if k not in used and gap in HANDOFF_GAPS | {Gap.WE} and any(m.lower() in answer for m in p.weak_markers):
            return k
    for k, p in enumerate(probes):
        if k not in used and any(t in p.probes.lower() for t in GAP_TOPICS.get(gap, ())):
            return k
    return None


def _quote(gap: Gap, report: ScoreReport) -> str:
    """The candidate's clause that showed the gap, cut to MAX_QUOTE_WORDS words around the telling words."""
    if gap in HANDOFF_GAPS:
        found = [h for s in report.sections for h in s.handoffs] if gap == Gap.HANDOFF else list(report.red_flags)
        if found:
            return _clause(report.words, found[0].start_s, found[0].end_s)
    if gap == Gap.WE:  # a "we" in the Action says most about who did the work
        we = [w for w in report.words if "we" in w.tags and w.section == "action"] or \
            [w for w in report.words if "we" in w.tags]
        if we:
            return _clause(report.words, we[0].start_s, we[0].end_s)
    return ""


def _clause(words: Sequence[ReportWord], start_s: float, end_s: float) -> str:
    """The words of the clause holding [start_s, end_s]: out to a comma or full stop either side."""
    inside = [i for i, w in enumerate(words) if w.start_s >= start_s - 1e-6 and w.end_s <= end_s + 1e-6]
    if not inside:
        return ""
    a, b = inside[0], inside[-1]
    while a > 0 and not re.search(r"[.,;:?!]$", words[a - 1].text) and b - a < MAX_QUOTE_WORDS - 1:
        a -= 1
    while b + 1 < len(words) and not re.search(r"[.,;:?!]$", words[b].text) and b - a < MAX_QUOTE_WORDS - 1:
        b += 1
    text = " ".join(w.text for w in words[a : b + 1])
    return re.sub(r"[.,;:?!]+$", "", text).strip()

