"""Is a lesson found in any words in an own story's Reflection? Prints figures; asserts nothing.

    .venv/bin/python bench/lessons.py [--show dev]

The corpus (tests/data/lessons.txt, format at its top) holds sentences a candidate might say in the
Reflection of their own story, labelled "lesson" (a lesson taken and carried forward, in any words) or
"not" (a result restated, a hedge, hearsay, a platitude, a plan, praise). It was written in one go before
anything was measured on it, and is split into dev and test by a hash of each line's text; test is
printed only in aggregate. Each line is credited as the whole Reflection of an own story to the seed
question by the real code (`credit_section(..., own_story=True)`), and the "lesson" signal read:
- found: lessons found / lessons; false: "not" lines found as a lesson / "not" lines;
- how each was found: by the claim judge ("meaning"), by the sentence classifier ("reading"), or by a
  cue word (quoted).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.testing import credit_text  # noqa: E402
from mockinterview.analysis.section_model import default_reader  # noqa: E402
from mockinterview.analysis.credit import lesson  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "lessons.txt"
QUESTION_ID = "anticipate-customer-need"


def parse(path: Path = CORPUS) -> list[tuple[bool, str]]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            kind, text = (part.strip() for part in line.split("|", 1))
            out.append((kind == "lesson", text))
    return out


def split_of(text: str) -> str:
    return "test" if int(hashlib.sha1(text.encode()).hexdigest(), 16) % 2 else "dev"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", choices=["dev"], help="print each dev line's finding")
    ap.add_argument("--cues-only", action="store_true", help="without the sentence classifier (as before it)")
    ap.add_argument("--threshold", type=float, help="the classifier's probability a lesson needs "
                    f"(default {lesson.LESSON_PROBABILITY})")
    args = ap.parse_args()
    question = load_bank([BUILTIN_DIR]).get(QUESTION_ID)
    section = next(s for s in question.sections if s.name == "reflection")
    lines = parse()
    reader = None if args.cues_only else default_reader()
    if args.threshold is not None:
        lesson.LESSON_PROBABILITY = args.threshold
    print(f"corpus: {len(lines)} lines; own story, Reflection of {QUESTION_ID}")
    print(f"{'split':6} {'lessons found':>14} {'false lessons':>14}   how found")
    for split in ("dev", "test"):
        found = lessons = false = nots = 0
        how: Counter[str] = Counter()
        for is_lesson, text in (x for x in lines if split_of(x[1]) == split):
            credit = credit_text(section, text, own_story=True, reader=reader)
            finding = next((f for f in credit.signals if f.signal == "lesson"), None)
            met = bool(finding and finding.met)
            lessons += is_lesson
            nots += not is_lesson
            found += met and is_lesson
            false += met and not is_lesson
            if met:
                how[finding.evidence.split(":")[0] if ":" in finding.evidence else "cue word"] += 1
            if args.show == split:
                mark = "ok" if met == is_lesson else "!!"
                print(f"  {mark} {'lesson' if is_lesson else 'not':6} {'found' if met else '-':5} "
                      f"{finding.evidence if finding else '':40.40} | {text}")
        print(f"{split:6} {found:>8}/{lessons:<5} {false:>8}/{nots:<5}   "
              + ", ".join(f"{k} {v}" for k, v in sorted(how.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
