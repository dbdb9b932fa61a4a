"""The report page's "How it sounded" section: pitch contour and loudness over the answer, on one time axis
with the STAR sections above them, the findings marked where they happened. A click on a lane plays the
answer from that moment (the page's script maps the click to a time through data-t0/data-t1)."""

from __future__ import annotations

import math
from typing import Sequence

from ..analysis.prosody import FADE_DB, MONOTONE_SEMITONES, QUIET_DBFS
from ..analysis.report_data import ProsodyReport, ScoreReport
from .svg import clock, esc, nice_step

WIDTH, LEFT, RIGHT = 900, 56, 12
STRIP_H, PITCH_H, LEVEL_H, GAP, AXIS_H = 20, 120, 90, 10, 18
LEVEL_RANGE_DBFS = (-70.0, -6.0)


def sound_section(r: ScoreReport) -> str:
    p = r.prosody
    if p is None:
        return ""
    table = "".join(
        f"<tr><th>{esc(s.name.title())}</th><td>{_hz(s.pitch_median_hz)}</td><td>{_st(s.pitch_spread_semitones)}</td>"
        f"<td>{_db(s.loudness_dbfs)}</td></tr>" for s in p.sections)
    table += (f'<tr class="total"><th>Whole answer</th><td>{_hz(p.pitch_median_hz)}</td>'
              f"<td>{_st(p.pitch_spread_semitones)}</td><td>{_db(p.loudness_dbfs)}</td></tr>")
    findings = "".join(f'<li class="finding {esc(f.kind)}"{_seek(f.spans[0].start_s) if f.spans else ""}>{esc(f.text)}</li>'
                       for f in p.findings) or '<li class="finding none">No delivery finding: varied tone, clear level.</li>'
    return (
        '<section id="sound"><h2>How it sounded</h2>'
        '<p class="legend">Pitch in semitones around your median, loudness of speech in dBFS, under the STAR '
        f'sections. Shaded: a flat stretch (under {MONOTONE_SEMITONES:g} semitone over 20 s); ▼ a sentence ending '
        f"{FADE_DB:g} dB or more quieter than it began; the dashed line is the too-quiet level ({QUIET_DBFS:g} dBFS). "
        'Click anywhere on the lanes to hear that moment.</p>'
        f"{sound_svg(r, p)}"
        f'<ul class="findings">{findings}</ul>'
        '<table class="facts sound"><thead><tr><th>Section</th><th>Pitch</th><th>Variation</th><th>Loudness</th></tr>'
        f"</thead><tbody>{table}</tbody></table>"
        f'<p class="nums">Flattest 20 s {_st(p.flattest_window_semitones)} · loudest moment {p.peak_dbfs:.0f} dBFS · '
        f"pitch range (10th-90th percentile) {_st(p.pitch_range_semitones)} · pitch tracker {esc(p.tracker)}</p></section>"
    )


def sound_svg(r: ScoreReport, p: ProsodyReport) -> str:
    t1 = max(len(p.contour_pitch_semitones) * p.contour_step_s, 1.0)
    w = WIDTH - LEFT - RIGHT
    pitch_top = STRIP_H + GAP
    level_top = pitch_top + PITCH_H + GAP
    height = level_top + LEVEL_H + AXIS_H

    def X(t: float) -> float:
        return LEFT + min(max(t, 0.0), t1) / t1 * w

    limit = max(4.0, math.ceil(max((abs(v) for v in p.contour_pitch_semitones if v is not None), default=4.0)))

    def YP(st: float) -> float:
        return pitch_top + (1 - (st + limit) / (2 * limit)) * PITCH_H

    lo, hi = LEVEL_RANGE_DBFS

    def YL(db: float) -> float:
        return level_top + (1 - (min(max(db, lo), hi) - lo) / (hi - lo)) * LEVEL_H

    out = [f'<svg class="sound" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="Pitch and loudness over the answer, under the STAR sections">']
    for s in r.sections:
        if s.start_s is None or s.end_s is None:
            continue
        out.append(f'<g class="strip {esc(s.name)}"{_seek(s.start_s)}><rect x="{X(s.start_s):.1f}" y="0" '
                   f'width="{max(X(s.end_s) - X(s.start_s), 1):.1f}" height="{STRIP_H}"/>'
                   f'<text x="{X(s.start_s) + 4:.1f}" y="14">{esc(s.name.title())}</text></g>')
    step = nice_step(t1)
    k = 0
    while k * step <= t1 + 1e-9:
        x = X(k * step)
        out.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{pitch_top}" y2="{level_top + LEVEL_H}"/>'
                   f'<text class="axis" x="{x:.1f}" y="{height - 4}">{clock(k * step)}</text>')
        k += 1
    for v in (-limit, 0.0, limit):
        out.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + w}" y1="{YP(v):.1f}" y2="{YP(v):.1f}"/>'
                   f'<text class="axis ylab" x="{LEFT - 4}" y="{YP(v) + 4:.1f}">{v:+.0f} st</text>')
    for db in (-60.0, -40.0, -20.0):
        out.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + w}" y1="{YL(db):.1f}" y2="{YL(db):.1f}"/>'
                   f'<text class="axis ylab" x="{LEFT - 4}" y="{YL(db) + 4:.1f}">{db:.0f} dB</text>')
    for f in p.findings:
        for span in f.spans if f.kind == "monotone" else ():
            out.append(f'<rect class="flat"{_seek(span.start_s)} x="{X(span.start_s):.1f}" y="{pitch_top}" '
                       f'width="{max(X(span.end_s) - X(span.start_s), 2):.1f}" height="{PITCH_H}">'
                       f"<title>flat: {span.value:.1f} semitones over {clock(span.start_s)}-{clock(span.end_s)}</title></rect>")
    out.append(f'<line class="quiet" x1="{LEFT}" x2="{LEFT + w}" y1="{YL(QUIET_DBFS):.1f}" y2="{YL(QUIET_DBFS):.1f}"/>')
    out += [_polyline("pitch", p.contour_pitch_semitones, p.contour_step_s, X, YP),
            _polyline("level", p.contour_loudness_dbfs, p.contour_step_s, X, YL)]
    for f in p.findings:
        for span in f.spans if f.kind == "fading_ends" else ():
            x = X(span.end_s)
            out.append(f'<path class="fade"{_seek(max(span.start_s, span.end_s - 2.0))} '
                       f'd="M{x - 5:.1f},{level_top + 2} h10 l-5,8 z"><title>sentence end {span.value:.0f} dB quieter '
                       f"at {clock(span.end_s)}</title></path>")
    for top, h, label in ((pitch_top, PITCH_H, "pitch"), (level_top, LEVEL_H, "loudness")):
        out.append(f'<text class="lane" x="{LEFT + 4}" y="{top + 12}">{label}</text>'
                   f'<rect class="seek" data-t0="0" data-t1="{t1:.2f}" x="{LEFT}" y="{top}" width="{w}" height="{h}"/>')
    out.append(f'<line class="playhead" data-end="{t1:.2f}" x1="{LEFT}" x2="{LEFT}" y1="0" '
               f'y2="{level_top + LEVEL_H}" data-left="{LEFT}" data-width="{w}"/>')
    out.append("</svg>")
    return "".join(out)


def _polyline(cls: str, values: Sequence[float | None], step_s: float, X, Y) -> str:  # type: ignore[no-untyped-def]
    """One polyline per run of known values: a gap (unvoiced, silent) is a gap in the line."""
    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(f"{X((i + 0.5) * step_s):.1f},{Y(v):.1f}")
    return "".join(f'<polyline class="{cls}" points="{" ".join(run)}"/>' for run in runs if len(run) > 1)


def _seek(t: float) -> str:
    return f' data-t="{t:.2f}" tabindex="0" role="button"'


def _hz(v: float | None) -> str:
    return "–" if v is None else f"{v:.0f} Hz"


def _st(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f} st"


def _db(v: float | None) -> str:
    return "–" if v is None else f"{v:.0f} dBFS"
