"""A small sound key for English words (Metaphone-like) and the similarity of two tokens.

Whisper's mistakes are acoustic ("webhook" -> "Webbook", "pattern" -> "parent"), so spelling distance
alone undersells them; the sound key collapses doubled letters, silent letters and similar sounds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

_RULES = [
    (r"^kn|^gn|^pn|^wr", lambda m: m.group(0)[1]),
    (r"^x", "s"),
    (r"ph", "f"),
    (r"ck|q", "k"),
    (r"sch", "sk"),
    (r"c(?=[iey])", "s"),
    (r"tch|ch|sh", "x"),
    (r"c", "k"),
    (r"dg(?=[iey])", "j"),
    (r"d", "t"),
    (r"g(?=[iey])", "j"),
    (r"gh(?![aeiou])", ""),
    (r"th", "0"),
    (r"v", "f"),
    (r"z", "s"),
    (r"wh", "w"),
    (r"(?<=[aeiou])[wy](?![aeiou])", ""),
    (r"b", "p"),
    (r"(?<=[^aeiou])h|h(?![aeiou])", ""),
]


@lru_cache(maxsize=8192)
def sound_key(word: str) -> str:
    """Consonant skeleton with a leading vowel kept: "webhook" -> "wpk", "webbook" -> "wpk"."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return word
    for pattern, repl in _RULES:
        w = re.sub(pattern, repl, w)
    w = re.sub(r"(.)\1+", r"\1", w)
    head, rest = w[:1], w[1:]
    return head + re.sub(r"[aeiouy]", "", rest)


@lru_cache(maxsize=65536)
def edit_similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / longer length (C code: this runs ~30,000 times per scored answer)."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    return Levenshtein.normalized_similarity(a, b)


_SUFFIXES = ("ing", "ed", "es", "s", "ly")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude inflection strip, enough for "tickets"/"ticket", "reproduced"/"reproduce", "pulled"/"pull"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]
    return word


@lru_cache(maxsize=65536)
def token_similarity(a: str, b: str) -> float:
    """How alike two normalised tokens are, 0..1: same = 1, same stem = 0.95, else the better of
    spelling and sound similarity. Numbers only match numbers exactly."""
    if a == b:
        return 1.0
    if a[:1].isdigit() or b[:1].isdigit():
        return 0.0
    if stem(a) == stem(b):
        return 0.95
    spelled = edit_similarity(a, b)
    ka, kb = sound_key(a), sound_key(b)
    sounded = 0.9 if ka == kb else 0.9 * edit_similarity(ka, kb)
    return max(spelled, sounded)
