"""How fast is the history with many attempts? Prints figures; asserts nothing.

    .venv/bin/python bench/history_speed.py [--attempts 1000] [--questions 10] [--cache-dir DIR] [--keep DIR]

One real attempt is made first (a spoken fixture transcribed by the bundled model and scored; the
transcript is cached in --cache-dir when given), then cloned into N attempt folders spread over several
questions (the audio hard-linked, so the folders are real but cheap). Measured:
- recording: `record_attempt` once per folder, as the practice flow calls it (one transaction each);
- listing: `list_history` (read every row and its sections, check every audio file exists), in process;
- the terminal table with trends and sparklines, the JSON and the HTML page, in process;
- `mockinterview history` as a user runs it (a fresh process, imports included), text and JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.analysis.pacing import speech_onsets  # noqa: E402
from mockinterview.analysis.score import score_answer  # noqa: E402
from mockinterview.asr import Transcriber, Transcript  # noqa: E402
from mockinterview.audio.file import read_audio  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.history import render  # noqa: E402
from mockinterview.history.store import list_history, record_attempt  # noqa: E402


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attempts", type=int, default=1000)
    ap.add_argument("--questions", type=int, default=10)
    ap.add_argument("--cache-dir", type=Path, default=None, help="keep the fixture transcript here between runs")
    ap.add_argument("--keep", type=Path, default=None, help="build the data dir here and keep it")
    args = ap.parse_args()

    import soundfile as sf

    bank = load_bank([BUILTIN_DIR])
    question = bank.get("anticipate-customer-need")
    audio = ROOT / "audio_fixtures" / "strong_answer.flac"
    cached = args.cache_dir / "strong_answer.transcript.json" if args.cache_dir else None
    if cached and cached.exists():
        transcript = Transcript.from_dict(json.loads(cached.read_text()))
    else:
        t0 = time.perf_counter()
        transcript = Transcriber.load().transcribe(audio, terms=question.terms)
        print(f"transcribed the fixture in {time.perf_counter() - t0:.1f} s")
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(transcript.to_dict()))
    clip = read_audio(audio)
    report = score_answer(question, transcript, speech_onsets_s=speech_onsets(clip.samples, clip.sample_rate_hz))
    report_json = json.dumps(report.to_dict())

    data = args.keep or Path(tempfile.mkdtemp(prefix="mi-history-bench-"))
    wav = data / "answer.wav"
    data.mkdir(parents=True, exist_ok=True)
    sf.write(wav, clip.samples, clip.sample_rate_hz)
    ids = [q.id for q in bank.questions][: args.questions]
    folders = []
    t0 = time.perf_counter()
    for i in range(args.attempts):
        qid = ids[i % len(ids)]
        day, rest = divmod(i, 24 * 60)
        aid = f"2026{1 + day // 28:02d}{1 + day % 28:02d}-{rest // 60:02d}{rest % 60:02d}00-{qid}"
        folder = data / "attempts" / aid
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "answer.wav").exists():
            os.link(wav, folder / "answer.wav")
        (folder / "report.json").write_text(report_json.replace('"anticipate-customer-need"', f'"{qid}"', 1))
        (folder / "attempt.json").write_text(json.dumps(dict(
            id=aid, question_id=qid, mode="mock", started_at=f"{aid[:4]}-{aid[4:6]}-{aid[6:8]}T{aid[9:11]}:{aid[11:13]}:00+00:00",
            status="scored", turns=["answer.wav"])))
        folders.append(folder)
    print(f"built {len(folders)} attempt folders ({len(ids)} questions) in {time.perf_counter() - t0:.1f} s: {data}")

    t0 = time.perf_counter()
    for folder in folders:
        record_attempt(data, folder)
    took = time.perf_counter() - t0
    print(f"record_attempt x{len(folders)}: {took:.2f} s ({took / len(folders) * 1000:.1f} ms each)")
    print(f"database size: {(data / 'history.sqlite3').stat().st_size / 1024:.0f} KiB")

    t, rows = timed(lambda: list_history(data))
    print(f"list_history ({len(rows)} rows, audio checked): {t * 1000:.1f} ms (median of 5)")
    t, _ = timed(lambda: list_history(data, ids[0]))
    print(f"list_history one question: {t * 1000:.1f} ms")

    from rich.console import Console

    t, _ = timed(lambda: render.render_text(rows, Console(file=io.StringIO(), width=140)))
    print(f"terminal table + trends: {t * 1000:.1f} ms")
    t, _ = timed(lambda: json.dumps(render.to_json(rows, data)))
    print(f"JSON: {t * 1000:.1f} ms")
    t, page = timed(lambda: render.render_html(rows, data, data))
    print(f"HTML page: {t * 1000:.1f} ms ({len(page) / 1024:.0f} KiB)")

    for fmt in ("text", "json"):
        cmd = [sys.executable, "-m", "mockinterview", "history", "--format", fmt, "--data-dir", str(data)]
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True, env={**os.environ, "COLUMNS": "140"})
            walls.append(time.perf_counter() - t0)
        print(f"`mockinterview history --format {fmt}` (fresh process): {statistics.median(walls):.2f} s (median of 3)")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import mockinterview.cli"], cwd=ROOT, check=True)
    print(f"  of which starting Python and importing the CLI: {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
