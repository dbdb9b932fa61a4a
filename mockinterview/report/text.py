"""The score report for the terminal (rich), readable at 80 columns."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..analysis.report_data import Hit, ProsodyReport, ScoreReport, SectionReport
from ..analysis.verdicts import GAP_LABEL, Gap, HireVerdict, ProbeVerdict, SectionVerdict, section_label

VERDICT_STYLE = {SectionVerdict.UNDER: "yellow", SectionVerdict.ON_TARGET: "green", SectionVerdict.OVER: "red",
                 SectionVerdict.MISSING: "red"}


def clock(t: float | None) -> str:
    """A time in the answer as m:ss."""
    if t is None:
        return "-"
    whole = int(round(t))
    return f"{whole // 60}:{whole % 60:02d}"


def secs(t: float) -> str:
    return f"{t:.0f} s" if t >= 10 else f"{t:.1f} s"


def credit_note(h: Hit) -> str:
    """How a phrase was credited, with the words that earned it; a meaning credit also gives the
    stronger literal wording to say next time."""
    if h.method == "meaning":
        return f'by meaning: "{h.said}"; stronger: say "{h.phrase}"'
    if h.method == "fuzzy":
        return f'heard "{h.said}"'
    return ""


def signal_line(s: SectionReport) -> str:
    """Own story: the section's transferable signals, met or not."""
    return "; ".join(f"{f.signal} {'✓' if f.met else '✗'}" + (f" ({f.evidence})" if f.evidence and f.met else "")
                     for f in s.signals)


def partial_line(r: ScoreReport) -> str:
    """The warning every format shows on a report of an attempt stopped early; "" for a whole one."""
    if not r.partial:
        return ""
    return f"Partial report: stopped {r.partial}. It covers only what was said before the stop."


def render(report: ScoreReport, console: Console) -> None:
    console.print(build(report))


def build(report: ScoreReport) -> Group:
    despite = [("", f"Despite: {report.despite}", "dim")] if report.despite else []
    header = _rows(_header(report), [("•", reason, "") for reason in report.reasons] + despite)
    parts: list = [header, Text(""), _sections_table(report)]
    if report.partial:
        parts = [Text(partial_line(report), style="bold yellow"), *parts]
    for s in report.sections:
        parts += [Text(""), _section_detail(s, report.own_story)]
    parts += [Text(""), _delivery(report)]
    if report.prosody is not None:
        parts += [Text(""), _sound(report.prosody)]
    if report.angle_findings:
        parts += [Text(""), _angle(report)]
    if report.probe_findings:
        parts += [Text(""), _probes(report)]
    return Group(*parts)


def _header(r: ScoreReport) -> Text:
    t = Text()
    level = f" · {r.level}" if r.level else ""
    own = " · your own story (judged on signals)" if r.own_story else ""
    t.append(f"{r.question_id}{level}{own}\n", style="bold")
    band = f"{clock(r.total_min_s)}-{clock(r.total_max_s)}"
    t.append(f"Spoken {clock(r.duration_s)} against {band}: {section_label(r.total_verdict)}\n")
    t.append(r.verdict, style="bold green" if r.verdict == HireVerdict.HIRE else "bold red")
    t.append(" because:" if r.reasons else "")
    return t


def _sections_table(r: ScoreReport) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("section")
    table.add_column("start", justify="right")
    table.add_column("spoken", justify="right")
    table.add_column("target", justify="right")
    table.add_column("verdict")
    table.add_column("wpm", justify="right")
    table.add_column("phrases", justify="right")
    for s in r.sections:
        total = len(s.phrases_hit) + len(s.phrases_missed)
        table.add_row(
            s.name.title(),
            clock(s.start_s),
            secs(s.duration_s) if s.start_s is not None else "-",
            f"{s.target_s:g} s",
            Text(section_label(s.verdict), style=VERDICT_STYLE[s.verdict]),
            f"{s.wpm:.0f}" if s.wpm else "-",
            f"{len(s.phrases_hit)}/{total}",
        )
    return table


def _rows(title: Text, rows: list[tuple[str, str, str]]) -> Group:
    """A title line, then (marker, text, style) rows whose text wraps under itself, not under the marker."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(overflow="fold")
    for marker, body, style in rows:
        grid.add_row("", Text(marker, style=style), Text(body, style=style))
    return Group(title, grid) if rows else Group(title)


def _section_detail(s: SectionReport, own_story: bool = False) -> Group:
    title = Text(s.name.title(), style="bold cyan")
    if s.start_s is None:
        title.append(" · not heard")
    else:
        title.append(f" · {clock(s.start_s)}-{clock(s.end_s)} · {secs(s.duration_s)} of {s.target_s:g} s "
                     f"(±{s.tolerance_s:g} s) · {section_label(s.verdict)}")
    rows: list[tuple[str, str, str]] = []
    for h in s.hits:
        where = f", said in {h.section.title() or 'no section'}" if h.misplaced else ""
        note = f" ({credit_note(h)})" if h.method != "exact" else ""
        rows.append(("✓", f"{h.phrase} at {clock(h.start_s)}{where}{note}", "green"))
    rows += [("✗", p, "red") for p in s.phrases_missed]
    rows += [("·", f"{p} (the model answer's wording)", "dim") for p in s.model_phrases]
    if own_story and s.signals:
        rows.append(("•", f"Signals: {signal_line(s)}", ""))
    rows += [("!", f'"{h.said}" at {clock(h.start_s)}: not "{h.phrase}"', "yellow") for h in s.handoffs]
    rows += [("→", a, "") for a in s.advice]
    return _rows(title, rows)


def _delivery(r: ScoreReport) -> Group:
    lo, hi = r.comfortable_wpm
    rows = [("•", f"Pace: {r.wpm:.0f} words per minute, {r.pace} (aim for {lo:g}-{hi:g})", "")]
    fillers = ", ".join(f"{k} {v}" for k, v in list(r.fillers.items())[:5]) or "none"
    rows.append(("•", f"Fillers: {r.fillers_per_min:g} per minute ({fillers})", ""))
    pauses = ", ".join(f"{clock(p.start_s)} ({p.duration_s:.1f} s)" for p in r.pauses[:5]) or "none"
    rows.append(("•", f"Pauses over 2 s: {pauses}", ""))
    rows.append(("•", f'"I" said {r.pronouns.get("i", 0)} times, "we" {r.pronouns.get("we", 0)}', ""))
    rows += [("", f'we: "{sentence}"', "dim") for sentence in r.we_sentences[:3]]
    rows.append(("•", f"Numbers in the Result: {', '.join(r.result_numbers) or 'none'}", ""))
    if r.red_flags:
        flags = ", ".join(f'"{f.said}" at {clock(f.start_s)}' for f in r.red_flags)
        rows.append(("!", f"Red flags: {flags}", "red"))
    return _rows(Text("Delivery", style="bold"), rows)


def sound_rows(p: ProsodyReport) -> list[tuple[str, str, str, str]]:
    """(where, pitch, pitch variation, loudness) per section, then the whole answer: shared with Markdown."""
    def cells(name: str, hz: float | None, st: float | None, dbfs: float | None) -> tuple[str, str, str, str]:
        return (name, f"{hz:.0f} Hz" if hz else "-", f"{st:.1f} st" if st is not None else "-",
                f"{dbfs:.0f} dBFS" if dbfs is not None else "-")

    rows = [cells(s.name.title(), s.pitch_median_hz, s.pitch_spread_semitones, s.loudness_dbfs) for s in p.sections]
    return rows + [cells("Whole answer", p.pitch_median_hz, p.pitch_spread_semitones, p.loudness_dbfs)]


def sound_summary(p: ProsodyReport) -> str:
    flat = f"{p.flattest_window_semitones:.1f} st" if p.flattest_window_semitones is not None else "-"
    drop = f"{p.sentence_end_drop_db:.1f} dB" if p.sentence_end_drop_db is not None else "-"
    return (f"Flattest 20 s: {flat} · loudest moment {p.peak_dbfs:.0f} dBFS · sentence ends {drop} quieter than "
            f"their starts (median) · pitch by {p.tracker}")


def _sound(p: ProsodyReport) -> Group:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for name, justify in (("section", "left"), ("pitch", "right"), ("variation", "right"), ("loudness", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in sound_rows(p):
        table.add_row(*row)
    rows = [("!", f.text, "yellow") for f in p.findings] or [("✓", "No delivery finding: varied tone, clear level.", "green")]
    return Group(Text("How it sounded", style="bold"), table, Text(sound_summary(p), style="dim"),
                 _rows(Text(""), rows))


def _angle(r: ScoreReport) -> Group:
    rows = []
    for a in r.angle_findings:
        state = "early" if a.early else ("late" if a.said else "not said")
        at = f" ({clock(a.start_s)})" if a.said else ""
        rows.append(("✓" if a.early else "✗", f"{a.phrase}: {state}{at}", "green" if a.early else "red"))
    return _rows(Text(f"Angle: {r.angle}", style="bold"), rows)


def _probes(r: ScoreReport) -> Group:
    marks = {ProbeVerdict.STRONG: ("✓", "green"), ProbeVerdict.WEAK: ("✗", "red"), ProbeVerdict.NO_ANSWER: ("✗", "red")}
    rows = []
    for p in r.probe_findings:
        mark, style = marks.get(p.verdict, ("~", "yellow"))
        gap = f" [asked: {GAP_LABEL[Gap(p.gap)]}; {'gap closed' if p.closed else 'still open'}]" if p.gap else ""
        rows.append((mark, f"{p.question}{gap} {p.verdict.replace('_', ' ')}: {p.advice}", style))
    return _rows(Text("Follow-up probes", style="bold"), rows)


__all__ = ["render", "build", "clock", "secs", "sound_rows", "sound_summary"]
