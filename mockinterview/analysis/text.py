"""From Whisper's word list to matchable tokens: glue split numbers, normalise case, punctuation,
contractions, hyphens, number words and units, and keep every token's time.

Whisper writes "0.3%" as "0", ".3", "%" and "$8,000" as "$8", ",000"; `glue_words` joins such pieces.
`tokenize` then turns each glued word into one or more tokens ("ready-to-merge" -> ready, to, merge;
"$8,000" -> 8000, dollars; "eight thousand dollars" -> 8000, dollars) so a phrase written one way in
the question file meets the same tokens however it was spoken or transcribed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..asr.transcript import Word


@dataclass(frozen=True)
class GluedWord:
    text: str  # as written, pieces joined ("$8,000")
    start_s: float
    end_s: float
    probability: float
    first: int  # index of the first Whisper word it covers
    last: int  # index of the last, inclusive


@dataclass(frozen=True)
class Token:
    norm: str  # lowercase, no punctuation; numbers as digits ("8000", "0.3")
    start_s: float
    end_s: float
    probability: float
    word: int  # index of the glued word it came from (last one for a multi-word number)
    first_word: int  # index of the first glued word it covers
    sentence: int  # sentence number, from Whisper's end punctuation
    comma_before: bool = False
    comma_after: bool = False


_PIECE = re.compile(r"^[.,]\d|^%$|^[.,]?\d*%$|^k$", re.IGNORECASE)
_ENDS_DIGIT = re.compile(r"\d$")
_NUMBER = re.compile(r"^-?\$?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(%|k)?[.,?!]?$", re.IGNORECASE)


def glue_words(words: Sequence[Word]) -> list[GluedWord]:
    """Join number pieces Whisper splits apart ("$8" ",000" -> "$8,000"; "0" ".3" "%" -> "0.3%")."""
    out: list[GluedWord] = []
    for i, w in enumerate(words):
        text = w.text.strip()
        if not text:
            continue
        if out:
            prev = out[-1]
            number = bool(_ENDS_DIGIT.search(prev.text) and _PIECE.match(text))
            if number and not _NUMBER.match(prev.text + text) and text[:1] == "," and prev.last > prev.first:
                # "0" ".8" ",000" is "zero, eight thousand" misheard: keep "0", read "8,000"
                m = re.match(r"^(.*\d)\.(\d+)$", prev.text)
                piece = words[prev.last]
                if m:
                    out[-1] = GluedWord(m.group(1), prev.start_s, piece.start_s, prev.probability, prev.first, prev.last - 1)
                    out.append(GluedWord(m.group(2) + text, piece.start_s, w.end_s, min(piece.probability, w.probability), prev.last, i))
                    continue
            # Whisper also writes hyphenated words as pieces: "stand", "-up"; "ready", "-to", "-merge"
            hyphen = text.startswith("-") and text[1:2].isalpha() and prev.text[-1:].isalnum()
            if number or hyphen or prev.text in ("$", "-$"):
                out[-1] = GluedWord(prev.text + text, prev.start_s, w.end_s, min(prev.probability, w.probability), prev.first, i)
                continue
        out.append(GluedWord(text, w.start_s, w.end_s, w.probability, i, i))
    return out


_UNITS = {
    "zero": 0, "oh": None, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# "grand" is a thousand only after a number ("eight grand"), as every scale word here
_SCALES = {"hundred": 100, "thousand": 1000, "k": 1000, "grand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = {k: v for k, v in _UNITS.items() if v is not None and v < 10}
_SYNONYMS = {"%": "percent", "percentage": "percent", "pct": "percent", "per cent": "percent",
             "dollar": "dollars", "bucks": "dollars", "usd": "dollars", "pr": "pr", "prs": "pr",
             "ok": "okay"}
_NEGATABLE = {"was", "is", "are", "were", "do", "does", "did", "had", "has", "have", "could", "would",
              "should", "ca", "wo", "must", "need", "ai"}


def _fmt(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _split_surface(text: str) -> list[tuple[str, bool, bool]]:
    """One glued word -> (piece, comma_before, comma_after) pieces, before number handling."""
    t = text.replace("\u2019", "'").replace("\u2014", " ").replace("\u2013", " ")
    comma_before = t.startswith(",")
    comma_after = bool(re.search(r"[,;:]$", t))
    t = t.strip(" \"'()[]{}!?;:")
    t = t.rstrip(".,") if not re.search(r"\d[.,]\d", t[-3:] if len(t) >= 3 else "") else t
    t = t.lstrip(",")
    parts = [p for p in re.split(r"(?<!\d)-|-(?!\d)|/", t) if p]
    return [(p, comma_before and i == 0, comma_after and i == len(parts) - 1) for i, p in enumerate(parts)]


def _surface_tokens(piece: str) -> list[str]:
    """Tokens of one surface piece: numbers with units split into number + unit."""
    p = piece.lower().strip(".,")
    if not p:
        return []
    money = p.startswith("$")
    p = p.lstrip("$")
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?|\.\d+)(k|m|%|x)?", p)
    if m:
        value = float(m.group(1).replace(",", "") if not m.group(1).startswith(".") else "0" + m.group(1))
        unit = m.group(2)
        if unit == "k":
            value *= 1000
        elif unit == "m" and money:
            value *= 1_000_000
        out = [_fmt(value)]
        if unit == "%":
            out.append("percent")
        if money:
            out.append("dollars")
        return out
    p = p.replace("'", "")
    p = re.sub(r"[^a-z0-9.%]", "", p)
    if p.endswith("nt") and p[:-2] in _NEGATABLE:
        return [p]  # "wasn't" stays one token: "not my team" is not "wasn't my team"
    return [_SYNONYMS.get(p, p)] if p else []


def normalize_text(text: str) -> list[str]:
    """Tokens of a phrase as written in a question file, the same way speech is tokenised."""
    words = [Word(w, 0.0, 0.0, 1.0) for w in text.split()]
    return [t.norm for t in tokenize(glue_words(words))]


def tokenize(glued: Sequence[GluedWord]) -> list[Token]:
    raw: list[tuple[str, GluedWord, int, bool, bool, int]] = []
    sentence = 0
    for gi, g in enumerate(glued):
        for piece, cb, ca in _split_surface(g.text):
            for j, norm in enumerate(_surface_tokens(piece)):
                raw.append((norm, g, gi, cb and j == 0, ca, sentence))
        if re.search(r"[.?!]$", g.text) and not re.search(r"\d\.$", g.text[-2:]):
            sentence += 1
    return _merge_number_words(raw)


def _merge_number_words(raw: list[tuple[str, GluedWord, int, bool, bool, int]]) -> list[Token]:
    """"eight thousand" -> 8000, "zero point three" -> 0.3, "per cent" -> percent.

    "was not" stays two tokens and "wasn't" one: the question file's spelling decides which phrase
    was said ("not my team" is in "was not my team", not in "wasn't my team's")."""
    raw = _scale_before_unit(raw)
    out: list[Token] = []
    i = 0
    while i < len(raw):
        norm, g, gi, cb, ca, sent = raw[i]
        j, value = _parse_number(raw, i)
        if j > i:
            last = raw[j - 1]
            out.append(Token(_fmt(value), g.start_s, last[1].end_s, min(r[1].probability for r in raw[i:j]), last[2], gi, sent, cb, last[4]))
            i = j
            continue
        if norm == "cent" and out and out[-1].norm == "per":
            prev = out.pop()
            out.append(Token("percent", prev.start_s, g.end_s, prev.probability, gi, prev.first_word, sent, prev.comma_before, ca))
            i += 1
            continue
        out.append(Token(norm, g.start_s, g.end_s, g.probability, gi, gi, sent, cb, ca))
        i += 1
    return out


def _scale_before_unit(raw: list) -> list:
    """"$3 million" is read "three million dollars": the scale word after an amount goes before its unit."""
    out = list(raw)
    for i in range(len(out) - 2):
        if out[i + 1][0] == "dollars" and out[i + 2][0] in _SCALES and out[i + 2][0] != "k" \
                and re.fullmatch(r"\d+(\.\d+)?", out[i][0]):
            out[i + 1], out[i + 2] = out[i + 2], out[i + 1]
    return out


def _parse_number(raw: list, i: int) -> tuple[int, float]:
    """Longest run of number words (and digits followed by scale words) starting at i; a decimal may be
    said without its leading zero ("point three percent")."""
    if raw[i][0] == "point":
        k, frac = i + 1, ""
        while k < len(raw) and raw[k][0] in _DIGITS:
            frac += str(_DIGITS[raw[k][0]])
            k += 1
        return (k, float("0." + frac)) if frac else (i, 0.0)
    total = 0.0
    current = 0.0
    j = i
    seen = False
    while j < len(raw):
        w = raw[j][0]
        if w in _UNITS and _UNITS[w] is not None:
            if seen and current % 10 == 0 and 0 < _UNITS[w] < 10 and current % 100 != 0:
                current += _UNITS[w]  # "twenty five"
            elif seen and current != 0 and not (current % 100 == 0 and _UNITS[w] < 100):
                break  # "one two" is two numbers
            else:
                current += _UNITS[w]
            seen = True
        elif re.fullmatch(r"\d+(\.\d+)?", w) and not seen:
            current = float(w)
            seen = True
            if "." in w:  # "2.5 million" takes its scale; a decimal takes nothing else
                j += 1
                if j < len(raw) and raw[j][0] in _SCALES and _SCALES[raw[j][0]] >= 1000 and raw[j][0] != "k":
                    current *= _SCALES[raw[j][0]]
                    j += 1
                break
        elif w in _SCALES and seen and w != "k":
            scale = _SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        elif w == "point" and seen and j + 1 < len(raw) and raw[j + 1][0] in _DIGITS:
            frac = ""
            k = j + 1
            while k < len(raw) and raw[k][0] in _DIGITS:
                frac += str(_DIGITS[raw[k][0]])
                k += 1
            return k, total + current + float("0." + frac)
        else:
            break
        j += 1
    if not seen:
        return i, 0.0
    if j == i + 1 and re.fullmatch(r"\d+(\.\d+)?", raw[i][0]):
        return i, 0.0  # a lone digit token is already normal
    return j, total + current


def words_of(transcript_words: Sequence[Word]) -> tuple[list[GluedWord], list[Token]]:
    glued = glue_words(transcript_words)
    return glued, tokenize(glued)
