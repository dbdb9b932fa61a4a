"""Train the sentence-section classifier (mockinterview/analysis/section_model.npz). Deterministic: the
same data and embedder give the same weights; rerun after changing either, then run
bench/segmentation.py to see what it did.

    .venv/bin/python bench/train_sections.py [--l2 0.0001] [--steps 6000] [--out PATH]

Training sentences, each with the section it was written for:
- every built-in question's strong example per section (and its reflections), cut into sentences;
- the dev split of the credit corpus (tests/data/credit/dev.txt), every line, tempting ones too: a hedged
  action is still said where actions go;
- the sections in other words of tests/data/meaning/dev.json and review.json, cut into sentences;
- tests/data/segmentation/train.txt: what each section does, said in many ways, on other stories.
The credit test split, the held-out meaning sets and the segmentation corpus are never used.
Prints the training accuracy and the class counts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from credit_corpus import DATA as CREDIT_DATA, parse as parse_credit  # noqa: E402
from segmentation import SECTION_OF_TAG  # noqa: E402
from mockinterview.analysis.credit.embeddings import DEFAULT_MODEL, load_embedder  # noqa: E402
from mockinterview.analysis.section_model import SECTION_NAMES, WEIGHTS_PATH, load_weights, train  # noqa: E402
from mockinterview.analysis.sections import sentence_text  # noqa: E402
from mockinterview.analysis.text import words_of  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.testing import transcript_from_sentences  # noqa: E402


TRAIN_SENTENCES = ROOT / "tests" / "data" / "segmentation" / "train.txt"
MEANING_DATA = ROOT / "tests" / "data" / "meaning"
MEANING_SETS = ("dev", "review")  # section texts in other words; the held-out sets stay out


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def as_heard(text: str) -> str:
    """The text as the classifier will see it in an answer: the transcript's normalised words."""
    _, tokens = words_of(transcript_from_sentences([text]).words)
    return sentence_text(tokens, 0, len(tokens) - 1) if tokens else ""


def examples() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    bank = load_bank([BUILTIN_DIR])
    for question_id in bank.ids:
        question = bank.get(question_id)
        for section in question.sections:
            out += [(section.name, s) for s in sentences(section.strong_example)]
        out += [("reflection", s) for text in question.reflections.values() for s in sentences(text)]
    out += [(line.section, line.text) for line in parse_credit(CREDIT_DATA / "dev.txt")]
    for raw in TRAIN_SENTENCES.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            tag, text = raw.split(" ", 1)
            out.append((SECTION_OF_TAG[tag], text))
    for name in MEANING_SETS:
        items = json.loads((MEANING_DATA / f"{name}.json").read_text(encoding="utf-8"))["items"]
        out += [(item["section"], s) for item in items for s in sentences(item["text"])]
    return [(name, heard) for name, text in out if (heard := as_heard(text))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--l2", type=float, default=1e-4)
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args()
    data = examples()
    embedder = load_embedder(DEFAULT_MODEL)
    vectors = embedder.encode([text for _, text in data])
    labels = [SECTION_NAMES.index(name) for name, _ in data]
    folds = 5  # cross-validated accuracy (every fifth sentence held out in turn): what to choose l2 by
    right = 0
    for fold in range(folds):
        held = np.arange(len(data)) % folds == fold
        w, b = train(vectors[~held], [y for y, h in zip(labels, held) if not h], len(SECTION_NAMES),
                     l2=args.l2, steps=args.steps)
        right += int(((vectors[held] @ w + b).argmax(axis=1) == np.array(labels)[held]).sum())
    print(f"{folds}-fold cross-validated accuracy {right / len(data):.3f}")
    weights, bias = train(vectors, labels, len(SECTION_NAMES), l2=args.l2, steps=args.steps)
    np.savez(args.out, names=np.array(SECTION_NAMES), weights=weights.astype(np.float32),
             bias=bias.astype(np.float32), embedder=np.array(DEFAULT_MODEL))
    found = load_weights(args.out).log_probabilities(vectors).argmax(axis=1)
    counts = {name: labels.count(k) for k, name in enumerate(SECTION_NAMES)}
    print(f"{len(data)} sentences {counts}; training accuracy {np.mean(found == np.array(labels)):.3f}; wrote {args.out}")


if __name__ == "__main__":
    main()
