"""The candidate's own story: STAR notes -> a question file like the built-in ones.

Pure functions: parse notes, pick strong phrases out of them, split a level's total time across the
STAR sections, build the question data, and write it as TOML (validated by the loader first).
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BankError, StoryNotesError, storage_error
from .generic import PRINCIPLE_QUESTIONS, SECTION_COACHING, probes_for
from .loader import parse_question
from .model import PRINCIPLES, STAR_ORDER, Question, infer_signal

# Level id -> (title, total_min_s, total_max_s), the bands of the seed question's level guides.
LEVEL_BANDS: dict[str, tuple[str, float, float]] = {
    "sde1": ("SDE 1", 90, 120),
    "sde2": ("SDE 2", 120, 180),
    "senior": ("Senior SDE", 150, 180),
}
# Typical STAR shares of the whole answer (S 15-20%, T 10-15%, A 50-60%, R 15-20%), reflection the rest.
SHARES: dict[str, float] = {"situation": 0.15, "task": 0.10, "action": 0.50, "result": 0.15, "reflection": 0.10}

_HEADING = re.compile(
    r"^\s*(?P<hashes>#{1,6}\s*)?\**\s*(?P<name>situation|task|action|result|reflection)s?\s*\**\s*"
    r"(?P<colon>:\s*\**\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_META = re.compile(r"^\s*(?P<key>title|question|principles?|level)\s*:\s*(?P<value>.+)$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")


@dataclass(frozen=True)
class StoryNotes:
    sections: dict[str, str]  # STAR section -> the candidate's text, one paragraph
    title: str = ""
    question: str = ""
    principles: tuple[str, ...] = ()
    level: str = ""


def parse_notes(text: str, file: str) -> StoryNotes:
    """Notes with the five headings ("# Situation", "Situation:", ...; any case) -> StoryNotes.

    Lines before the first heading may give "Title:", "Question:", "Principle:" and "Level:",
    or the title as a "# heading".
    """
    lines_by_section: dict[str, list[str]] = {}
    meta: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            name = heading["name"].lower()
            if name in lines_by_section:
                raise StoryNotesError(f'{file}: heading "{name.title()}" appears twice')
            current = name
            lines_by_section[name] = [heading["rest"] or ""]
            continue
        if current is None:
            m = _META.match(line)
            if m:
                meta[m["key"].lower().rstrip("s")] = m["value"].strip()
            elif line.lstrip().startswith("#") and "title" not in meta:
                meta["title"] = line.lstrip("# \t").strip()
            continue
        lines_by_section[current].append(line)

    missing = [n.title() for n in STAR_ORDER if n not in lines_by_section]
    sections = {n: _paragraph(lines_by_section[n]) for n in STAR_ORDER if n in lines_by_section}
    empty = [n.title() for n, body in sections.items() if not body]
    problems = []
    if missing:
        problems.append(f"missing heading{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if empty:
        problems.append(f"no text under heading{'s' if len(empty) > 1 else ''} {', '.join(empty)}")
    if problems:
        raise StoryNotesError(
            f"{file}: {'; '.join(problems)} (expected the headings Situation, Task, Action, Result, Reflection, each with notes)"
        )
    principles = tuple(p for p in (resolve_principle(x) for x in re.split(r"[,;]", meta.get("principle", ""))) if p)
    return StoryNotes(
        sections=sections,
        title=meta.get("title", ""),
        question=meta.get("question", ""),
        principles=principles,
        level=meta.get("level", "").lower(),
    )


def read_notes(path: str | Path) -> StoryNotes:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise StoryNotesError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise StoryNotesError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    except OSError as exc:
        raise StoryNotesError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_notes(text, str(path))


def _paragraph(lines: list[str]) -> str:
    """Bullet lines become sentences; everything joins into one paragraph."""
    parts = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if _BULLET.match(line):
            line = _BULLET.sub("", line)
            if line and line[-1] not in ".!?":
                line += "."
        parts.append(line)
    return " ".join(parts).strip()


def resolve_principle(text: str) -> str | None:
    """A slug, display name or 1-based number from PRINCIPLES -> slug; None for blank or unknown."""
    key = text.strip().lower()
    if not key:
        return None
    slugs = list(PRINCIPLES)
    if key.isdigit() and 1 <= int(key) <= len(slugs):
        return slugs[int(key) - 1]
    simple = re.sub(r"[^a-z0-9]+", "-", key.replace("'", "")).strip("-")
    for slug, name in PRINCIPLES.items():
        if simple == slug or simple == re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-"):
            return slug
    return None


def slugify(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")
    if len(slug) > limit:  # cut at a word boundary
        slug = slug[: limit + 1].rsplit("-", 1)[0]
    return slug or "my-story"


def level_targets(level: str) -> dict[str, float]:
    """Section targets (s) that split the middle of the level's total band by typical STAR shares."""
    _, low, high = LEVEL_BANDS[level]
    total = (low + high) / 2
    return {name: round(total * SHARES[name]) for name in STAR_ORDER}


_UNIT_STOP = {"and", "or", "to", "in", "of", "the", "a", "an", "at", "on", "for", "by", "from", "with", "per", "than", "so", "but"}
_PAST_IRREGULAR = {
    "built", "wrote", "rewrote", "ran", "led", "took", "made", "set", "found", "brought", "drove", "sent", "spoke",
    "met", "began", "chose", "cut", "put", "broke", "split", "gave", "held", "kept", "taught", "told", "saw", "shipped",
    "won", "sought", "bought", "thought", "dug", "flew", "grew", "knew", "rebuilt", "rolled", "hired", "paired", "got",
}
_VERB_SKIP = {"used", "needed", "wanted", "tried", "started", "seemed", "felt", "had", "did", "was", "were", "got", "knew", "thought"}
_NUMBER = r"\$?\d[\d,]*(?:\.\d+)?(?:%|k\b|x\b)?"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|"
    "half|a dozen|dozens|hundreds|thousands"
)


def extract_phrases(text: str, limit: int = 6) -> tuple[str, ...]:
    """Strong-phrase candidates from the candidate's own words, in the order they were said.

    First-person verbs ("I migrated"), numbers with their units ("from 40 to 8 pages", "$12,000",
    "two weeks") and names of what was built (capitalised words inside a sentence). Every phrase is
    a verbatim slice of `text`, so it matches the notes when the candidate says them.
    """
    found: list[tuple[int, str, str]] = []  # (position, kind, phrase)
    for m in re.finditer(r"\bI\s+(?:also\s+|then\s+|personally\s+|first\s+)?([a-z]+)\b", text):
        verb = m.group(1)
        if verb in _VERB_SKIP:
            continue
        if verb.endswith("ed") or verb in _PAST_IRREGULAR:
            found.append((m.start(), "verb", m.group(0)))
    stop = "|".join(_UNIT_STOP)
    unit = rf"(?:\s+(?!(?:{stop})\b)[a-z]+\b(?<!ed)(?<!ly)(?<!ing))"
    number = re.compile(
        rf"(?:\bfrom\s+)?(?<![\w.]){_NUMBER}{unit}?(?:\s*(?:to|->)\s*{_NUMBER}{unit}?)?"
        rf"|\b(?:{_NUMBER_WORDS}){unit}",
        re.IGNORECASE,
    )
    for m in number.finditer(text):
        phrase = m.group(0).strip().rstrip(".,")
        if len(phrase) > 1:
            found.append((m.start(), "number", phrase))
    for m in re.finditer(r"(?<=[a-z,] )((?:[A-Z][\w-]+)(?:\s+[A-Z][\w-]+){0,2})", text):
        if m.group(1) not in {"I", "I'm", "I've"}:
            found.append((m.start(), "name", m.group(1)))
    for m in re.finditer(r"[`\"“]([^`\"”]{3,40})[`\"”]", text):
        found.append((m.start(), "name", m.group(1).strip()))

    quotas = {"verb": 4, "number": 3, "name": 1}
    chosen: list[tuple[int, str]] = []
    seen: set[str] = set()
    # Before-and-after deltas, money and percentages first: they are what a Result is judged on.
    rank = {"number": 0, "verb": 1, "name": 2}
    weight = lambda f: (rank[f[1]], 0 if re.search(r"[$%]| to |->", f[2]) else 1, f[0])  # noqa: E731
    for position, kind, phrase in sorted(found, key=weight):
        key = phrase.lower()
        if key in seen or quotas[kind] == 0 or any(key in s or s in key for s in seen):
            continue
        quotas[kind] -= 1
        seen.add(key)
        chosen.append((position, phrase))
    phrases = tuple(p for _, p in sorted(chosen)[:limit])
    if phrases:
        return phrases
    words = re.findall(r"[\w'$%.,-]+", text)
    return (" ".join(w.strip(".,") for w in words[:3]),) if words else ()


def draft_claim(phrase: str, text: str) -> str:
    """What a phrase asserts, drafted from the notes: the sentence that says it ("I cut the bill from
    $90,000 to $56,000 a month." for "$90,000 to $56,000"), else the phrase itself."""
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        if phrase.lower() in sentence.lower():
            return sentence.strip()
    return phrase


def extract_terms(notes: StoryNotes) -> tuple[str, ...]:
    terms: list[str] = []
    for text in notes.sections.values():
        for m in re.finditer(r"(?<=[a-z,] )((?:[A-Z][\w-]+)(?:\s+[A-Z][\w-]+){0,2})", text):
            if m.group(1) not in terms and m.group(1) not in {"I", "I'm", "I've"}:
                terms.append(m.group(1))
    return tuple(terms[:12])


def build_story(
    notes: StoryNotes,
    *,
    story_id: str,
    principles: tuple[str, ...],
    question: str,
    level: str,
    phrases: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """The question data (as the TOML holds it) for the candidate's story."""
    targets = level_targets(level)
    phrases = phrases or {}
    names = ", ".join(PRINCIPLES[p] for p in principles)
    sections: dict[str, Any] = {}
    for name in STAR_ORDER:
        coaching, mistake = SECTION_COACHING[name]
        strong = list(phrases.get(name) or extract_phrases(notes.sections[name]))
        sections[name] = {
            "target_s": targets[name],
            "strong_example": notes.sections[name],
            "strong_phrases": strong,
            "signals": [infer_signal(p, name) for p in strong],  # a first guess, for you to edit
            "claims": [draft_claim(p, notes.sections[name]) for p in strong],  # a draft, for you to edit
            "coaching": coaching,
            "common_mistake": mistake,
        }
    data: dict[str, Any] = {
        "id": story_id,
        "principles": list(principles),
        "question": question or PRINCIPLE_QUESTIONS[principles[0]],
        "terms": list(extract_terms(notes)),
        "scenario": {
            "overview": notes.sections["situation"],
            "summary": f"Your own {names} story{': ' + notes.title if notes.title else ''}. Result: {notes.sections['result']}",
        },
        "sections": sections,
        "probes": [
            {
                "question": p.question,
                "probes": p.probes,
                "weak_answer": p.weak_answer,
                "weak_why": p.weak_why,
                "strong_answer": p.strong_answer,
                "key_phrase": p.key_phrase,
                "weak_markers": list(p.weak_markers),
            }
            for p in probes_for(principles)
        ],
        "levels": [
            {"id": lid, "title": title, "total_min_s": low, "total_max_s": high}
            for lid, (title, low, high) in LEVEL_BANDS.items()
        ],
    }
    return data


def validate(data: dict[str, Any], file: str) -> Question:
    """Round-trips the data through the TOML writer and the loader: what is saved is what loads."""
    text = dump_toml(data)
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # a writer bug, not the user's
        raise BankError(f"{file}: generated invalid TOML: {exc}") from exc
    return parse_question(parsed, file)


def write_story(data: dict[str, Any], path: Path) -> Question:
    question = validate(data, str(path))
    tmp = path.with_suffix(".toml.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(_HEADER + dump_toml(data), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise storage_error(path, exc, "save the story") from exc
    return question


_HEADER = """# Your own story, written by `mockinterview new-story`. Edit freely: the strong phrases are the
# words the scorer listens for in each section, target_s the seconds to aim for.
# Check your edits with `mockinterview lint <this file>`.

"""


# ---- a small TOML writer for the shapes question files use ----

def _string(value: str) -> str:
    if "\n" in value or len(value) > 90:
        body = value.replace("\\", "\\\\").replace('"', '\\"')
        body = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\u{ord(m.group(0)):04x}", body)
        return f'"""\n{body}"""'
    body = value.replace("\\", "\\\\").replace('"', '\\"')
    body = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group(0)):04x}", body)
    return f'"{body}"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        items = [_value(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        return one_line if len(one_line) <= 100 else "[\n" + "".join(f"  {i},\n" for i in items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def dump_toml(data: dict[str, Any], prefix: str = "") -> str:
    """TOML text for nested dicts of strings, numbers, booleans, lists and lists of tables."""
    out: list[str] = []
    for key, value in data.items():
        if not isinstance(value, dict) and not _is_table_list(value):
            out.append(f"{_key(key)} = {_value(value)}\n")
    for key, value in data.items():
        name = f"{prefix}{_key(key)}"
        if isinstance(value, dict):
            scalars = {k: v for k, v in value.items() if not isinstance(v, dict) and not _is_table_list(v)}
            if scalars or not value:
                out.append(f"\n[{name}]\n")
            out.append(dump_toml(value, prefix=f"{name}."))
        elif _is_table_list(value):
            for item in value:
                out.append(f"\n[[{name}]]\n")
                out.append(dump_toml(item, prefix=f"{name}."))
    return "".join(out)
