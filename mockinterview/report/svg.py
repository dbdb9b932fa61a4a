"""Small SVG pieces shared by the report page and the history page: escaping, time labels, a line chart.

Points with a time (`data-t`) are moments of the answer: the page's script plays the audio from there."""

from __future__ import annotations

import html
from typing import Any, Sequence


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def nice_step(span: float) -> float:
    """A grid step for a time axis `span` seconds long: at most eight lines."""
    for step in (5, 10, 15, 30, 60, 120):
        if span / step <= 8:
            return float(step)
    return 300.0


def line_chart(xs: Sequence[float], ys: Sequence[float], *, band: tuple[float, float] | None = None, unit: str = "",
               x_is_time: bool = False, vlines: Sequence[tuple[float, str]] = (), width: int = 420,
               height: int = 150, label: str = "", x_labels: Sequence[str] = ()) -> str:
    """A small SVG line chart; with x_is_time the points are clickable moments of the answer."""
    left, right, top, bottom = 46, 12, 12, 26
    w, h = width - left - right, height - top - bottom
    lows = list(ys) + ([band[0]] if band else [])
    highs = list(ys) + ([band[1]] if band else [])
    y0, y1 = min(lows), max(highs)
    pad = (y1 - y0) * 0.1 or max(abs(y1) * 0.1, 1.0)
    y0, y1 = max(0.0, y0 - pad) if y0 >= 0 else y0 - pad, y1 + pad
    x0, x1 = (xs[0], xs[-1]) if len(xs) > 1 and xs[-1] > xs[0] else (xs[0] - 1, xs[0] + 1)

    def X(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * w

    def Y(y: float) -> float:
        return top + (1 - (y - y0) / (y1 - y0)) * h

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">']
    if band:
        out.append(f'<rect class="band" x="{left}" y="{Y(band[1]):.1f}" width="{w}" height="{Y(band[0]) - Y(band[1]):.1f}"/>')
    for v in (y0 + (y1 - y0) * k / 4 for k in range(5)):
        out.append(f'<line class="grid" x1="{left}" x2="{left + w}" y1="{Y(v):.1f}" y2="{Y(v):.1f}"/>'
                   f'<text class="axis ylab" x="{left - 4}" y="{Y(v) + 4:.1f}">{v:.0f}</text>')
    for t, name in vlines:
        if x0 <= t <= x1:
            out.append(f'<line class="vline" x1="{X(t):.1f}" x2="{X(t):.1f}" y1="{top}" y2="{top + h}"/>'
                       f'<text class="axis vlab" x="{X(t) + 3:.1f}" y="{top + 10}">{esc(name)}</text>')
    if x_is_time:
        for k in range(6):
            t = x0 + (x1 - x0) * k / 5
            out.append(f'<text class="axis" x="{X(t):.1f}" y="{height - 8}">{clock(t)}</text>')
    else:
        for x, text in zip(xs, x_labels):
            out.append(f'<text class="axis" x="{X(x):.1f}" y="{height - 8}">{esc(text)}</text>')
    points = " ".join(f"{X(x):.1f},{Y(y):.1f}" for x, y in zip(xs, ys))
    out.append(f'<polyline class="line" points="{points}"/>')
    for x, y in zip(xs, ys):
        attr = f' data-t="{x:.2f}"' if x_is_time else ""
        out.append(f'<circle class="dot"{attr} cx="{X(x):.1f}" cy="{Y(y):.1f}" r="{2.5 if x_is_time else 3.5}">'
                   f"<title>{y:g} {esc(unit)}</title></circle>")
    out.append("</svg>")
    return "".join(out)


