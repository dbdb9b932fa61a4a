"""The score report as Markdown, for pasting into notes."""

from __future__ import annotations

from ..analysis.report_data import ScoreReport
from ..analysis.verdicts import GAP_LABEL, Gap, section_label
from .text import clock, credit_note, partial_line, secs, signal_line, sound_rows, sound_summary


def render(r: ScoreReport) -> str:
    out: list[str] = []
    level = f" ({r.level})" if r.level else ""
    own = " (your own story, judged on signals)" if r.own_story else ""
    out.append(f"# {r.question_id}{level}{own}\n")
    if r.partial:
        out.append(f"> **{partial_line(r)}**\n")
    out.append(f"Spoken {clock(r.duration_s)} against {clock(r.total_min_s)}-{clock(r.total_max_s)}: "
               f"{section_label(r.total_verdict)}.\n")
    out.append(f"**{r.verdict}**\n")
    out += [f"- {reason}" for reason in r.reasons]
    if r.despite:
        out.append(f"\nDespite: {r.despite}")
    out.append("\n| section | start | spoken | target | verdict | wpm | phrases |")
    out.append("|---|---:|---:|---:|---|---:|---:|")
    for s in r.sections:
        spoken = secs(s.duration_s) if s.start_s is not None else "-"
        total = len(s.phrases_hit) + len(s.phrases_missed)
        out.append(f"| {s.name.title()} | {clock(s.start_s)} | {spoken} | {s.target_s:g} s | "
                   f"{section_label(s.verdict)} | {s.wpm:.0f} | {len(s.phrases_hit)}/{total} |")
    for s in r.sections:
        out.append(f"\n## {s.name.title()}\n")
        for h in s.hits:
            where = f", said in {h.section.title() or 'no section'}" if h.misplaced else ""
            note = f"; {credit_note(h)}" if h.method != "exact" else ""
            out.append(f"- ✓ {h.phrase} (at {clock(h.start_s)}{where}{note})")
        out += [f"- ✗ {p}" for p in s.phrases_missed]
        out += [f"- · {p} (the model answer's wording)" for p in s.model_phrases]
        if r.own_story and s.signals:
            out.append(f"- Signals: {signal_line(s)}")
        out += [f'- ! "{h.said}" at {clock(h.start_s)}: not "{h.phrase}"' for h in s.handoffs]
        out += [f"\n> {a}" for a in s.advice]
        if s.text:
            out.append(f"\n_{s.text}_")
    lo, hi = r.comfortable_wpm
    out.append("\n## Delivery\n")
    out.append(f"- Pace: {r.wpm:.0f} words per minute, {r.pace} (comfortable {lo:g}-{hi:g})")
    fillers = ", ".join(f"{k} {v}" for k, v in r.fillers.items()) or "none"
    out.append(f"- Fillers: {r.fillers_per_min:g} per minute ({fillers})")
    pauses = ", ".join(f"{clock(p.start_s)} ({p.duration_s:.1f} s)" for p in r.pauses) or "none"
    out.append(f"- Pauses over 2 s: {pauses}")
    out.append(f'- "I" {r.pronouns.get("i", 0)} times, "we" {r.pronouns.get("we", 0)} times')
    out += [f"  - we: {s}" for s in r.we_sentences]
    out.append(f"- Numbers in the Result: {', '.join(r.result_numbers) or 'none'}")
    if r.red_flags:
        out.append("- Red flags: " + ", ".join(f'"{f.said}" at {clock(f.start_s)}' for f in r.red_flags))
    if r.prosody is not None:
        out.append("\n## How it sounded\n")
        out.append("| section | pitch | variation | loudness |")
        out.append("|---|---:|---:|---:|")
        out += [f"| {' | '.join(row)} |" for row in sound_rows(r.prosody)]
        out.append(f"\n{sound_summary(r.prosody)}\n")
        out += [f"- ! {f.text}" for f in r.prosody.findings] or ["- No delivery finding: varied tone, clear level."]
    if r.angle_findings:
        out.append(f"\n## Angle: {r.angle}\n")
        for a in r.angle_findings:
            state = "early" if a.early else ("late" if a.said else "not said")
            out.append(f"- {a.phrase}: {state}")
    if r.probe_findings:
        out.append("\n## Follow-up probes\n")
        for i, p in enumerate(r.probe_findings, 1):
            gap = f" (asked: {GAP_LABEL[Gap(p.gap)]}; {'gap closed' if p.closed else 'still open'})" if p.gap else ""
            out.append(f"{i}. {p.question}{gap} **{p.verdict}**: {p.advice}")
    return "\n".join(out) + "\n"
