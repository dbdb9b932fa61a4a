"""Where do the STAR sections of an answer nobody here tuned against begin? Prints figures; asserts nothing.

    .venv/bin/python bench/segmentation.py              # dev and test figures
    .venv/bin/python bench/segmentation.py --show dev   # and each dev answer's true and found labels

The corpus (tests/data/segmentation/answers.txt, format at its top) holds whole answers to the built-in
questions, one sentence a line with its true section, in several registers (casual, formal, terse,
rambling, non-native, own stories), written before any rule was measured on it. It is split into dev and
test by a hash of each answer's id; only aggregate test figures are ever printed.

Each answer is made a transcript at 170 words a minute and segmented by the real code (`score_answer`'s
automatic segmentation). Figures:
- lines right: lines whose first word falls in their true section;
- reader alone: lines the sentence classifier alone, each line read by itself, gives their section;
- boundary error: per true section start, |found start - true start| in seconds (a section found
  missing counts as the distance to where the next found section begins), mean and share within 3 s;
- missing: sections the answer says that were reported missing; invented: sections it never says that
  were given words.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.analysis import sections  # noqa: E402
from mockinterview.analysis.sections import segment  # noqa: E402
from mockinterview.analysis.text import words_of  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.testing import transcript_from_sentences  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "segmentation" / "answers.txt"
SECTION_OF_TAG = {"S": "situation", "T": "task", "A": "action", "R": "result", "L": "reflection"}
WPM = 170.0
NEAR_S = 3.0


@dataclass(frozen=True)
class Answer:
    question_id: str
    register: str
    answer_id: str
    lines: tuple[tuple[str, str], ...]  # (section, sentence)


def parse(path: Path = CORPUS) -> list[Answer]:
    out: list[Answer] = []
    head: tuple[str, str, str] | None = None
    lines: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines() + ["= end | end | end"]:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("="):
            if head and lines:
                out.append(Answer(*head, tuple(lines)))
            q, register, answer_id = (part.strip() for part in line[1:].split("|"))
            head, lines = (q, register, answer_id), []
        else:
            tag, sentence = line.split(" ", 1)
            lines.append((SECTION_OF_TAG[tag], sentence.strip()))
    return out


def split_of(answer: Answer) -> str:
    return "test" if int(hashlib.sha1(answer.answer_id.encode()).hexdigest(), 16) % 2 else "dev"


@dataclass
class Tally:
    lines: int = 0
    right: int = 0
    read_right: int = 0  # lines the sentence reader alone gives their section (no order, no phrases)
    said: int = 0
    missing: int = 0
    unsaid: int = 0
    invented: int = 0
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.errors_s: list[float] = []
        self.missing_by: Counter[str] = Counter()  # per section: said but reported missing


def evaluate(answer: Answer, bank, tally: Tally, reader=None) -> list[str]:
    question = bank.get(answer.question_id)
    transcript = transcript_from_sentences([s for _, s in answer.lines], wpm=WPM)
    _, tokens = words_of(transcript.words)
    started = time.perf_counter()
    spans = segment(question, tokens, reader)
    tally.seconds += time.perf_counter() - started  # ms/answer: the segmentation, the reader included
    found_range = {s.name: (tokens[s.first].start_s, tokens[s.last].end_s) for s in spans if s.first != -1}
    line_starts = [seg.start_s for seg in transcript.segments]

    def found_at(t: float) -> str:
        return next((name for name, (a, b) in found_range.items() if a - 1e-6 <= t <= b + 1e-6), "-")

    found = [found_at(t) for t in line_starts]
    truth = [section for section, _ in answer.lines]
    tally.lines += len(truth)
    tally.right += sum(f == t for f, t in zip(found, truth))
    if reader is not None:
        for section, sentence in answer.lines:
            _, alone = words_of(transcript_from_sentences([sentence]).words)
            read = reader.read([sections.sentence_text(alone, 0, len(alone) - 1)])[0]
            tally.read_right += max(read, key=read.get) == section
    said = set(truth)
    for name in (s.name for s in question.sections):
        if name in said:
            tally.said += 1
            true_start = line_starts[truth.index(name)]
            if name in found_range:
                error = abs(found_range[name][0] - true_start)
            else:
                tally.missing += 1
                tally.missing_by[name] += 1
                later = [a for n, (a, _) in found_range.items() if a >= true_start]
                error = abs((min(later) if later else transcript.duration_s) - true_start)
            tally.errors_s.append(error)
        else:
            tally.unsaid += 1
            tally.invented += name in found_range
    return [f"  {t[:1].upper()} {f[:1].upper() if f != '-' else '-'} {'  ' if f == t else '!!'} {s}"
            for (t, s), f in zip(answer.lines, found)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", choices=["dev"], help="print each dev answer's true and found labels")
    parser.add_argument("--reader", choices=["on", "off"], default="on", help="the sentence classifier")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a sections.py constant (dev tuning)")
    parser.add_argument("--no-cues", action="store_true", help="drop the general cue words (ablation)")
    args = parser.parse_args()
    for item in args.set:
        name, value = item.split("=")
        setattr(sections, name, float(value))
    if args.no_cues:
        sections.CUES.clear()
    reader = None
    if args.reader == "on":
        from mockinterview.analysis.credit.embeddings import load_embedder
        from mockinterview.analysis.section_model import SentenceReader, load_weights

        weights = load_weights()
        reader = SentenceReader(load_embedder(weights.embedder), weights)
    bank = load_bank([BUILTIN_DIR])
    answers = parse()
    by_split = {"dev": [a for a in answers if split_of(a) == "dev"], "test": [a for a in answers if split_of(a) == "test"]}
    print(f"corpus: {len(answers)} answers; dev {len(by_split['dev'])}, test {len(by_split['test'])}")
    print(f"{'set':6} {'lines right':>14} {'reader alone':>13} {'boundary err (s)':>17} {'within 3 s':>11} {'missing':>9} "
          f"{'invented':>9} {'ms/answer':>10}")
    tallies: dict[str, Tally] = {}
    for name, items in by_split.items():
        tally = Tally()
        for answer in items:
            shown = evaluate(answer, bank, tally, reader)
            if args.show == name:
                print(f"{answer.answer_id} ({answer.register})")
                print("\n".join(shown))
        errors = tally.errors_s
        near = sum(e <= NEAR_S for e in errors)
        print(f"{name:6} {tally.right:>5}/{tally.lines:<3} {tally.right / tally.lines:4.2f} "
              f"{tally.read_right / tally.lines if reader else float('nan'):>13.2f} {statistics.mean(errors):>17.1f} "
              f"{near:>4}/{len(errors):<3} {tally.missing:>4}/{tally.said:<4} {tally.invented:>4}/{tally.unsaid:<4} "
              f"{1000 * tally.seconds / len(items):>10.1f}")
        tallies[name] = tally
    for name, tally in tallies.items():
        print(f"{name}: said but reported missing, by section: "
              + ", ".join(f"{s} {tally.missing_by[s]}" for s in SECTION_OF_TAG.values()))


if __name__ == "__main__":
    main()
