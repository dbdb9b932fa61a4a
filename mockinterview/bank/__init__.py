"""Question bank: TOML question files loaded into frozen values."""

from .loader import BUILTIN_DIR, Bank, lint, load_bank, load_file, parse_question, parse_question_bytes
from .model import (
    PRINCIPLES,
    STAR_ORDER,
    Angle,
    LevelGuide,
    Probe,
    Question,
    QuizQuestion,
    Section,
    WeakAnswer,
)

__all__ = [
    "BUILTIN_DIR", "Bank", "lint", "load_bank", "load_file", "parse_question", "parse_question_bytes",
    "PRINCIPLES", "STAR_ORDER", "Angle", "LevelGuide", "Probe", "Question", "QuizQuestion", "Section", "WeakAnswer",
]
