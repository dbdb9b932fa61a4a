"""The history as a terminal table with sparklines, as JSON-ready data, and as an HTML page with charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence
from urllib.parse import quote

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..attempts import page_path
from .store import AttemptRow
from .summary import Trend, sparkline, trends

CHANGE_STYLE = {"better": "green", "worse": "red", "in band": "green", "same": "dim"}


PARTIAL_MARK = " (partial)"
PARTIAL_NOTE = ("Attempts marked (partial) were stopped early; the trends leave them out "
                "(`mockinterview history --include-partial` counts them).")


def attempt_lines(rows: Sequence[AttemptRow], *, show_question: bool = True) -> list[str]:
    """The attempts table as plain fixed-width lines: a rich Table takes over a second for 1,000 rows."""
    head = ["attempt", *(["question"] if show_question else []), "mode", "spoken", "phrases", "fill/min", "wpm",
            "I/we", "tone", "level", "verdict"]
    right = {"spoken", "phrases", "fill/min", "wpm", "I/we", "tone", "level"}
    table = [head]
    for r in rows:
        cells = [short_id(r), *([r.question_id] if show_question else []), "·".join(filter(None, [r.mode, r.level]))]
        if r.duration_s is None:
            cells += ["-", "-", "-", "-", "-", "-", "-", r.status]
        else:
            cells += [f"{r.duration_s:.0f}/{r.total_target_s:.0f} s", f"{r.phrases_hit}/{r.phrases_total}",
                      f"{r.fillers_per_min:g}", f"{r.wpm:.0f}", f"{r.i_count}/{r.we_count}",
                      _or_dash(r.pitch_spread_semitones, "{:.1f} st"), _or_dash(r.loudness_dbfs, "{:.0f} dB"),
                      (r.verdict or "").removeprefix("Leaning ") + (PARTIAL_MARK if r.partial else "")]
        if r.audio_missing:
            cells[-1] += " (audio deleted)"
        table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = []
    for n, row in enumerate(table):
        cells = [c.rjust(w) if head[i] in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("─" * w for w in widths))
    return lines


def _or_dash(value: float | None, fmt: str) -> str:
    return "-" if value is None else fmt.format(value)


def short_id(r: AttemptRow) -> str:
    """The time part of `<time>-<question id>`: unique enough for `report`/`compare`, and half as wide."""
    suffix = f"-{r.question_id}"
    return r.id[: -len(suffix)] if r.id.endswith(suffix) else r.id


def trend_table(t: Trend) -> Table:
    table = Table(title=f"Trend: {t.question_id} ({len(t.attempt_ids)} scored attempts)", title_justify="left",
                  show_edge=False, pad_edge=False)
    for name, justify in (("measure", "left"), ("attempts", "left"), ("first", "right"), ("last", "right"),
                          ("aim", "right"), ("change", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in t.series:
        lo = min([*s.values, *(s.band or ())])
        hi = max([*s.values, *(s.band or ())])
        joint = "-" if s.band and s.band[0] >= 0 else " to "
        aim = f"{s.band[0]:.0f}{joint}{s.band[1]:.0f}" if s.band else ("lower" if s.lower_is_better else "higher")
        fmt = "{:.0f}" if s.unit in ("s", "wpm") else "{:.1f}"
        table.add_row(s.name, sparkline(s.values, lo, hi), fmt.format(s.values[0]), fmt.format(s.values[-1]), aim,
                      Text(s.change, style=CHANGE_STYLE.get(s.change, "")))
    return table


def render_text(rows: Sequence[AttemptRow], console: Console, *, show_question: bool = True,
                include_partial: bool = False) -> None:
    if not rows:
        console.print("No attempts yet. Start one with `mockinterview practice`.")
        return
    console.file.write("\n".join(attempt_lines(rows, show_question=show_question)) + "\n")
    if not include_partial and any(r.partial for r in rows):
        console.print(PARTIAL_NOTE, style="dim")
    for t in trends(rows, include_partial=include_partial):
        if len(t.attempt_ids) >= 2:
            console.print()
            console.print(trend_table(t))


def to_json(rows: Sequence[AttemptRow], data_dir: Path, *, include_partial: bool = False) -> dict[str, Any]:
    attempts = []
    for r in rows:
        item = r.to_dict()
        item["partial"] = r.partial
        item["audio_missing"] = r.audio_missing
        item["audio_paths"] = [str(p) for p in r.audio_paths(data_dir)]
        report = r.report_path(data_dir)
        item["report_path"] = str(report) if report else None
        attempts.append(item)
    return {
        "attempts": attempts,
        "trends": [{"question_id": t.question_id, "attempt_ids": list(t.attempt_ids),
                    "series": [{"name": s.name, "unit": s.unit, "values": list(s.values),
                                "band": list(s.band) if s.band else None, "change": s.change} for s in t.series]}
                   for t in trends(rows, include_partial=include_partial)],
    }


def render_html(rows: Sequence[AttemptRow], data_dir: Path, page_dir: Path, *, include_partial: bool = False) -> str:
    """The history page; links to each attempt's report are relative to `page_dir`."""
    import os

    from ..report.assets import stylesheet
    from ..report.svg import esc, line_chart

    body = []
    for t in trends(rows, include_partial=include_partial):
        if not t.attempt_ids:
            continue
        charts = []
        for s in t.series:
            xs = list(range(1, len(s.values) + 1))
            svg = line_chart(xs, s.values, band=s.band, unit=s.unit, width=440, height=160,
                             label=f"{s.name} per attempt", x_labels=[f"#{x}" for x in xs])
            change = f' <span class="chg {esc(s.change.replace(" ", "-"))}">{esc(s.change)}</span>' if s.change else ""
            unit = f" ({esc(s.unit)})" if s.unit in ("s", "%", "st", "dBFS") else ""
            charts.append(f"<figure><figcaption>{esc(s.name)}{unit}{change}</figcaption>{svg}</figure>")
        body.append(f'<section class="trend"><h2>{esc(t.question_id)}</h2><p class="meta">{len(t.attempt_ids)} scored '
                    f'attempts</p><div class="charts">{"".join(charts)}</div></section>')
    table = ["<table class=\"hist\"><thead><tr><th>attempt</th><th>question</th><th>mode</th><th>level</th>"
             "<th>spoken</th><th>target</th><th>phrases</th><th>fillers/min</th><th>wpm</th><th>I/we</th>"
             "<th>verdict</th></tr></thead><tbody>"]
    for r in rows:
        report_html = page_path(Path(data_dir) / r.folder)
        name = esc(r.id)
        if report_html.exists():
            href = quote(Path(os.path.relpath(report_html.resolve(), Path(page_dir).resolve())).as_posix())
            name = f'<a href="{esc(href)}">{name}</a>'
        if r.duration_s is None:
            nums = f'<td colspan="6">-</td><td>{esc(r.status)}</td>'
        else:
            nums = (f"<td>{r.duration_s:.0f} s</td><td>{r.total_min_s:.0f}–{r.total_max_s:.0f} s</td>"
                    f"<td>{r.phrases_hit}/{r.phrases_total}</td><td>{r.fillers_per_min:g}</td><td>{r.wpm:.0f}</td>"
                    f"<td>{r.i_count}/{r.we_count}</td><td>{esc(r.verdict)}"
                    + (f'<span class="part">{esc(PARTIAL_MARK)}</span>' if r.partial else "") + "</td>")
        flag = ' <span class="gone">audio deleted</span>' if r.audio_missing else ""
        table.append(f"<tr><td>{name}{flag}</td><td>{esc(r.question_id)}</td><td>{esc(r.mode)}</td>"
                     f"<td>{esc(r.level or '-')}</td>{nums}</tr>")
    table.append("</tbody></table>")
    extra = ("figure{margin:0}figcaption{font-size:13px;font-weight:600;margin-bottom:2px}"
             ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:14px}"
             "table.hist{border-collapse:collapse;width:100%;font-size:13px}"
             "table.hist th,table.hist td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left}"
             ".chg{font-weight:400;font-size:12px;border-radius:8px;padding:0 6px;background:#f1f2f4}"
             ".chg.better,.chg.in-band{background:#e3f1e6}.chg.worse{background:#fbeeee}.gone{color:var(--over);font-size:12px}"
             ".part{color:var(--under);font-weight:600}")
    note = f'<p class="meta">{esc(PARTIAL_NOTE)}</p>' if not include_partial and any(r.partial for r in rows) else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
            f"<title>mockinterview history</title><style>{stylesheet()}{extra}</style></head><body>"
            f'<p class="kicker">mockinterview</p><h1>Practice history</h1><p class="meta">{len(rows)} attempts</p>'
            f'{"".join(body)}<h2>Attempts</h2>{"".join(table)}{note}</body></html>')
