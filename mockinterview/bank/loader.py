"""Reads question files (TOML) into `Question` values, with errors that name the file and the key path."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BankError
from .model import (
    LEVEL_IDS,
    PRINCIPLES,
    SIGNALS,
    STAR_ORDER,
    Angle,
    LevelGuide,
    Probe,
    Question,
    QuizQuestion,
    Section,
    WeakAnswer,
    infer_signal,
)


def _builtin_dir() -> Path:
    """The bundled bank: package data in an installed wheel, else the checkout's top-level prompts/."""
    packaged = Path(__file__).resolve().parents[1] / "prompts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "prompts"


BUILTIN_DIR = _builtin_dir()


class _Reader:
    """Typed access to one TOML table that reports `file: key.path: problem`."""

    def __init__(self, file: str, table: Any, path: str):
        self.file = file
        self.path = path
        if not isinstance(table, dict):
            self.fail(f"expected a table, got {_describe(table)}")
        self.table: dict[str, Any] = table
        self.used: set[str] = set()

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, message: str, key: str | None = None) -> None:
        where = self.key_path(key) if key is not None else (self.path or "(top level)")
        raise BankError(f"{self.file}: {where}: {message}")

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.table:
            if required:
                self.fail("required key is missing", key)
            return None
        return self.table[key]

    def text(self, key: str, required: bool = True, allow_empty: bool = False) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(f"expected text, got {_describe(value)}", key)
        if not allow_empty and not value.strip():
            self.fail("must not be empty", key)
        return value.strip()

    def number(self, key: str, required: bool = True, positive: bool = True) -> float:
        value = self._get(key, required)
        if value is None:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"expected a positive number, got {_describe(value)}", key)
        if positive and value <= 0:
            self.fail(f"expected a positive number, got {value}", key)
        return float(value)

    def integer(self, key: str) -> int:
        value = self._get(key, True)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"expected a whole number, got {_describe(value)}", key)
        return value

    def texts(self, key: str, required: bool = True, allow_empty: bool = False) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(f"expected a list of text, got {_describe(value)}", key)
        if not value and not allow_empty:
            self.fail("expected at least one entry, got an empty list", key)
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"expected non-empty text, got {_describe(item)}", f"{key}[{index}]")
        return tuple(item.strip() for item in value)

    def table_of(self, key: str, required: bool = True) -> _Reader | None:
        value = self._get(key, required)
        if value is None:
            return None
        return _Reader(self.file, value, self.key_path(key))

    def tables(self, key: str, required: bool = False) -> list[_Reader]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"expected a list of tables ([[{key}]]), got {_describe(value)}", key)
        return [_Reader(self.file, item, f"{self.key_path(key)}[{i}]") for i, item in enumerate(value)]

    def done(self) -> None:
        unknown = [k for k in self.table if k not in self.used]
        if unknown:
            self.fail(f"unknown key (expected one of: {', '.join(sorted(self.used))})", unknown[0])


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def parse_question(data: dict[str, Any], file: str) -> Question:
    top = _Reader(file, data, "")
    qid = top.text("id")
    if not qid.replace("-", "").replace("_", "").isalnum() or qid != qid.lower():
        top.fail(f'expected a lower-case id of letters, digits and dashes, got "{qid}"', "id")
    principles = top.texts("principles")
    for index, principle in enumerate(principles):
        if principle not in PRINCIPLES:
            top.fail(f'unknown principle "{principle}" (expected one of: {", ".join(PRINCIPLES)})', f"principles[{index}]")
    question = top.text("question")
    scenario = top.table_of("scenario")
    overview = scenario.text("overview")
    summary = scenario.text("summary")
    scenario.done()

    sections_table = top.table_of("sections")
    names = list(sections_table.table)
    for name in names:
        if name not in STAR_ORDER:
            sections_table.fail(f"unknown section (expected one of: {', '.join(STAR_ORDER)})", name)
    if names != [n for n in STAR_ORDER if n in names]:
        sections_table.fail(f"sections out of STAR order: {', '.join(names)} (expected {', '.join(STAR_ORDER)})")
    for required in ("situation", "task", "action", "result"):
        if required not in names:
            sections_table.fail("required section is missing", required)
    sections = []
    for name in names:
        r = sections_table.table_of(name)
        phrases = r.texts("strong_phrases")
        sections.append(
            Section(
                name=name,
                target_s=r.number("target_s"),
                strong_example=r.text("strong_example", required=False),
                strong_phrases=phrases,
                coaching=r.text("coaching"),
                common_mistake=r.text("common_mistake"),
                signals=_signals(r, phrases, name),
                claims=_one_per_phrase(r, "claims", "claim", phrases) if "claims" in r.table else (),
            )
        )
        r.done()
    sections_table.done()

    reflections: dict[str, str] = {}
    reflections_table = top.table_of("reflections", required=False)
    if reflections_table is not None:
        for level_id in list(reflections_table.table):
            if level_id not in LEVEL_IDS:
                reflections_table.fail(f"unknown level (expected one of: {', '.join(LEVEL_IDS)})", level_id)
            reflections[level_id] = reflections_table.text(level_id)
        reflections_table.done()

    probes = []
    for r in top.tables("probes"):
        probes.append(
            Probe(
                question=r.text("question"),
                probes=r.text("probes"),
                weak_answer=r.text("weak_answer"),
                weak_why=r.text("weak_why"),
                strong_answer=r.text("strong_answer"),
                key_phrase=r.text("key_phrase"),
                weak_markers=r.texts("weak_markers", required=False),
            )
        )
        r.done()

    weak = None
    weak_table = top.table_of("weak_answer", required=False)
    if weak_table is not None:
        weak = WeakAnswer(
            text=weak_table.text("text"),
            flags=weak_table.texts("flags"),
            verdict=weak_table.text("verdict"),
            verdict_label=weak_table.text("verdict_label"),
            red_flags=weak_table.texts("red_flags", required=False),
        )
        weak_table.done()

    quiz = []
    for r in top.tables("quiz"):
        options = r.texts("options")
        if len(options) < 2:
            r.fail(f"expected at least two options, got {len(options)}", "options")
        correct = r.integer("correct")
        if not 0 <= correct < len(options):
            r.fail(f"expected an option index from 0 to {len(options) - 1}, got {correct}", "correct")
        quiz.append(QuizQuestion(question=r.text("question"), options=options, correct=correct, explanation=r.text("explanation")))
        r.done()

    angles = []
    for r in top.tables("angles"):
        angle_id = r.text("id")
        principle = r.text("principle")
        if principle not in PRINCIPLES:
            r.fail(f'unknown principle "{principle}"', "principle")
        angles.append(
            Angle(
                id=angle_id,
                principle=principle,
                lead_with=r.text("lead_with"),
                emphasize=r.text("emphasize"),
                downplay=r.text("downplay"),
                early_phrases=r.texts("early_phrases", required=False),
            )
        )
        r.done()

    levels = []
    for r in top.tables("levels"):
        level_id = r.text("id")
        if level_id not in LEVEL_IDS:
            r.fail(f'unknown level "{level_id}" (expected one of: {", ".join(LEVEL_IDS)})', "id")
        total_min_s = r.number("total_min_s")
        total_max_s = r.number("total_max_s")
        if total_max_s < total_min_s:
            r.fail(f"must not be below total_min_s ({total_min_s:g}), got {total_max_s:g}", "total_max_s")
        levels.append(
            LevelGuide(
                id=level_id,
                title=r.text("title"),
                total_min_s=total_min_s,
                total_max_s=total_max_s,
                focus=r.text("focus", required=False),
                reflection=r.text("reflection", required=False),
                bar=r.text("bar", required=False),
                length_note=r.text("length_note", required=False),
            )
        )
        r.done()
    _no_duplicates(top, "angles", [a.id for a in angles])
    _no_duplicates(top, "levels", [g.id for g in levels])

    terms = top.texts("terms", required=False, allow_empty=True)
    top.done()
    return Question(
        id=qid,
        principles=principles,
        question=question,
        scenario_overview=overview,
        scenario_summary=summary,
        sections=tuple(sections),
        reflections=reflections,
        probes=tuple(probes),
        weak_answer=weak,
        quiz=tuple(quiz),
        angles=tuple(angles),
        levels=tuple(levels),
        terms=terms,
        source_path=file,
    )


def _signals(r: _Reader, phrases: tuple[str, ...], section: str) -> tuple[str, ...]:
    """One signal per strong phrase, in the same order; guessed when the key is absent."""
    if "signals" not in r.table:
        r.used.add("signals")
        return tuple(infer_signal(p, section) for p in phrases)
    signals = _one_per_phrase(r, "signals", "signal", phrases)
    for index, signal in enumerate(signals):
        if signal not in SIGNALS:
            r.fail(f'unknown signal "{signal}" (expected one of: {", ".join(SIGNALS)})', f"signals[{index}]")
    return signals


def _one_per_phrase(r: _Reader, key: str, noun: str, phrases: tuple[str, ...]) -> tuple[str, ...]:
    """One entry per strong phrase, in the same order (signals, claims)."""
    values = r.texts(key)
    if len(values) != len(phrases):
        r.fail(f"expected one {noun} per strong phrase ({len(phrases)}), got {len(values)}", key)
    return values


def _no_duplicates(reader: _Reader, key: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            reader.fail(f'duplicate id "{item}"', f"{key}[{index}].id")
        seen.add(item)


def load_file(path: str | Path) -> Question:
    path = Path(path)
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise BankError(f"{file}: no such file") from exc
    except OSError as exc:
        raise BankError(f"{file}: cannot read: {exc.strerror}") from exc
    return parse_question_bytes(raw, file)


def parse_question_bytes(raw: bytes, file: str) -> Question:
    """A question file's bytes (read from disk or from an import), checked as `load_file` checks a file."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BankError(f"{file}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BankError(f"{file}: invalid TOML: {exc}") from exc
    return parse_question(data, file)


def question_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.toml") if p.is_file())
        else:
            yield path


@dataclass(frozen=True)
class Bank:
    questions: tuple[Question, ...]
    problems: tuple[str, ...]  # one line per file that failed to load

    def get(self, question_id: str) -> Question:
        from ..errors import UnknownQuestionError
        import difflib

        for question in self.questions:
            if question.id == question_id:
                return question
        ids = [q.id for q in self.questions]
        close = difflib.get_close_matches(question_id, ids, n=3, cutoff=0.4)
        hint = f" (did you mean: {', '.join(close)}?)" if close else f" (known ids: {', '.join(ids)})"
        raise UnknownQuestionError(f'unknown question id "{question_id}"{hint}')

    @property
    def ids(self) -> list[str]:
        return [q.id for q in self.questions]


def load_bank(paths: Iterable[str | Path] | None = None) -> Bank:
    """Loads every question file; a broken file is reported, not fatal, so the rest still loads."""
    paths = list(paths) if paths is not None else [BUILTIN_DIR]
    questions: list[Question] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for file in question_files(paths):
        try:
            question = load_file(file)
        except BankError as exc:
            problems.append(str(exc))
            continue
        if question.id in seen:
            problems.append(f'{file}: id: duplicate id "{question.id}" (also in {seen[question.id]})')
            continue
        seen[question.id] = str(file)
        questions.append(question)
    return Bank(questions=tuple(questions), problems=tuple(problems))


def lint(paths: Iterable[str | Path]) -> list[str]:
    """One line per problem in the given files or folders; empty when all is well."""
    paths = list(paths)
    problems = list(load_bank(paths).problems)
    for path in paths:
        if not Path(path).exists():
            problems.append(f"{path}: no such file or folder")
    return problems
