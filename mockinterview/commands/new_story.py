"""`mockinterview new-story`: turn the candidate's own STAR notes into a question file they can practise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..bank.model import DEFAULT_LEVEL, LEVEL_IDS, PRINCIPLES, STAR_ORDER
from ._common import add_data_dir, stories_dir, writable_data_dir

EPILOG = """\
example: mockinterview new-story --from notes.md --level senior

Notes files have five headings, "# Situation" / "## Task" / "Action:" ... (any case), and may start
with "Title:", "Question:" and "Principle:" lines. Without --from you are asked for each section."""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "new-story",
        help="write a practice question from your own story",
        description=(
            "Ask for the principle(s), a title and your Situation/Task/Action/Result/Reflection notes (or read them "
            "with --from), then save a question file in your stories folder with targets for your level, strong "
            "phrases taken from your notes, and follow-up probes for the principle."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--from", dest="notes", type=Path, metavar="NOTES", help="a text or Markdown file with the five STAR headings")
    parser.add_argument("--level", choices=LEVEL_IDS, help="sets the section targets (asked if not given; default sde2)")
    parser.add_argument("--id", dest="story_id", help="id of the new question (default: from the title)")
    add_data_dir(parser)
    return parser


def ask(prompt: str, default: str = "") -> str:
    """One line from the user; the default on an empty line or at the end of input (a pipe that ran out)."""
    shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
    try:
        answer = input(shown)
    except EOFError:
        print()
        return default
    _echo_newline()
    return answer.strip() or default


def _echo_newline() -> None:
    """A terminal echoes the Enter key; a pipe does not, so keep each prompt on its own line."""
    if not sys.stdin.isatty():
        print()


def ask_paragraph(prompt: str) -> str:
    """Lines until an empty line or the end of input, joined into one paragraph."""
    print(f"{prompt} (finish with an empty line):")
    lines = []
    while True:
        try:
            line = input("> ")
        except EOFError:
            print()
            break
        _echo_newline()
        if not line.strip():
            break
        lines.append(line.strip())
    return " ".join(lines)


def ask_principles(default: tuple[str, ...]) -> tuple[str, ...]:
    from ..bank.story import resolve_principle

    for number, (slug, name) in enumerate(PRINCIPLES.items(), 1):
        print(f"  {number:2d}. {name} ({slug})")
    fallback = ", ".join(default) or "ownership"
    while True:
        answer = ask("Principle(s): numbers or names, comma-separated", fallback)
        chosen = [resolve_principle(part) for part in answer.split(",") if part.strip()]
        if chosen and all(chosen):
            return tuple(dict.fromkeys(chosen))  # type: ignore[arg-type]
        bad = [part.strip() for part, slug in zip(answer.split(","), chosen) if not slug]
        print(f'  unknown principle "{bad[0] if bad else answer}"; type a number from 1 to {len(PRINCIPLES)} or a name')
        if answer == fallback:  # the default itself is bad (from a notes file): stop asking
            return ("ownership",)


def run(args: argparse.Namespace) -> int:
    from ..bank import load_bank
    from ..bank.generic import PRINCIPLE_QUESTIONS
    from ..bank.loader import BUILTIN_DIR
    from ..bank.story import StoryNotes, build_story, extract_phrases, read_notes, slugify, write_story
    from ..errors import BankError, StoryNotesError

    writable_data_dir(args)  # before any question is asked
    notes = read_notes(args.notes) if args.notes else None
    principles = ask_principles(notes.principles if notes else ())
    level = args.level or (notes.level if notes and notes.level in LEVEL_IDS else "")
    if not level:
        level = ask(f"Level ({', '.join(LEVEL_IDS)})", DEFAULT_LEVEL).lower()
        if level not in LEVEL_IDS:
            print(f'  unknown level "{level}", using {DEFAULT_LEVEL}')
            level = DEFAULT_LEVEL
    question = ask("Interview question", (notes.question if notes and notes.question else PRINCIPLE_QUESTIONS[principles[0]]))
    title = ask("Short title for this story", (notes.title if notes and notes.title else f"my {principles[0]} story"))

    if notes is None:
        print("Now your notes, in your own words; say what you did, with numbers.")
        sections = {}
        for name in STAR_ORDER:
            text = ask_paragraph(name.title())
            if not text:
                raise StoryNotesError(f'no notes given for "{name.title()}" (every STAR section needs a few words)')
            sections[name] = text
        notes = StoryNotes(sections=sections, title=title, question=question, principles=principles, level=level)

    print("Strong phrases are what the scorer listens for. Enter keeps them; or type your own, separated by ';'.")
    phrases: dict[str, tuple[str, ...]] = {}
    for name in STAR_ORDER:
        suggested = extract_phrases(notes.sections[name])
        answer = ask(f"  {name.title()}", "; ".join(suggested))
        phrases[name] = tuple(p.strip() for p in answer.split(";") if p.strip()) or suggested

    folder = stories_dir(args)
    taken = set(load_bank([BUILTIN_DIR, folder] if folder.is_dir() else [BUILTIN_DIR]).ids)
    if args.story_id:
        story_id = args.story_id
        if story_id in taken or (folder / f"{story_id}.toml").exists():
            raise BankError(f'{folder / (story_id + ".toml")}: id "{story_id}" is already used (choose another --id)')
    else:
        base = slugify(title)
        story_id, n = base, 2
        while story_id in taken or (folder / f"{story_id}.toml").exists():
            story_id, n = f"{base}-{n}", n + 1

    data = build_story(notes, story_id=story_id, principles=principles, question=question, level=level, phrases=phrases)
    path = folder / f"{story_id}.toml"
    saved = write_story(data, path)
    total = round(saved.total_target_s)
    print(f"Saved {path}")
    print(f"  {len(saved.probes)} follow-up probes, target {total // 60}:{total % 60:02d} for {level}")
    print(f"Next: mockinterview practice {story_id}")
    sys.stdout.flush()
    return 0
