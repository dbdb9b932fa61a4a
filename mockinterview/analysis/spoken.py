"""How many words a written word stands for when said aloud: the unit of words per minute.

Whisper writes what was said as "zero point three percent" as "0.3%" and "eight thousand dollars" as
"$8,000", so counting written words undercounts fast speech full of figures. Here a number or amount
counts the words it is said with (American English, as espeak-ng and most speakers read it):
"$8,000" = eight thousand dollars = 3, "0.3%" = zero point three percent = 4, "1,250" = one thousand
two hundred fifty = 5, "40" = forty = 1, "5xx" = five x x = 3, "3rd" = third = 1. Every number is
read as a cardinal (a year "2024" counts as two thousand twenty four = 4). A hyphenated
word counts its parts ("ready-to-merge" = 3). Fillers ("um", "you know") are words. An acronym
("SLO", "API") counts as one word, as a name does.
"""

from __future__ import annotations

import re

_SMALL = 20  # one word each below twenty
_NUMBER = re.compile(r"^[-+]?\$?(\d[\d,]*)(?:\.(\d+))?(%|k|m|bn|x|s)?$", re.IGNORECASE)
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))


def _below_thousand(n: int) -> int:
    words = 0
    if n >= 100:
        words += 2  # "three hundred"
        n %= 100
    if n == 0:
        return words
    if n < _SMALL or n % 10 == 0:
        return words + 1
    return words + 2  # "twenty five"


def cardinal_words(n: int) -> int:
    """Words in the cardinal for n: 0 -> 1 ("zero"), 8000 -> 2, 1250 -> 5."""
    if n == 0:
        return 1
    words = 0
    for scale, _ in _SCALES:
        if n >= scale:
            words += _below_thousand(n // scale) + 1
            n %= scale
    return words + _below_thousand(n)


def spoken_words(written: str) -> int:
    """Spoken words one written word stands for (0 for pure punctuation)."""
    text = written.strip().strip("\"'()[]{}!?;:").rstrip(".,").lstrip(",")
    if not re.search(r"[A-Za-z0-9]", text):
        return 0
    if "-" in text.strip("-") and not _NUMBER.match(text):
        return sum(spoken_words(part) for part in text.split("-") if part)
    if _ORDINAL.match(text):
        return 1 if int(re.sub(r"\D", "", text)) < 100 else 2
    m = _NUMBER.match(text)
    if not m:
        digit_run = re.fullmatch(r"(\d+)([a-z]+)", text, re.IGNORECASE)  # "5xx", "10x"
        if digit_run:
            return cardinal_words(int(digit_run.group(1))) + len(digit_run.group(2))
        return 1
    whole, frac, unit = m.group(1).replace(",", ""), m.group(2), (m.group(3) or "").lower()
    words = cardinal_words(int(whole)) if whole else 0
    if frac:
        words += 1 + len(frac)  # "point three"
    if unit in ("%", "k", "m", "bn", "x"):
        words += 1  # percent, thousand, million, billion, times
    if text.lstrip("-+").startswith("$"):
        words += 1  # dollars
    return words
