"""Score one answer: sections, strong phrases, timing, pacing, red flags and a verdict, as a ScoreReport.

Pure: a Question and a Transcript in, a frozen report out. The command layer does the I/O.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..asr.transcript import Transcript
from ..bank.model import Probe, Question
from ..errors import NoSpeechError
from . import pacing
from .credit.claims import own_actions
from .credit.answer import SectionCredit, credit_answer
from .credit.matcher import PhraseHit, find_all
from .probes import score_probe
from .report_data import (
    AngleFinding,
    FillerEvent,
    Hit,
    ProbeFinding,
    ReportWord,
    ScoreReport,
    SectionReport,
    TimedPhrase,
)
from .section_model import default_reader
from .sections import Span, segment, segment_by_marks
from .verdict import decide
from .text import GluedWord, Token, words_of
from .verdicts import SectionVerdict

# The report values are exported by the package (mockinterview.analysis), not again from here.
__all__ = ["score_answer", "attach_probes", "TOLERANCE_SHARE", "MIN_TOLERANCE_S"]

TOLERANCE_SHARE = 0.25  # a section is on target within +/- 25% of its target...
MIN_TOLERANCE_S = 5.0  # ...and never tighter than 5 s
FAR_OVER = 2.0  # this many times the target earns the common-mistake warning
# what an under-target section needs more of, and what an over-target one can lose
SECTION_CONTENT = {"situation": "the context: where you were and what was going wrong",
                   "task": "the scope: whose job it was and what you took on",
                   "action": "what you did yourself, step by step",
                   "result": "what changed, in numbers and for the business",
                   "reflection": "what you learned and would do differently"}
SECTION_EXCESS = {"situation": "background and architecture; get to the problem",
                  "task": "the goal to one or two sentences",
                  "action": "the steps that show the least of your judgement",
                  "result": "to the metric, its business value and what others adopted",
                  "reflection": "to one specific lesson"}
EARLY_SHARE = 1 / 3  # angle phrases count as "early" in the first third of the answer


def score_answer(
    question: Question,
    transcript: Transcript,
    *,
    level: str | None = None,
    angle: str | None = None,
    marks_s: Sequence[float] | None = None,
    speech_onsets_s: Sequence[float] | None = None,
    probe_findings: Sequence[ProbeFinding] = (),
    own_story: bool = False,
    meaning: bool = True,
) -> ScoreReport:
    """`own_story`: the candidate told their own story, so the model answer's story-specific phrases are
    shown, not judged, and the sections are judged on their signals. `meaning`: credit phrases said in
    other words (the embedding model); off, only literal credits count."""
    words = pacing.apply_onsets(transcript.words, speech_onsets_s or ())
    glued, tokens = words_of(words)
    glued_real = [g for g in glued if pacing.is_word(g)]
    if not tokens or not glued_real:
        raise NoSpeechError("no speech was heard in the answer")
    names = [s.name for s in question.sections]
    reader = default_reader() if meaning else None
    spans = segment_by_marks(names, tokens, marks_s) if marks_s else segment(question, tokens, reader)
    targets = question.targets_s(level)

    t_first, t_last = glued_real[0].start_s, glued_real[-1].end_s
    bounds = _bounds(spans, tokens, t_last)
    section_of = _section_of_token(spans, len(tokens))

    sections = []
    hit_ranges: list[tuple[int, int, str]] = []
    red = _red_flags(question, tokens)
    red_ranges = [(_token_at(tokens, r.start_s), _token_at(tokens, r.end_s, last=True)) for r in red]
    credits = credit_answer(question, spans, tokens, glued, section_of, meaning=meaning, own_story=own_story,
                            red_ranges=red_ranges, reader=reader)
    for span, sec, credit in zip(spans, question.sections, credits):
        start_s, end_s = bounds[span.name]
        hits, handoffs = list(credit.hits), list(credit.handoffs)
        for h in [*hits, *handoffs]:
            tag = "phrase" if isinstance(h, Hit) else "handoff"
            hit_ranges.append((_token_at(tokens, h.start_s), _token_at(tokens, h.end_s, last=True), tag))
        sections.append(_section_report(question, sec.name, span, start_s, end_s, targets.get(sec.name, sec.target_s),
                                        hits, handoffs, glued, tokens, credit))

    events = pacing.find_fillers(tokens)
    speech_s = max(t_last - t_first, 1e-6)
    for r in red:
        hit_ranges.append((_token_at(tokens, r.start_s), _token_at(tokens, r.end_s, last=True), "red_flag"))
    result = next((s for s in spans if s.name == "result"), None)
    numbers = _numbers(tokens, result) if result and result.first != -1 else ()
    guide = question.level(level)
    total = round(sum(targets.values()), 1)
    lo, hi = (guide.total_min_s, guide.total_max_s) if guide else (round(total * 0.75, 1), round(total * 1.25, 1))
    total_verdict = SectionVerdict.UNDER if speech_s < lo else SectionVerdict.OVER if speech_s > hi else SectionVerdict.ON_TARGET
    wpm = pacing.words_per_minute(glued)
    pronouns = pacing.count_pronouns(glued)
    angle_findings = _angle_findings(question, angle, tokens, t_first, speech_s)
    fillers_per_min = round(len(events) * 60 / speech_s, 1)
    action = next((s for s in spans if s.name == "action" and s.first != -1), None)
    actions = own_actions([t.norm for t in tokens[action.first : action.last + 1]]) if action else ()
    decision = decide(sections, red, pronouns, numbers, speech_s, total, actions, fillers_per_min, own_story,
                      probe_findings)
    return ScoreReport(
        question_id=question.id,
        level=level,
        angle=angle,
        duration_s=round(speech_s, 2),
        audio_s=round(transcript.duration_s, 2),
        total_target_s=total,
        total_min_s=lo,
        total_max_s=hi,
        total_verdict=total_verdict,
        wpm=wpm,
        pace=pacing.pace_label(wpm),
        comfortable_wpm=pacing.COMFORT_WPM,
        word_count=pacing.word_count(glued_real),
        fillers=pacing.count_fillers(events),
        filler_events=tuple(events),
        fillers_per_min=fillers_per_min,
        pauses=tuple(pacing.find_pauses(glued)),
        pronouns=pronouns,
        we_sentences=tuple(pacing.we_sentences(glued)),
        result_has_numbers=bool(numbers),
        result_numbers=numbers,
        red_flags=tuple(red),
        sections=tuple(sections),
        verdict=decision.verdict,
        reasons=decision.reasons,
        despite=decision.despite,
        gaps=tuple(str(g) for g in decision.gaps),
        angle_findings=tuple(angle_findings),
        probe_findings=tuple(probe_findings),
        words=_report_words(glued, tokens, spans, events, hit_ranges),
        segmentation="marks" if marks_s else "automatic",
        model=transcript.model,
        own_story=own_story,
    )


def _bounds(spans: Sequence[Span], tokens: Sequence[Token], t_last: float) -> dict[str, tuple[float | None, float | None]]:
    """A section runs from its first word's start to its last word's end: real spoken time (the pause
    before the next section belongs to neither)."""
    present = [s for s in spans if s.first != -1]
    out: dict[str, tuple[float | None, float | None]] = {s.name: (None, None) for s in spans}
    for i, s in enumerate(present):
        start = tokens[s.first].start_s
        end = tokens[s.last].end_s
        out[s.name] = (round(start, 2), round(end, 2))
    return out


def _section_of_token(spans: Sequence[Span], n: int) -> list[str]:
    out = [""] * n
    for s in spans:
        if s.first != -1:
            for i in range(s.first, s.last + 1):
                out[i] = s.name
    return out


def _token_at(tokens: Sequence[Token], t: float, last: bool = False) -> int:
    idx = [i for i, tok in enumerate(tokens) if (tok.end_s <= t + 1e-6 if last else tok.start_s >= t - 1e-6)]
    return (idx[-1] if last else idx[0]) if idx else 0


def _timed(h: PhraseHit) -> TimedPhrase:
    return TimedPhrase(h.phrase, " ".join(h.words), round(h.start_s, 2), round(h.end_s, 2))


def _verdict_for(duration_s: float, target_s: float, present: bool) -> tuple[str, float]:
    tol = round(max(MIN_TOLERANCE_S, TOLERANCE_SHARE * target_s), 1)
    if not present:
        return SectionVerdict.MISSING, tol
    if duration_s > target_s + tol:
        return SectionVerdict.OVER, tol
    if duration_s < target_s - tol:
        return SectionVerdict.UNDER, tol
    return SectionVerdict.ON_TARGET, tol


def _section_report(question: Question, name: str, span: Span, start_s: float | None, end_s: float | None,
                    target_s: float, hits: list[Hit], handoffs: list[TimedPhrase], glued: Sequence[GluedWord],
                    tokens: Sequence[Token], credit: SectionCredit) -> SectionReport:
    sec = question.section(name)
    assert sec is not None
    present = span.first != -1
    duration = round((end_s or 0) - (start_s or 0), 2) if present else 0.0
    verdict, tol = _verdict_for(duration, target_s, present)
    if present:
        gw = glued[tokens[span.first].first_word : tokens[span.last].word + 1]
        text = " ".join(g.text for g in gw)
        count = pacing.word_count(gw)
        wpm = pacing.words_per_minute(gw)
    else:
        text, count, wpm = "", 0, 0.0
    hit_names = {h.phrase for h in hits}
    missed = tuple(p for p in sec.strong_phrases if p not in hit_names and p not in credit.model_phrases)
    advice: list[str] = []  # each line says what it answers: not heard, over, under, phrases missed
    if verdict == SectionVerdict.MISSING:
        advice.append(f"This section was not heard. {sec.coaching}")
    else:
        if verdict == SectionVerdict.OVER and duration >= FAR_OVER * target_s:
            advice.append(f"{duration:.0f} s against a {target_s:g} s target. Common mistake: {sec.common_mistake}")
        elif verdict == SectionVerdict.OVER:
            advice.append(f"{duration:.0f} s against a {target_s:g} s target: cut {SECTION_EXCESS.get(name, 'detail')}.")
        elif verdict == SectionVerdict.UNDER:
            advice.append(f"{duration:.0f} s of a {target_s:g} s target: say more of {SECTION_CONTENT.get(name, 'it')}.")
        judged = len(sec.strong_phrases) - len(credit.model_phrases)
        if missed and len(missed) > judged / 2:
            advice.append(f"Missed: say {', '.join(repr(p) for p in missed[:3])}. {sec.coaching}")
        if handoffs or (name == "result" and not any(t.norm[:1].isdigit() for t in tokens[span.first : span.last + 1])):
            advice.append(f"Common mistake: {sec.common_mistake}")
    return SectionReport(
        name=name, start_s=start_s, end_s=end_s, duration_s=duration, target_s=target_s, verdict=verdict,
        tolerance_s=tol, wpm=wpm, word_count=count, phrases_hit=tuple(p for p in sec.strong_phrases if p in hit_names),
        phrases_missed=missed, hits=tuple(hits), handoffs=tuple(handoffs), text=text, advice=tuple(advice),
        model_phrases=credit.model_phrases, signals=credit.signals,
    )


def _red_flags(question: Question, tokens: Sequence[Token]) -> list[TimedPhrase]:
    if question.weak_answer is None:
        return []
    found: list[PhraseHit] = []
    for phrase in question.weak_answer.red_flags:
        found.extend(find_all(phrase, tokens))
    found.sort(key=lambda h: -h.score)
    kept: list[PhraseHit] = []
    for h in found:  # two red-flag spellings of the same words count once
        if all(h.last_token < k.first_token or h.first_token > k.last_token for k in kept):
            kept.append(h)
    return [_timed(h) for h in sorted(kept, key=lambda h: h.start_s)]


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")  # Whisper writes "zero" as "0th" now and then


def _numbers(tokens: Sequence[Token], span: Span) -> tuple[str, ...]:
    out: list[str] = []
    toks = tokens[span.first : span.last + 1]
    for i, t in enumerate(toks):
        if not t.norm[:1].isdigit() or _ORDINAL.fullmatch(t.norm):
            continue  # "3rd" places something; it measures nothing
        if not _PLAIN_NUMBER.fullmatch(t.norm):
            out.append(t.norm)  # "5xx", "1990s": a figure all the same, shown as said
            continue
        unit = toks[i + 1].norm if i + 1 < len(toks) and toks[i + 1].norm in ("percent", "dollars") else ""
        shown = f"{float(t.norm):,.{len(t.norm.split('.')[1]) if '.' in t.norm else 0}f}"
        out.append(f"${shown}" if unit == "dollars" else f"{shown}%" if unit == "percent" else shown)
    return tuple(out)


def _angle_findings(question: Question, angle: str | None, tokens: Sequence[Token], t0: float, speech_s: float) -> list[AngleFinding]:
    a = question.angle(angle)
    if a is None:
        return []
    out = []
    for phrase in a.early_phrases:
        hits = find_all(phrase, tokens)
        first = hits[0] if hits else None
        early = first is not None and first.start_s - t0 <= EARLY_SHARE * speech_s
        out.append(AngleFinding(phrase, first is not None, round(first.start_s, 2) if first else None, early))
    return out


def _report_words(glued: Sequence[GluedWord], tokens: Sequence[Token], spans: Sequence[Span],
                  events: Sequence[FillerEvent], ranges: Sequence[tuple[int, int, str]]) -> tuple[ReportWord, ...]:
    tags: list[set[str]] = [set() for _ in glued]
    section = [""] * len(glued)
    for s in spans:
        if s.first != -1:
            for gi in range(tokens[s.first].first_word, tokens[s.last].word + 1):
                section[gi] = s.name
    for first, last, tag in ranges:
        for gi in range(tokens[first].first_word, tokens[last].word + 1):
            tags[gi].add(tag)
    for e in events:
        for gi, g in enumerate(glued):
            if g.start_s >= e.start_s - 1e-6 and g.end_s <= e.end_s + 1e-6:
                tags[gi].add("filler")
    for gi, g in enumerate(glued):
        bare = g.text.lower().strip(".,!?;:\"")
        if bare in pacing.FIRST_PERSON:
            tags[gi].add("i")
        elif bare in pacing.FIRST_PLURAL:
            tags[gi].add("we")
    # a section's words run up to the next section's first word
    last = ""
    for gi in range(len(glued)):
        last = section[gi] or last
        section[gi] = last
    return tuple(ReportWord(g.text, round(g.start_s, 2), round(g.end_s, 2), section[gi], tuple(sorted(tags[gi])))
                 for gi, g in enumerate(glued))


def attach_probes(report: ScoreReport, transcripts: Sequence[tuple[Probe, Transcript]]) -> ScoreReport:
    """The report with follow-up probe replies scored and attached (used by the practice flow)."""
    import dataclasses

    findings = tuple(score_probe(p, t) for p, t in transcripts)
    return dataclasses.replace(report, probe_findings=report.probe_findings + findings)
