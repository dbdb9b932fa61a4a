"""How well does crediting read what a candidate meant, on lines nobody tuned against? Prints figures;
asserts nothing.

    .venv/bin/python bench/credit_corpus.py                 # dev and test figures, the default judge
    .venv/bin/python bench/credit_corpus.py --show dev      # and each dev miss and false credit
    .venv/bin/python bench/credit_corpus.py --models minilm-l6-int8,minilm-l3

The corpus (tests/data/credit/dev.txt and test.txt; the format is described at the top of each file)
holds one line per thing a candidate might say in one section of one of the 17 built-in questions, in
several registers (casual with fillers, formal, terse, non-native, rambling), labelled with the strong
phrases it means ("+") and those it resembles but must not earn ("-": hedges, hearsay, plans,
negations, a teammate's work, a hand-off, "we", the opposite). It was written in one go, before any of
it was scored, and split once into dev and test by a hash of each line's text (`--split`, run once;
the files are committed). Tune on dev, report test: only aggregate test figures are ever printed.

Each line is scored alone as its section, by the real crediting code (literal matcher, then meaning,
every rule), on a transcript made from the text at 170 words a minute:
- recall: meant phrases credited / meant phrases;
- false credits: tempting phrases credited / tempting phrases (the issue's bar: <= 1 in 34);
- precision: credits of meant phrases / credits of labelled phrases (meant or tempting).
Per kind of temptation the false credits are printed too, and the cost per line.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.analysis.credit.embeddings import DEFAULT_MODEL, MODELS  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.testing import credit_text  # noqa: E402

DATA = ROOT / "tests" / "data" / "credit"


@dataclass(frozen=True)
class Line:
    question_id: str
    section: str
    kind: str
    meant: tuple[str, ...]
    tempting: tuple[str, ...]
    text: str


def parse(path: Path) -> list[Line]:
    """Lines of a corpus file: "= question-id" starts a question; "section | kind | labels | text"."""
    out: list[Line] = []
    question = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("="):
            question = line[1:].strip()
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4 or not question:
            raise SystemExit(f"{path}:{number}: expected 'section | kind | labels | text' after '= question'")
        section, kind, labels, text = parts
        names = [p.strip() for p in labels.split(";") if p.strip()]
        if any(n[:1] not in "+-" for n in names):
            raise SystemExit(f"{path}:{number}: each label starts with + (meant) or - (tempting)")
        out.append(Line(question, section, kind, tuple(n[1:] for n in names if n[0] == "+"),
                        tuple(n[1:] for n in names if n[0] == "-"), text))
    return out


def check(lines: list[Line], bank) -> None:
    for line in lines:
        sec = bank.get(line.question_id).section(line.section)
        for phrase in line.meant + line.tempting:
            if phrase not in sec.strong_phrases:
                raise SystemExit(f"{line.question_id}/{line.section}: '{phrase}' is not one of its strong phrases")


def in_test(text: str) -> bool:
    return hashlib.sha256(text.encode()).digest()[0] % 2 == 1


def split(source: Path) -> None:
    """Writes dev.txt and test.txt from one freshly written corpus file (once: the split is committed)."""
    header = []
    body = source.read_text(encoding="utf-8").splitlines()
    while body and (body[0].startswith("#") or not body[0].strip()):
        header.append(body.pop(0))
    files = {"dev": list(header), "test": list(header)}
    heading = {"dev": "", "test": ""}  # the question line each file last had
    question = ""
    for line in body:
        if line.startswith("="):
            question = line
            continue
        if not line.strip() or line.startswith("#"):
            continue
        name = "test" if in_test(line.split("|", 3)[-1].strip()) else "dev"
        if heading[name] != question:
            files[name] += ["", question]
            heading[name] = question
        files[name].append(line)
    for name, rows in files.items():
        (DATA / f"{name}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")


def score(lines: list[Line], bank, model: str) -> dict:
    got = meant = false = tempting = 0
    false_by_kind: Counter[str] = Counter()
    false_by_method: Counter[str] = Counter()  # how each false credit was given: literal, meaning, ...
    tempting_by_kind: Counter[str] = Counter()
    misses: list[str] = []
    wrong: list[str] = []
    t0 = time.perf_counter()
    for line in lines:
        question = bank.get(line.question_id)
        credit = credit_text(question.section(line.section), line.text, wpm=170, model=model,
                             weak_answer=question.weak_answer)
        said = {h.phrase: h.said or " ".join(h.words) for h in credit.hits}
        method = {h.phrase: str(getattr(h.method, "value", h.method)) for h in credit.hits}
        meant += len(line.meant)
        got += sum(p in said for p in line.meant)
        misses += [f"{line.question_id}/{line.section} [{line.kind}] {p!r}: {line.text}" for p in line.meant if p not in said]
        tempting += len(line.tempting)
        tempting_by_kind[line.kind] += len(line.tempting)
        bad = [p for p in line.tempting if p in said]
        false += len(bad)
        false_by_kind[line.kind] += len(bad)
        false_by_method.update(method[p] for p in bad)
        wrong += [f"{line.question_id}/{line.section} [{line.kind}] {p!r} <- {said[p]!r}" for p in bad]
    return {"got": got, "meant": meant, "false": false, "tempting": tempting, "misses": misses, "wrong": wrong,
            "false_by_kind": false_by_kind, "tempting_by_kind": tempting_by_kind,
            "false_by_method": false_by_method,
            "ms_per_line": 1000 * (time.perf_counter() - t0) / max(1, len(lines))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default=DEFAULT_MODEL, help=f"comma-separated, of: {', '.join(MODELS)}")
    parser.add_argument("--show", choices=("dev",), help="print each dev miss and false credit (never test's)")
    parser.add_argument("--split", type=Path, help="write dev.txt and test.txt from this new corpus file")
    args = parser.parse_args()
    if args.split:
        split(args.split)
        return 0
    bank = load_bank([BUILTIN_DIR])
    sets = {name: parse(DATA / f"{name}.txt") for name in ("dev", "test")}
    for lines in sets.values():
        check(lines, bank)
    sizes = [f"{n} {len(v)} lines, {sum(len(x.meant) for x in v)} meant, {sum(len(x.tempting) for x in v)} tempting"
             for n, v in sets.items()]
    print("corpus: " + "; ".join(sizes))
    print(f"{'judge':16} {'set':5} {'recall':>14} {'false credits':>16} {'precision':>9} {'ms/line':>8}")
    for model in args.models.split(","):
        for name, lines in sets.items():
            r = score(lines, bank, model)
            credited = r["got"] + r["false"]
            print(f"{model:16} {name:5} {r['got']:4}/{r['meant']:<4} {r['got'] / max(1, r['meant']):.2f} "
                  f"{r['false']:5}/{r['tempting']:<4} {r['false'] / max(1, r['tempting']):.3f} "
                  f"{r['got'] / max(1, credited):9.3f} {r['ms_per_line']:8.1f}")
            kinds = ", ".join(f"{k} {r['false_by_kind'][k]}/{n}" for k, n in sorted(r["tempting_by_kind"].items()))
            print(f"{'':22} false credits by temptation: {kinds}")
            methods = ", ".join(f"{k} {n}" for k, n in sorted(r["false_by_method"].items())) or "none"
            print(f"{'':22} false credits by how they were credited: {methods}")
            if args.show == name:
                print("  missed:")
                print("\n".join(f"    {m}" for m in r["misses"]))
                print("  false credits:")
                print("\n".join(f"    {w}" for w in r["wrong"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
