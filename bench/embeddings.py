"""Which embedding model credits phrases by meaning best, and at what cost? Prints figures; asserts nothing.

    .venv/bin/python bench/embeddings.py [--models minilm-l6-int8,minilm-l3,wordllama] [--set dev|heldout]

Text-level: each item of tests/data/meaning/<set>.json is one section in the candidate's own words,
scored by the real crediting code (literal matcher first, then meaning, with every rule), on a
transcript made from the text (170 words a minute). Per model, in one run: model load time (fresh process
state per model: the first load includes imports), the threshold sweep on the dev set (recall of the
meant phrases, false credits outside traps, credits of trap phrases), the 17 trap answers of
tests/data/meaning/trap_answers.json scored whole (default model only: the crediting code reads the
default), and cost per answer (the five seed
sections of the dev set, every vector embedded afresh as in a new process: wall and CPU time, median
of 5; the machine is shared, so wall time includes waiting for a core). Then, for the default model,
the later sets: review.json / review_traps.json (written blind, then used to set rules) and
heldout2.json (written blind, held out) / heldout2_traps.json (looked at, so calibration).
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

from mockinterview.analysis.credit import embeddings, meaning  # noqa: E402
from mockinterview.testing import credit_text, transcript_from_sentences  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.errors import MockInterviewError  # noqa: E402

DATA = ROOT / "tests" / "data" / "meaning"


def evaluate(items: list[dict], bank, model: str, threshold: float) -> dict:
    meaning.THRESHOLD = threshold
    meant = got = false = trap_items = trap_false = 0
    misses: list[str] = []
    wrong: list[str] = []
    for item in items:
        sec = bank.get(item["q"]).section(item["section"])
        credit = credit_text(sec, item["text"], wpm=170, model=model)
        credited = {h.phrase for h in credit.hits}
        want = set(item["meant"])
        meant += len(want)
        got += len(credited & want)
        misses += [f"{item['q']}/{item['section']}: {p}" for p in sorted(want - credited)]
        bad = credited - want
        if item.get("traps"):
            trap_items += 1
            trap_false += len(bad)
        else:
            false += len(bad)
        wrong += [f"{item['q']}/{item['section']}: {p} <- {next(h.said for h in credit.hits if h.phrase == p)!r}" for p in sorted(bad)]
    return {"recall": got / max(1, meant), "got": got, "meant": meant, "false": false, "traps": trap_items,
            "trap_false": trap_false, "misses": misses, "wrong": wrong}


def trap_answers(bank, model: str, name: str = "trap_answers") -> tuple[int, list[str]]:
    """Credits earned by the 17 trap answers of a set (one per built-in question), each scored whole."""
    from mockinterview.analysis.score import score_answer

    items = json.loads((DATA / f"{name}.json").read_text())["items"]
    wrong = []
    for item in items:
        report = score_answer(bank.get(item["q"]), transcript_from_sentences(item["sentences"]), marks_s=[0.4, 5.0, 10.0])
        wrong += [f"{item['q']}: {h.phrase} ({h.method}) <- {h.said!r}" for s in report.sections for h in s.hits]
    return len(wrong), wrong


def cost_per_answer(items: list[dict], bank, model: str) -> tuple[float, float]:
    runs, cpu = [], []
    answer = [i for i in items if i["q"] == "anticipate-customer-need" and i["meant"]][:5]
    for _ in range(5):
        meaning._VECTORS.clear()  # every run embeds its clauses afresh, as a new answer does
        t0, c0 = time.perf_counter(), time.process_time()
        for item in answer:
            sec = bank.get(item["q"]).section(item["section"])
            credit_text(sec, item["text"], wpm=170, model=model)
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(runs), statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=",".join(embeddings.MODELS))
    ap.add_argument("--thresholds", default="0.40,0.45,0.50,0.53,0.56,0.60,0.65")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    bank = load_bank([BUILTIN_DIR])
    dev = json.loads((DATA / "dev.json").read_text())["items"]
    held = json.loads((DATA / "heldout.json").read_text())["items"]
    print(f"{'model':15} {'load s':>6} {'thr':>5} {'dev recall':>11} {'dev false':>9} {'dev trap':>9} "
          f"{'held recall':>11} {'held false':>10} {'held trap':>9} {'answer s':>8} {'cpu s':>7}")
    for model in args.models.split(","):
        t0 = time.perf_counter()
        try:
            embeddings.load_embedder(model)
        except MockInterviewError as exc:
            print(f"{model:15} not available: {exc} (pip install -e '.[bench]')")
            continue
        load_s = time.perf_counter() - t0
        cost, cost_cpu = cost_per_answer(dev, bank, model)
        for thr in (float(t) for t in args.thresholds.split(",")):
            d = evaluate(dev, bank, model, thr)
            h = evaluate(held, bank, model, thr)
            traps, trap_lines = trap_answers(bank, model) if model == embeddings.DEFAULT_MODEL else (-1, [])
            print(f"{model:15} {load_s:6.2f} {thr:5.2f} {d['recall']:5.2f} {d['got']:2}/{d['meant']:<2} {d['false']:9} "
                  f"{d['trap_false']:4}/{d['traps']:<4} {h['recall']:5.2f} {h['got']:2}/{h['meant']:<2} {h['false']:10} "
                  f"{h['trap_false']:4}/{h['traps']:<4} {cost:8.3f} {cost_cpu:7.3f} {traps if traps >= 0 else '-':>6}")
            if args.verbose:
                for line in d["misses"] + h["misses"]:
                    print(f"      missed {line}")
                for line in d["wrong"] + h["wrong"] + trap_lines:
                    print(f"      WRONG  {line}")
    print("\nlater sets (default model, threshold 0.30): review.json was written blind, then used to set rules; heldout2.json is held out")
    meaning.THRESHOLD = 0.30
    for name, traps in (("review", "review_traps"), ("heldout2", "heldout2_traps")):
        r = evaluate(json.loads((DATA / f"{name}.json").read_text())["items"], bank, embeddings.DEFAULT_MODEL, 0.30)
        n, lines = trap_answers(bank, embeddings.DEFAULT_MODEL, traps)
        print(f"{name:9} recall {r['recall']:.2f} ({r['got']}/{r['meant']}), {r['false']} credited but not meant; "
              f"{traps}: {n} credits in 17 trap answers")
        if args.verbose:
            for line in r["wrong"] + lines:
                print(f"      WRONG  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
