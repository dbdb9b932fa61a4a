"""The score report as one self-contained HTML page: inline CSS, inline SVG, a few lines of JS, no fetches.

The recorded answer sits beside the page (an `<audio>` with a relative link), and clicking a
section bar, a phrase or a word plays the answer from that moment. Every string that comes from a
question file or a transcript goes through `esc()`: question files are user-editable.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

from ..analysis.pacing import WPM_WINDOW_S, wpm_over_time
from ..analysis.report_data import ProbeFinding, ProsodySection, ReportWord, ScoreReport, SectionReport
from ..analysis.verdicts import GAP_LABEL, PROBE_LABEL, Gap, HireVerdict
from ..analysis.verdicts import SECTION_LABEL as VERDICT_LABEL
from ..attempts import (
    AttemptStatus, answer_audio, page_path, read_info, read_report_data, turn_audio_name, write_text_atomic,
)
from .text import partial_line
from ..bank.model import PRINCIPLES, Question
from .assets import script, stylesheet
from .sound import sound_section
from .svg import clock, esc, line_chart, nice_step
from .text import credit_note, signal_line


def render_html(report: ScoreReport, question: Question, *, audio_href: str | None, attempt: dict | None) -> str:
    attempt = attempt or {}
    parts = [
        _head(f"{question.id} · mock interview report"),
        '<body class="has-audio">' if audio_href else "<body>",
        _header(report, question, attempt, audio_href),
        _timeline_section(report),
        _pace_section(report),
        sound_section(report),
        _cards(report),
        _transcript(report),
        _probes(report, question, attempt),
        _delivery(report),
        f"<footer>mockinterview · model {esc(report.model)} · sections found {esc(report.segmentation)}</footer>",
        f"<script>{script()}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def write_html(attempt_dir: Path, question: Question, out: Path | None = None) -> Path:
    """Writes the page into the attempt folder, beside its audio (or at `out`, linking back to the audio)."""
    attempt_dir = Path(attempt_dir)
    report = read_report(attempt_dir)
    attempt = read_info(attempt_dir)
    target = Path(out) if out else page_path(attempt_dir)
    # links relative to where the page is, so the folder can be moved or zipped as a whole
    base = quote(Path(os.path.relpath(attempt_dir.resolve(), target.parent.resolve())).as_posix())
    answer = answer_audio(attempt_dir)
    href = _join(base, answer.name) if answer else None
    attempt = dict(attempt, _audio_base=base)
    page = render_html(report, question, audio_href=href, attempt=attempt)
    write_text_atomic(target, page)
    return target


# -- page parts -----------------------------------------------------------------------------------

def _head(title: str) -> str:
    # rel=icon with a data: URL stops the browser asking for /favicon.ico
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="icon" href="data:,"><title>{esc(title)}</title><style>{stylesheet()}</style></head>')


def _header(r: ScoreReport, q: Question, attempt: dict, audio_href: str | None) -> str:
    principles = ", ".join(PRINCIPLES.get(p, p) for p in q.principles)
    meta = [q.id, principles]
    if attempt.get("mode"):
        meta.append(f"mode {attempt['mode']}")
    meta.append(f"level {r.level}" if r.level else "no level set")
    if r.angle:
        meta.append(f"angle {r.angle}")
    if attempt.get("started_at"):
        meta.append(str(attempt["started_at"]).replace("T", " ")[:19] + " UTC")
    hire = r.verdict == HireVerdict.HIRE
    reasons = "".join(f"<li>{esc(x)}</li>" for x in r.reasons)
    despite = f'<p class="despite">Despite: {esc(r.despite)}</p>' if r.despite else ""
    audio = (f'<div class="player"><audio id="answer" controls preload="metadata" src="{esc(audio_href)}"></audio>'
             f'<span class="hint">Click a section, a phrase or a word to hear it.</span></div>') if audio_href else ""
    total = VERDICT_LABEL.get(r.total_verdict, r.total_verdict)
    return (
        f'<header><p class="kicker">Mock interview report</p><h1>{esc(q.question)}</h1>'
        f'<p class="meta">{" · ".join(esc(m) for m in meta)}</p>'
        + (f'<p class="partial" role="alert">{esc(partial_line(r))}</p>' if r.partial else "")
        + f'<div class="summary"><div class="verdict {"hire" if hire else "nohire"}"><strong>{esc(r.verdict)}</strong>'
        f"<ul>{reasons}</ul>{despite}</div>"
        f'<dl class="figures"><div><dt>Spoken</dt><dd>{_s(r.duration_s)}</dd><dd class="sub">target {_s(r.total_min_s)}–{_s(r.total_max_s)} · {esc(total)}</dd></div>'
        f'<div><dt>Pace</dt><dd>{r.wpm:.0f} wpm</dd><dd class="sub">{esc(r.pace)}</dd></div>'
        f'<div><dt>Fillers</dt><dd>{r.fillers_per_min:g}/min</dd><dd class="sub">{sum(r.fillers.values())} in all</dd></div>'
        f'<div><dt>"I" / "we"</dt><dd>{r.pronouns.get("i", 0)} / {r.pronouns.get("we", 0)}</dd></div></dl></div>'
        f"{audio}</header>"
    )


def _timeline_section(r: ScoreReport) -> str:
    return ('<section id="timeline"><h2>Timeline</h2><p class="legend">Each bar is the time you spoke in that section; '
            'the pale band is the target (± tolerance), the line the target itself. '
            '<span class="key pause"></span> pause <span class="key filler"></span> filler</p>'
            f"{timeline_svg(r)}</section>")


def timeline_svg(r: ScoreReport) -> str:
    label_w, bar_w, row_h, top = 110, 700, 40, 26
    span = max([s.duration_s for s in r.sections] + [s.target_s + s.tolerance_s for s in r.sections] + [1.0])
    step = nice_step(span)
    span = step * (int(span // step) + 1)
    px = bar_w / span  # pixels per second, the same for every row so bars compare
    height = top + row_h * len(r.sections) + 8
    out = [f'<svg class="timeline" viewBox="0 0 {label_w + bar_w + 90} {height}" role="img" '
           f'aria-label="Time spoken per STAR section against its target">']
    for i in range(int(span // step) + 1):
        x = label_w + i * step * px
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 4}"/>'
                   f'<text class="axis" x="{x:.1f}" y="{top - 10}">{i * step:g} s</text>')
    for row, s in enumerate(r.sections):
        y = top + row * row_h
        out.append(f'<g class="row" data-section="{esc(s.name)}">')
        out.append(f'<text class="label" x="{label_w - 10}" y="{y + 21}">{esc(s.name.title())}</text>')
        lo, hi = max(0.0, s.target_s - s.tolerance_s), s.target_s + s.tolerance_s
        out.append(f'<rect class="band" x="{label_w + lo * px:.1f}" y="{y + 4}" width="{(hi - lo) * px:.1f}" height="26"/>')
        out.append(f'<line class="target" x1="{label_w + s.target_s * px:.1f}" y1="{y + 1}" '
                   f'x2="{label_w + s.target_s * px:.1f}" y2="{y + 33}"/>')
        if s.start_s is None or s.verdict == "missing":
            out.append(f'<text class="missing" x="{label_w + 6}" y="{y + 21}">not heard</text></g>')
            continue
        width = s.duration_s * px
        out.append(f'<rect class="bar {esc(s.verdict)}" data-section="{esc(s.name)}" data-t="{s.start_s:.2f}" '
                   f'data-duration="{s.duration_s:.2f}" x="{label_w}" y="{y + 9}" width="{width:.2f}" height="16" '
                   f'tabindex="0" role="button"><title>{esc(s.name.title())}: {_s(s.duration_s)} '
                   f'(target {_s(s.target_s)}, {esc(VERDICT_LABEL.get(s.verdict, s.verdict))})</title></rect>')
        end = s.start_s + s.duration_s
        for p in r.pauses:
            a, b = max(p.start_s, s.start_s), min(p.end_s, end)
            if b > a:
                out.append(f'<rect class="pause" data-t="{a:.2f}" x="{label_w + (a - s.start_s) * px:.1f}" y="{y + 9}" '
                           f'width="{max((b - a) * px, 2):.1f}" height="16"><title>pause {p.duration_s:.1f} s</title></rect>')
        for f in r.filler_events:
            if s.start_s <= f.start_s < end:
                x = label_w + (f.start_s - s.start_s) * px
                out.append(f'<path class="filler" data-t="{f.start_s:.2f}" d="M{x - 4:.1f},{y + 3} h8 l-4,6 z">'
                           f"<title>{esc(f.filler)} at {clock(f.start_s)}</title></path>")
        out.append(f'<text class="value" x="{label_w + max(width, hi * px) + 8:.1f}" y="{y + 21}">'
                   f"{_s(s.duration_s)} / {_s(s.target_s)}</text></g>")
    out.append("</svg>")
    return "".join(out)


def _pace_section(r: ScoreReport) -> str:
    xs, ys = wpm_over_time([w.start_s for w in r.words if "filler" not in w.tags])
    if len(xs) < 2:
        return ""
    bounds = [(s.start_s, s.name) for s in r.sections if s.start_s is not None]
    svg = line_chart(xs, ys, band=r.comfortable_wpm, unit="wpm", x_is_time=True, vlines=bounds,
                     width=900, height=200, label="Words per minute over the answer")
    return (f'<section id="pace"><h2>Pace</h2><p class="legend">Words per minute over a {WPM_WINDOW_S:g} s window; '
            f"the band is a comfortable interview pace ({r.comfortable_wpm[0]:g}–{r.comfortable_wpm[1]:g}).</p>{svg}</section>")


def _cards(r: ScoreReport) -> str:
    sound = {s.name: s for s in r.prosody.sections} if r.prosody else {}
    cards = "".join(_card(s, sound.get(s.name), r.own_story) for s in r.sections)
    return f'<section id="sections"><h2>Section by section</h2><div class="cards">{cards}</div></section>'


def _card(s: SectionReport, sound: ProsodySection | None = None, own_story: bool = False) -> str:
    seek = f' data-t="{s.start_s:.2f}"' if s.start_s is not None else ""
    hits = {h.phrase: h for h in s.hits}
    chips = []
    for p in s.phrases_hit:
        h = hits.get(p)
        if h is None:
            chips.append(f'<li class="hit">{esc(p)}</li>')
            continue
        where = f' <em>(said in {esc(h.section)})</em>' if h.misplaced else ""
        how = f' <small class="how {esc(h.method)}">{esc(credit_note(h))}</small>' if h.method != "exact" else ""
        chips.append(f'<li class="hit{" mis" if h.misplaced else ""}" data-method="{esc(h.method)}" data-t="{h.start_s:.2f}" '
                     f'tabindex="0" role="button">{esc(p)}{where}{how}</li>')
    missed = "".join(f'<li class="missed">{esc(p)}</li>' for p in s.phrases_missed)
    model = "".join(f'<li class="model">{esc(p)}</li>' for p in s.model_phrases)
    signals = (f'<p class="signals">Signals: {esc(signal_line(s))}</p>' if own_story and s.signals else "")
    handoffs = "".join(f'<li>You said “{esc(h.said)}” where “{esc(h.phrase)}” owns it</li>' for h in s.handoffs)
    advice = "".join(f"<li>{esc(a)}</li>" for a in s.advice)
    return (
        f'<article class="card {esc(s.verdict)}"><h3{seek}>{esc(s.name.title())} '
        f'<span class="chip {esc(s.verdict)}">{esc(VERDICT_LABEL.get(s.verdict, s.verdict))}</span></h3>'
        f'<p class="nums">{_s(s.duration_s)} spoken · target {_s(s.target_s)} ± {s.tolerance_s:g} s · '
        f"{s.wpm:.0f} wpm · {s.word_count} words{_sound_figures(sound)}</p>"
        + (f'<p class="lab">Strong phrases heard</p><ul class="phrases">{"".join(chips)}</ul>' if chips else "")
        + (f'<p class="lab">Not heard</p><ul class="phrases">{missed}</ul>' if missed else "")
        + (f'<p class="lab">The model answer\'s wording (your own story: not judged)</p><ul class="phrases">{model}</ul>'
           if model else "")
        + signals
        + (f'<p class="lab">Handed to the team</p><ul class="notes">{handoffs}</ul>' if handoffs else "")
        + (f'<p class="lab">Advice</p><ul class="notes">{advice}</ul>' if advice else "")
        + "</article>"
    )


def _sound_figures(s: ProsodySection | None) -> str:
    if s is None or s.pitch_spread_semitones is None or s.loudness_dbfs is None:
        return ""
    return f" · pitch varies {s.pitch_spread_semitones:.1f} st · {s.loudness_dbfs:.0f} dBFS"


def _transcript(r: ScoreReport) -> str:
    misplaced = [(h.start_s, h.end_s) for s in r.sections for h in s.hits if h.misplaced]
    groups: list[tuple[str, list[tuple[str, str | None]]]] = []
    for w in r.words:
        if not groups or groups[-1][0] != w.section:
            groups.append((w.section, []))
        groups[-1][1].append(_word(w, misplaced))
    starts = {s.name: s.start_s for s in r.sections}
    body = []
    for name, words in groups:
        t = starts.get(name)
        seek = f' data-t="{t:.2f}"' if t is not None else ""
        body.append(f'<div class="para"><h4{seek}>{esc(name.title() or "Before the answer")}</h4>'
                    f"<p>{_join_words(words)}</p></div>")
    legend = ('<p class="legend"><mark>strong phrase</mark> <mark class="mis">phrase in the wrong section</mark> '
              '<s class="filler">filler</s> <u class="we">we</u> <span class="red">red flag</span></p>')
    return f'<section id="transcript"><h2>Transcript</h2>{legend}{"".join(body)}</section>'


def _word(w: ReportWord, misplaced: Sequence[tuple[float, float]]) -> tuple[str, str | None]:
    """The word's HTML, and its highlight class when it is part of a strong phrase."""
    classes = ["w"]
    text = esc(w.text)
    mark = None
    if "phrase" in w.tags:
        mark = "mis" if any(a - 0.01 <= w.start_s and w.end_s <= b + 0.01 for a, b in misplaced) else "ph"
        text = f'<mark class="{mark}">{text}</mark>'
    if "red_flag" in w.tags:
        classes.append("red")
    if "handoff" in w.tags:
        classes.append("handoff")
    if "filler" in w.tags:
        text = f'<s class="filler">{text}</s>'
    if "we" in w.tags:
        text = f'<u class="we">{text}</u>'
    return f'<span class="{" ".join(classes)}" data-t="{w.start_s:.2f}">{text}</span>', mark


def _join_words(words: Sequence[tuple[str, str | None]]) -> str:
    """Words joined by spaces; the space inside a phrase is highlighted too, so a phrase reads as one."""
    out = []
    for i, (text, mark) in enumerate(words):
        if i:
            out.append(f'<mark class="{mark}"> </mark>' if mark and words[i - 1][1] == mark else " ")
        out.append(text)
    return "".join(out)


def _probes(r: ScoreReport, q: Question, attempt: dict) -> str:
    if not r.probe_findings:
        return ""
    turns = list(attempt.get("turns") or [])
    base = attempt.get("_audio_base", ".")
    items = []
    for n, f in enumerate(r.probe_findings, 1):
        probe = next((p for p in q.probes if p.question == f.question), None)
        name = turn_audio_name(n)
        audio = (f'<audio controls preload="none" src="{esc(_join(base, name))}"></audio>' if name in turns else "")
        items.append(_probe_item(f, probe.strong_answer if probe else "", probe.probes if probe else "", audio))
    return f'<section id="probes"><h2>Follow-up probes</h2>{"".join(items)}</section>'


def _probe_item(f: ProbeFinding, strong: str, tests: str, audio: str) -> str:
    markers = ", ".join(f"“{esc(m.said)}”" for m in f.markers)
    return (
        f'<article class="probe {esc(f.verdict)}"><h3>{esc(f.question)} '
        f'<span class="chip {esc(f.verdict)}">{esc(PROBE_LABEL.get(f.verdict, f.verdict))}</span></h3>'
        + (f'<p class="nums">Tests: {esc(tests)}</p>' if tests else "")
        + (f'<p class="gap {"closed" if f.closed else "open"}">Asked because: {esc(GAP_LABEL[Gap(f.gap)])} · '
           f'{"the reply closed the gap" if f.closed else "the gap is still open"}</p>' if f.gap else "")
        + f'{audio}<p class="lab">Your reply</p><blockquote>{esc(f.text) or "<em>no reply heard</em>"}</blockquote>'
        + f'<p>{esc(f.advice)}' + (f" Weak markers heard: {markers}." if markers else "") + "</p>"
        + (f'<p class="lab">A strong reply</p><blockquote class="strong">{esc(strong)}</blockquote>' if strong else "")
        + (f'<p class="nums">Key phrase “{esc(f.key_phrase)}”: {"said" if f.key_phrase_said else "not said"} '
           f"({f.coverage:.0%} of its words)</p>" if f.key_phrase else "") + "</article>"
    )


def _delivery(r: ScoreReport) -> str:
    rows = [("Pace", f"{r.wpm:.0f} wpm, {esc(r.pace)}"),
            ("Fillers", esc(", ".join(f"{k} ×{v}" for k, v in r.fillers.items()) or "none") + f" ({r.fillers_per_min:g}/min)"),
            ("Long pauses", ", ".join(f'<a data-t="{p.start_s:.2f}">{clock(p.start_s)} ({p.duration_s:.1f} s)</a>'
                                      for p in r.pauses) or "none"),
            ('"I" / "we"', f'{r.pronouns.get("i", 0)} / {r.pronouns.get("we", 0)}'),
            ("Numbers in the result", esc(", ".join(r.result_numbers)) or "none")]
    if r.we_sentences:
        rows.append(('"We" sentences', "<br>".join(f"“{esc(x)}”" for x in r.we_sentences)))
    if r.red_flags:
        rows.append(("Red flags", ", ".join(f'<a data-t="{x.start_s:.2f}">“{esc(x.said)}”</a>' for x in r.red_flags)))
    for a in r.angle_findings:
        state = ("said early" if a.early else "said late") if a.said else "not said"
        rows.append((f"Angle: “{esc(a.phrase)}”", state))
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<section id="delivery"><h2>Delivery</h2><table class="facts">{body}</table></section>'


# -- helpers --------------------------------------------------------------------------------------

def _s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.0f} s"


def _join(base: str, name: str) -> str:
    return name if base in ("", ".") else f"{base}/{name}"


def read_report(attempt_dir: Path) -> ScoreReport:
    """The saved report; one saved before reports carried `partial` is marked from the attempt's status."""
    report = ScoreReport.from_dict(read_report_data(attempt_dir))
    if not report.partial:
        info = read_info(attempt_dir, strict=False) or {}
        if info.get("status") == AttemptStatus.INTERRUPTED:
            return replace(report, partial="early")
    return report
