"""The HTML report on real scored attempts: what it shows, that it fetches nothing, that question-file and
transcript text is escaped, and the `report` command's formats."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import PROMPTS, run_cli
from mockinterview.analysis.report_data import ScoreReport
from mockinterview.bank import load_bank
from mockinterview.report.html import read_report, render_html, write_html
from test_history import QID, bank, build_attempt, transcribe  # noqa: F401  (fixtures)

BAR = re.compile(r'<rect class="bar (\w+)" data-section="(\w+)" data-t="([\d.]+)" data-duration="([\d.]+)" '
                 r'x="[\d.]+" y="[\d.]+" width="([\d.]+)"')


@pytest.fixture(scope="module")
def strong(tmp_path_factory, bank, transcribe):  # noqa: F811
    data = tmp_path_factory.mktemp("html") / "home"
    folder = build_attempt(data, bank.get(QID), transcribe, "20261103-090000", "strong_answer", "probe_strong")
    return data, folder, read_report(folder)


@pytest.fixture(scope="module")
def fillers(tmp_path_factory, bank, transcribe):  # noqa: F811
    data = tmp_path_factory.mktemp("html") / "home"
    folder = build_attempt(data, bank.get(QID), transcribe, "20261102-090000", "filler_answer")
    return data, folder, read_report(folder)


@pytest.fixture(params=["strong", "fillers"])
def attempt(request):
    return request.getfixturevalue(request.param)


def links(page: str) -> list[str]:
    return re.findall(r'\b(?:src|href)="([^"]*)"', page)


def test_the_page_shows_timeline_pace_transcript_cards_probes_and_verdict(attempt, bank):  # noqa: F811
    data, folder, r = attempt
    question = bank.get(QID)
    page = write_html(folder, question).read_text()

    bars = BAR.findall(page)
    present = [s for s in r.sections if s.start_s is not None]
    assert [(b[0], b[1]) for b in bars] == [(s.verdict, s.name) for s in present]
    px = [float(b[4]) / float(b[3]) for b in bars]  # width per second: one scale for every bar
    assert max(px) - min(px) < 0.01 * max(px)
    assert [float(b[2]) for b in bars] == pytest.approx([s.start_s for s in present], abs=0.01)
    assert page.count('class="filler" data-t=') == sum(
        1 for f in r.filler_events for s in present if s.start_s <= f.start_s < s.start_s + s.duration_s)
    assert page.count('<rect class="pause"') >= sum(1 for p in r.pauses if any(
        p.start_s < s.start_s + s.duration_s and p.end_s > s.start_s for s in present))

    assert '<svg class="chart"' in page  # WPM over time
    sound = page.split('<section id="sound">')[1].split("</section>")[0]  # how it sounded, from the audio
    p = r.prosody
    assert sound.count('<polyline class="pitch"') >= 5 and '<polyline class="level"' in sound
    assert [m for m in re.findall(r'<g class="strip (\w+)" data-t="([\d.]+)"', sound)] == \
        [(s.name, f"{s.start_s:.2f}") for s in present]
    assert "No delivery finding" in sound and p.findings == ()  # a normal take: nothing flagged
    for s in p.sections:
        if s.pitch_spread_semitones is not None:
            assert f"<th>{s.name.title()}</th><td>{s.pitch_median_hz:.0f} Hz</td><td>{s.pitch_spread_semitones:.1f} st</td>" \
                f"<td>{s.loudness_dbfs:.0f} dBFS</td>" in sound
            assert f"pitch varies {s.pitch_spread_semitones:.1f} st · {s.loudness_dbfs:.0f} dBFS</p>" in page  # its card
    words = page.split('<section id="transcript">')[1].split("</section>")[0]
    words = re.sub(r'<p class="legend">.*?</p>', "", words)
    assert words.count('<s class="filler">') == sum("filler" in w.tags for w in r.words)
    assert words.count('<u class="we">') == sum("we" in w.tags for w in r.words)
    assert words.count('<span class="w') == len(r.words)
    marked = len(re.findall(r'<mark class="(?:ph|mis)">[^ <]', words))  # a word, not a joining space
    assert marked == sum("phrase" in w.tags for w in r.words) > 0
    if any(h.misplaced for s in r.sections for h in s.hits):
        assert '<mark class="mis">' in words

    for s in r.sections:
        assert f"{s.name.title()} <span class=\"chip {s.verdict}\">" in page
        for h in s.hits:
            assert f'data-t="{h.start_s:.2f}" tabindex="0" role="button">{h.phrase}' in page.replace("&#x27;", "'")
    for n, finding in enumerate(r.probe_findings, 1):
        probe = next(p for p in question.probes if p.question == finding.question)
        assert _text(probe.strong_answer) in _text(page)
        assert _text(finding.text) in _text(page)
        assert f'src="probe-{n}.wav"' in page
    assert r.verdict in page and all(_text(x) in _text(page) for x in r.reasons)

    assert '<audio id="answer" controls preload="metadata" src="answer.wav">' in page
    for link in links(page):  # nothing to fetch: files beside the page, or inline data
        assert link.startswith("data:") or (folder / unquote(link)).is_file(), link
    assert page.count("<script>") == 1 and "<link rel=\"stylesheet\"" not in page


def test_a_question_file_with_script_shows_it_as_text(tmp_path, transcribe):  # noqa: F811
    data = tmp_path / "home"
    stories = data / "stories"
    stories.mkdir(parents=True)
    source = (PROMPTS / "amazon" / f"{QID}.toml").read_text()
    hostile = (source.replace(f'id = "{QID}"', 'id = "xss-check"')
               .replace('question = "Tell me about a time', 'question = "<script>alert(1)</script> Tell me about a time')
               .replace('strong_answer = """I flagged the issue', 'strong_answer = """<img src=x onerror=alert(2)> I flagged the issue'))
    assert hostile.count("<script>") == 1 and "<img" in hostile
    (stories / "xss-check.toml").write_text(hostile)
    bank = load_bank([PROMPTS, stories])
    assert not [p for p in bank.problems if "xss-check" in p], bank.problems
    question = bank.get("xss-check")
    folder = build_attempt(data, question, transcribe, "20261105-090000", "strong_answer", "probe_strong")

    done = run_cli("report", "latest", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    page = Path(done.stdout.strip()).read_text()
    assert Path(done.stdout.strip()) == folder / "report.html"
    assert page.count("<script>") == 1  # only the page's own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page

    # words from the transcript are escaped too
    r = read_report(folder)
    words = list(r.words)
    words[0] = dataclasses.replace(words[0], text='</span><script>alert(3)</script>')
    page = render_html(dataclasses.replace(r, words=tuple(words)), question, audio_href=None, attempt=None)
    assert page.count("<script>") == 1 and "&lt;script&gt;alert(3)" in page


def test_a_missing_section_reads_not_heard(tmp_path, bank, transcribe):  # noqa: F811
    question = bank.get(QID)
    folder = build_attempt(tmp_path / "home", question, transcribe, "20261106-090000", "skip_reflection")
    r = read_report(folder)
    missing = [s for s in r.sections if s.start_s is None]
    assert missing, "the skip_reflection fixture should leave a section unheard"
    page = write_html(folder, question).read_text()
    assert page.count("not heard") >= len(missing)
    assert len(BAR.findall(page)) == len(r.sections) - len(missing)


def test_report_command_formats_and_out(strong, tmp_path):
    data, folder, r = strong
    as_json = run_cli("report", folder.name, "--format", "json", "--data-dir", str(data))
    assert as_json.returncode == 0, as_json.stderr
    assert ScoreReport.from_dict(json.loads(as_json.stdout)) == r
    md = run_cli("report", folder.name[:10], "--format", "markdown", "--data-dir", str(data))
    assert md.returncode == 0 and f"# {QID}" in md.stdout
    text = run_cli("report", str(folder), "--format", "text", "--data-dir", str(data))
    assert text.returncode == 0 and "Situation" in text.stdout

    out = tmp_path / "elsewhere" / "mine.html"
    done = run_cli("report", "latest", "--out", str(out), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    src = re.search(r'<audio id="answer"[^>]* src="([^"]+)"', out.read_text()).group(1)
    assert (out.parent / unquote(src)).resolve() == (folder / "answer.wav").resolve()

    nothing = run_cli("report", "nope", "--data-dir", str(data))
    assert nothing.returncode == 1 and len(nothing.stderr.strip().splitlines()) == 1 and "nope" in nothing.stderr
    unscored = data / "attempts" / "20261107-090000-x"
    unscored.mkdir()
    (unscored / "attempt.json").write_text(json.dumps({"id": unscored.name}))
    done = run_cli("report", unscored.name, "--data-dir", str(data))
    assert done.returncode == 1 and "never scored" in done.stderr


def _text(s: str) -> str:
    """Compare text as it reads: HTML entities decoded, whitespace collapsed."""
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", s)).split())
