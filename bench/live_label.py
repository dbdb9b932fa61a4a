"""How soon does the live section label follow the speech, on answers nobody here tuned against? Prints;
asserts nothing. The text counterpart of bench/label_lag.py: many more answers, no speech model.

    .venv/bin/python bench/live_label.py [--batch 2.0] [--decode 0.4] [--every 1.0] [--wpm 130 --wpm 200] [--show dev]

Each answer of the segmentation corpus (tests/data/segmentation/answers.txt, dev and test as
bench/segmentation.py splits them) is made a transcript at each `--wpm` (140 and 190 by default). The live
view is replayed: the words arrive as the streaming peeks bring them (once `--batch` seconds of audio
follow the last word known, decoded in `--decode` seconds), and every `--every` seconds the tracker
(analysis/live.py) is given the words so far and its label is read. Figures, per split:
- boundaries where the label moved to the section for good within 3 s of its true start (early or late);
- median lag; false moves (label changes that are not the move at a true boundary);
- wrong time: the share of the speech during which the label names another section.
Test is printed only in aggregate.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from segmentation import parse, split_of  # noqa: E402
from mockinterview.analysis import live, sections  # noqa: E402
from mockinterview.analysis.live import LiveSectionTracker  # noqa: E402
from mockinterview.analysis.section_model import default_reader  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.testing import transcript_from_sentences  # noqa: E402

GOAL_S = 3.0


def replay(question, answer, wpm: float, batch_s: float, decode_s: float, every_s: float, reader):
    """[(time, label)], and the true [(section, start_s, end_s)] of the answer said at `wpm`."""
    transcript = transcript_from_sentences([s for _, s in answer.lines], wpm=wpm)
    truth: list[list] = []
    for (section, _), seg in zip(answer.lines, transcript.segments):
        if truth and truth[-1][0] == section:
            truth[-1][2] = seg.end_s
        else:
            truth.append([section, seg.start_s, seg.end_s])
    tracker = LiveSectionTracker(question, reader=reader)
    words = transcript.words
    labels = []
    t = every_s
    end_s = transcript.duration_s + batch_s + decode_s
    heard: list = []
    while t <= end_s:
        # the words arrive as the streaming peeks bring them: once `batch_s` of audio follows the last word
        # known, that audio is decoded, which takes `decode_s`
        audio_s = t - decode_s
        known_s = heard[-1].end_s if heard else 0.0
        if audio_s - known_s >= batch_s or audio_s >= transcript.duration_s:
            heard = [w for w in words if w.end_s <= audio_s]
        if heard:
            tracker.update(heard)
        current = tracker.current()
        labels.append((t, current[0] if current else None))
        t += every_s
    return labels, [tuple(x) for x in truth]


def measure(labels, truth):
    order = [name for name, _, _ in truth]
    lags = []
    for k, (name, start_s, _) in enumerate(truth[1:], 1):
        rank = [order.index(n) if n in order else -1 for _, n in labels]
        shown = None
        for j, (t, _) in enumerate(labels):
            if rank[j] >= k and (j == 0 or rank[j - 1] < k):
                shown = t
        lags.append((name, None if shown is None else shown - start_s))
    moves = sum(1 for j in range(1, len(labels)) if labels[j][1] != labels[j - 1][1] and labels[j - 1][1] is not None)
    false_moves = moves - sum(1 for _, lag in lags if lag is not None)
    wrong = spoken = 0
    for t, name in labels:
        now = next((n for n, a, b in truth if a <= t <= b), None)
        if now is None:
            continue
        spoken += 1
        wrong += name != now
    return lags, false_moves, wrong, spoken


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=float, default=2.0, help="seconds of audio between peeks (peek_every_s)")
    ap.add_argument("--decode", type=float, default=0.0, help="seconds a peek takes to decode (bench/label_lag.py counts none)")
    ap.add_argument("--every", type=float, default=1.0, help="seconds between label updates (TRACK_EVERY_S)")
    ap.add_argument("--wpm", type=float, action="append", help="speaking rates (default 140 and 190)")
    ap.add_argument("--show", choices=["dev"], help="print each dev answer's lags")
    ap.add_argument("--tracker", action="append", default=[], metavar="NAME=VALUE",
                    help="a constant of analysis/live.py")
    ap.add_argument("--sections", action="append", default=[], metavar="NAME=VALUE",
                    help="a constant of analysis/sections.py")
    args = ap.parse_args()
    for item in args.sections:
        name, value = item.split("=", 1)
        setattr(sections, name, type(getattr(sections, name))(float(value)))
    for item in args.tracker:
        name, value = item.split("=", 1)
        setattr(live, name, type(getattr(live, name))(float(value)))
    rates = args.wpm or [140.0, 190.0]
    reader = default_reader()
    bank = load_bank([BUILTIN_DIR])
    answers = parse()
    print(f"peek every {args.batch} s, decoded in {args.decode} s, update every {args.every} s, rates {rates} wpm, tracker {args.tracker or 'as shipped'}")
    print(f"{'split':6} {'boundaries within 3 s':>22} {'median lag':>11} {'false moves':>12} {'wrong time':>11}")
    for split in ("dev", "test"):
        lags_all: list[float | None] = []
        false_total = wrong_total = spoken_total = 0
        for answer in (a for a in answers if split_of(a) == split):
            question = bank.get(answer.question_id)
            for wpm in rates:
                labels, truth = replay(question, answer, wpm, args.batch, args.decode, args.every, reader)
                lags, false_moves, wrong, spoken = measure(labels, truth)
                lags_all += [lag for _, lag in lags]
                false_total += false_moves
                wrong_total += wrong
                spoken_total += spoken
                if args.show == split:
                    shown = ", ".join(f"{n[:4]} {'never' if lag is None else f'{lag:+.1f}'}" for n, lag in lags)
                    changes = [f"{n} {t:.1f}" for j, (t, n) in enumerate(labels) if j == 0 or labels[j - 1][1] != n]
                    print(f"  {answer.answer_id:22} {wpm:3.0f} {shown:44} false {false_moves}")
                    print("      truth: " + ", ".join(f"{n} {a:.1f}" for n, a, _ in truth))
                    print("      shown: " + ", ".join(changes))
        known = [x for x in lags_all if x is not None]
        within = sum(abs(x) <= GOAL_S for x in known)
        print(f"{split:6} {within:>12}/{len(lags_all):<3} ({within / max(len(lags_all), 1):4.0%}) "
              f"{statistics.median(known) if known else float('nan'):>+10.1f}s {false_total:>12} "
              f"{wrong_total / max(spoken_total, 1):>10.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
