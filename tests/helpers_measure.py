"""Measures the tests share: word error rate against a fixture's script, and the peak Python-side memory
of a piece of work."""

from __future__ import annotations

import re
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

T = TypeVar("T")


def script_words(text: str) -> list[str]:
    """Lower-case words; punctuation dropped but "0.3%", "$8,000" and "ready-to-merge" kept whole."""
    text = text.lower().replace("\u2019", "'").replace(",000", "000")
    return [w for w in (t.strip(".'-") for t in re.sub(r"[^\w\s'%$.-]", " ", text).split()) if w]


def wer(reference: list[str], heard: list[str]) -> float:
    return Levenshtein.distance(reference, heard) / max(1, len(reference))


def peak_bytes(work: Callable[[], T]) -> tuple[int, T]:
    """The most memory numpy and Python held at once while `work` ran (tracemalloc), and its result."""
    tracemalloc.start()
    try:
        result = work()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()
