"""How far behind the speech is the live section label? Prints; asserts nothing.

    .venv/bin/python bench/label_lag.py [--only strong_answer] [--every 1.0] [-v]

Every answer fixture (probes and silence skipped) is replayed as `practice` hears it live: the audio is
fed to the streaming transcriber in the recorder's 0.1 s blocks, the session settles after each block
(a model that is never late: the same guesses and top-ups every run), and every `--every` seconds of
audio the live tracker (analysis/live.py) is updated with the words so far and its label is read, as
interview/mock.py does. The fixtures' truth files hold the true start of every section. Figures:

- lag per true boundary: when the label moved to that section (or a later one) for good, minus the true
  start; negative when it moved early. A section never shown counts as missed. Goal: |lag| <= 3 s.
- false moves: label changes that are not the move at a true boundary (flicker, a wrong guess).
- heard: when the first word said past the boundary reached the live words (the transcriber's share
  of the lag; the rest is the tracker's).
- wrong time: the share of the answer's speech during which the label names another section than the
  one being spoken (before the first label is shown counts as wrong).
- decode delay: the wall time of the settles that had work to do. A live run on this machine shows the
  words that much later than the replay does; add it to the lag for the live figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.analysis import live  # noqa: E402
from mockinterview.analysis.live import LiveSectionTracker  # noqa: E402
from mockinterview.analysis.section_model import default_reader  # noqa: E402
from mockinterview.asr import Transcriber  # noqa: E402
from mockinterview.asr.model import load_model  # noqa: E402
from mockinterview.asr.streaming import StreamingSettings  # noqa: E402
from mockinterview.audio.file import read_audio  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.interview.mock import TRACK_EVERY_S  # noqa: E402

# Tuned on these; the rest of the answer fixtures are the test split, reported beside them.
DEV = ("filler_answer", "long_situation", "strong_answer", "weak_we_answer")
BLOCK = 1600  # the recorder's 0.1 s at 16 kHz
GOAL_S = 3.0


def replay(transcriber: Transcriber, question, samples, rate_hz: int, every_s: float, peek_every_s: float | None):
    """[(audio time, label or None, start of the last word heard)] every `every_s`, and the wall times of
    settles that did work."""
    session = transcriber.stream(terms=question.terms, max_backlog_s=float("inf"), peek_every_s=peek_every_s)
    tracker = LiveSectionTracker(question, reader=default_reader())
    labels, busy = [], []
    next_s = every_s
    for i in range(0, samples.size, BLOCK):
        session.feed(samples[i : i + BLOCK])
        t0 = time.perf_counter()
        session.settle()
        took = time.perf_counter() - t0
        if took > 0.02:
            busy.append(took)
        now_s = (i + BLOCK) / rate_hz
        if now_s >= next_s:
            next_s += every_s
            words = session.words_so_far()
            tracker.update(words)
            current = tracker.current()
            labels.append((now_s, current[0] if current else None, words[-1].start_s if words else -1.0))
    session.finish()
    return labels, busy


def measure(labels, sections) -> tuple[list[tuple[str, float | None, float | None]], int, float, float]:
    """Per true boundary (section, lag or None when never shown, lag of the first word heard past it);
    false moves; wrong seconds; speech seconds."""
    order = [s["name"] for s in sections]
    lags = []
    for k, sec in enumerate(sections[1:], 1):
        # when the label got there for good: its last move from an earlier section to this one or a later
        rank = [order.index(name) if name in order else -1 for _, name, _ in labels]
        shown = None
        for j, (t, _, _) in enumerate(labels):
            if rank[j] >= k and (j == 0 or rank[j - 1] < k):
                shown = t
        heard = next((t for t, _, last_s in labels if last_s >= sec["start_s"] - 0.05), None)
        lags.append((sec["name"], None if shown is None else shown - sec["start_s"],
                     None if heard is None else heard - sec["start_s"]))
    moves = sum(1 for j in range(1, len(labels)) if labels[j][1] != labels[j - 1][1] and labels[j - 1][1] is not None)
    false_moves = moves - sum(1 for _, lag, _ in lags if lag is not None)
    wrong = spoken = 0.0
    step = labels[1][0] - labels[0][0] if len(labels) > 1 else 1.0
    for t, name, _ in labels:
        truth = next((s["name"] for s in sections if s["start_s"] <= t < s["end_s"]), None)
        if truth is None:
            continue  # a pause between sections or the lead-in: any label will do
        spoken += step
        wrong += step if name != truth else 0.0
    return lags, false_moves, wrong, spoken


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=ROOT / "audio_fixtures")
    ap.add_argument("--only", action="append", default=[], help="fixture stem(s) to run")
    ap.add_argument("--every", type=float, default=TRACK_EVERY_S, help="seconds between label updates")
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--peek", type=float, default=StreamingSettings().peek_every_s,
                    help="StreamingSettings.peek_every_s (0: no peeks)")
    ap.add_argument("--tracker", action="append", default=[], metavar="NAME=VALUE",
                    help="a constant of analysis/live.py, e.g. FORWARD_CONFIRM=1")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every label change")
    args = ap.parse_args()
    for item in args.tracker:
        name, value = item.split("=", 1)
        setattr(live, name, type(getattr(live, name))(float(value)))
    peek = args.peek or None
    bank = load_bank([BUILTIN_DIR])
    transcriber = Transcriber(load_model(None, seed=0))
    all_lags: list[float] = []
    heard_lags: list[float] = []
    missed = 0
    wrong_total = spoken_total = 0.0
    false_total = 0
    busy_all: list[float] = []
    print(f"split {args.split}; peek every {peek} s; tracker {args.tracker or 'as shipped'}")
    print(f"label updated every {args.every:.1f} s of audio; goal |lag| <= {GOAL_S:.0f} s per boundary")
    print(f"{'fixture':20} {'voice':14} {'wpm':>4} {'boundaries: lag s':40} {'false':>5} {'wrong':>6}")
    for truth_path in sorted(args.fixtures.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        stem = truth_path.name[: -len(".truth.json")]
        if "probe_index" in truth or truth["word_count"] == 0 or (args.only and stem not in args.only):
            continue
        if args.split != "all" and (stem in DEV) != (args.split == "dev"):
            continue
        sections = truth["sections"]
        clip = read_audio(truth_path.with_name(truth["audio"]))
        labels, busy = replay(transcriber, bank.get(truth["question_id"]), clip.samples, clip.sample_rate_hz, args.every, peek)
        busy_all += busy
        lags, false_moves, wrong, spoken = measure(labels, sections)
        false_total += false_moves
        wrong_total += wrong
        spoken_total += spoken
        shown = []
        for name, lag, heard in lags:
            if heard is not None:
                heard_lags.append(heard)
            if lag is None:
                missed += 1
                shown.append(f"{name[:4]} never")
            else:
                all_lags.append(lag)
                shown.append(f"{name[:4]} {lag:+.1f}")
        print(f"{stem:20} {truth['voice']:14} {truth['spoken_wpm']:4.0f} {', '.join(shown):40} "
              f"{false_moves:5d} {wrong / max(spoken, 1e-9):6.0%}", flush=True)
        if args.verbose:
            print("    truth:  " + ", ".join(f"{s['name']} {s['start_s']:.1f}" for s in sections))
            changes = [(t, n) for j, (t, n, _) in enumerate(labels) if j == 0 or labels[j - 1][1] != n]
            print("    heard:  " + ", ".join(f"{name} {heard:+.1f}" for name, _, heard in lags if heard is not None))
            print("    shown:  " + ", ".join(f"{n} {t:.1f}" for t, n in changes))
    print()
    if all_lags:
        within = sum(abs(x) <= GOAL_S for x in all_lags)
        print(f"boundaries: {len(all_lags) + missed}; within {GOAL_S:.0f} s: {within} "
              f"({within / (len(all_lags) + missed):.0%}); never shown: {missed}; false moves: {false_total}")
        print(f"lag s: mean {statistics.mean(all_lags):+.2f}, median {statistics.median(all_lags):+.2f}, "
              f"mean |lag| {statistics.mean(abs(x) for x in all_lags):.2f}, worst late {max(all_lags):+.2f}, "
              f"worst early {min(all_lags):+.2f}")
    if heard_lags:
        print(f"words heard past a boundary (the transcriber's part of the lag): mean {statistics.mean(heard_lags):+.2f} s, "
              f"worst {max(heard_lags):+.2f} s")
    print(f"wrong label: {wrong_total / max(spoken_total, 1e-9):.1%} of {spoken_total:.0f} s of sections")
    if busy_all:
        print(f"decode delay (settles with work): median {statistics.median(busy_all):.2f} s, "
              f"max {max(busy_all):.2f} s over {len(busy_all)} decodes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
