"""The HTML report in a real browser: Debian's headless chromium opens it from disk, driven through the
DevTools protocol over a pipe (no websocket library needed). It must log no console errors, request
nothing but the files beside it, draw the timeline bars in proportion to the section durations, and seek
the recording when a section bar is clicked. A screenshot is kept for a human to look at."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from mockinterview.report.html import read_report, write_html
from test_history import QID, bank, build_attempt, transcribe  # noqa: F401  (fixtures)

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian package `chromium` is not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--mute-audio", "--hide-scrollbars"]
SHOT_DIR = Path(os.environ.get("MOCKINTERVIEW_SCREENSHOTS", "/tmp/mockinterview-screenshots"))


class DevTools:
    """Chrome DevTools protocol over --remote-debugging-pipe: chromium reads fd 3, writes fd 4,
    one JSON message per NUL-terminated chunk."""

    def __init__(self, profile: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # the child's ends go above 10, so the dup2 to 3 and 4 below can never clobber one with the other
        to_chrome_r, from_chrome_w = _above(to_chrome_r, 10), _above(from_chrome_w, 10)

        def child_fds() -> None:  # runs in the child between fork and exec; dup2'd fds are inheritable
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            # close_fds=False: Popen would otherwise close fds 3 and 4 after preexec_fn; every other fd of
            # ours is close-on-exec already
            close_fds=False, preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.events: list[dict] = []
        self._replies: queue.Queue = queue.Queue()
        self._next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()  # keep its stderr from filling

    def _read(self) -> None:
        buf = b""
        while True:
            chunk = os.read(self._from_chrome, 65536)
            if not chunk:
                self._replies.put(None)
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    self._replies.put(msg)
                else:
                    self.events.append(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout_s: float = 60) -> dict:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout_s
        while True:
            reply = self._replies.get(timeout=max(0.1, deadline - time.monotonic()))
            if reply is None:
                raise RuntimeError("chromium closed the DevTools pipe")
            if reply["id"] == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def wait_for(self, method: str, timeout_s: float = 60) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for e in self.events:
                if e.get("method") == method:
                    return e
            time.sleep(0.05)
        raise TimeoutError(f"no {method} within {timeout_s} s")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout_s=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)


def _above(fd: int, low: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, low)
    os.close(fd)
    return high


@pytest.fixture(scope="module")
def page(tmp_path_factory, bank, transcribe):  # noqa: F811
    data = tmp_path_factory.mktemp("browser") / "home"
    folder = build_attempt(data, bank.get(QID), transcribe, "20261102-090000", "filler_answer", "probe_weak")
    return write_html(folder, bank.get(QID)), read_report(folder)


def test_the_report_loads_offline_without_errors_and_draws_the_timeline(page, tmp_path):
    html_path, report = page
    chrome = DevTools(tmp_path / "profile")
    try:
        target = chrome.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = chrome.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            chrome.send(f"{domain}.enable", session=session)
        chrome.send("Emulation.setDeviceMetricsOverride",
                    {"width": 1280, "height": 1800, "deviceScaleFactor": 1, "mobile": False}, session=session)
        chrome.send("Page.navigate", {"url": html_path.as_uri()}, session=session)
        chrome.wait_for("Page.loadEventFired")

        def js(expression: str):
            result = chrome.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                      "awaitPromise": True}, session=session)
            assert "exceptionDetails" not in result, result
            return result["result"].get("value")

        js("new Promise(r => { const a = document.getElementById('answer');"
           " if (a.readyState >= 1) r(); else { a.onloadedmetadata = r; a.onerror = r; setTimeout(r, 5000); } })")
        bars = js("Array.from(document.querySelectorAll('rect.bar')).map(b => ({section: b.dataset.section,"
                  " duration: parseFloat(b.dataset.duration), width: b.getBoundingClientRect().width,"
                  " cls: b.getAttribute('class')}))")
        present = [s for s in report.sections if s.start_s is not None]
        assert [b["section"] for b in bars] == [s.name for s in present]
        assert all(b["width"] > 0 for b in bars)
        per_s = [b["width"] / b["duration"] for b in bars]  # on screen, after the SVG is scaled to the page
        assert max(per_s) - min(per_s) < 0.02 * max(per_s), bars
        assert all(b["cls"] == f"bar {s.verdict}" for b, s in zip(bars, present))
        colors = js("Array.from(document.querySelectorAll('rect.bar')).map(b => getComputedStyle(b).fill)")
        assert len(set(colors)) == len({s.verdict for s in present})  # one color per verdict

        # clicking a section bar moves the recording to where that section starts
        action = report.section("action")
        at = js("(() => { document.querySelector('rect.bar[data-section=action]').dispatchEvent("
                "new MouseEvent('click', {bubbles: true})); return document.getElementById('answer').currentTime; })()")
        assert at == pytest.approx(action.start_s, abs=0.05)
        # a click half-way along the pitch lane plays from half-way through the answer
        lane = js("(() => { const r = document.querySelector('svg.sound rect.seek').getBoundingClientRect();"
                  " return {left: r.left, width: r.width, top: r.top, height: r.height}; })()")
        assert lane["width"] > 500  # the lanes span the page
        at = js(f"(() => {{ document.querySelector('svg.sound rect.seek').dispatchEvent(new MouseEvent('click', "
                f"{{bubbles: true, clientX: {lane['left'] + lane['width'] / 2}, clientY: {lane['top'] + 5}}}));"
                " return document.getElementById('answer').currentTime; })()")
        step = report.prosody.contour_step_s
        assert at == pytest.approx(len(report.prosody.contour_pitch_semitones) * step / 2, abs=0.5)
        duration = js("document.getElementById('answer').duration")
        assert duration == pytest.approx(report.audio_s, abs=0.5)  # the audio beside the page really loaded

        # the follow-ups: each probe shown with why it was asked, the reply and its recording, which plays
        probes = js("Array.from(document.querySelectorAll('#probes article.probe')).map(a => ({text: a.innerText,"
                    " height: a.getBoundingClientRect().height, audio: a.querySelector('audio') ? "
                    "a.querySelector('audio').getAttribute('src') : null}))")
        assert len(probes) == len(report.probe_findings) >= 1
        for shown, finding in zip(probes, report.probe_findings):
            assert shown["height"] > 50 and finding.question in shown["text"]
            assert ("Asked because:" in shown["text"]) == bool(finding.gap)
            assert " ".join(finding.text.split()[:6]) in " ".join(shown["text"].split())
        # (preload="none": nothing is fetched until asked, as a click on play does)
        reply_s = js("new Promise(r => { const a = document.querySelector('#probes audio');"
                     " a.onloadedmetadata = () => r(a.duration); a.onerror = () => r(-1);"
                     " setTimeout(() => r(-2), 5000); a.preload = 'metadata'; a.load(); })")
        assert reply_s > 5  # the reply's recording beside the page really loads

        shot = chrome.send("Page.captureScreenshot", {"format": "png"}, session=session)
        png = base64.b64decode(shot["data"])
        time.sleep(0.5)  # let late console messages or requests arrive
    finally:
        chrome.close()

    errors = [e for e in chrome.events if e["method"] == "Runtime.exceptionThrown"
              or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "warning", "assert"))
              or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning"))]
    assert errors == []
    urls = [e["params"]["request"]["url"] for e in chrome.events if e["method"] == "Network.requestWillBeSent"]
    assert html_path.as_uri() in urls
    assert [u for u in urls if not u.startswith(("file://", "data:"))] == []  # nothing from the network
    assert all(u.startswith(html_path.parent.as_uri()) for u in urls if u.startswith("file://"))

    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    (SHOT_DIR / "report.png").write_bytes(png)
    (tmp_path / "report.png").write_bytes(png)
