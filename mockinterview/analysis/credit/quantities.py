"""The quantities a phrase claims and the quantities a candidate said, compared by value, so a figure
said in other words still counts: "a single day" is 1 day, "a dozen" is 12, "one in five" is 20%,
"three tenths of a percent" is 0.3%, "double the rate" is twice, "a thousand restaurants" is 1,000,
and "didn't find a single unit error" says zero. A different figure never counts ("one engineer" is
not "both engineers", "$70k" is not "$90k").

Both sides arrive as normalised tokens (text.normalize_text: number words are already digits).
"""

from __future__ import annotations

from collections.abc import Sequence

WORD_VALUES = {"twice": 2.0, "double": 2.0, "doubled": 2.0, "both": 2.0, "triple": 3.0, "tripled": 3.0,
               "thrice": 3.0, "half": 0.5, "halved": 0.5, "quarter": 0.25, "dozen": 12.0, "single": 1.0,
               "once": 1.0}
SCALES = {"hundred": 100.0, "thousand": 1_000.0, "million": 1_000_000.0, "billion": 1_000_000_000.0}
ZERO_WORDS = frozenset("nothing none zero nil".split())
# "not a single error", "no errors", "never failed": zero said by a negation
ZERO_BY_NEGATION = frozenset("no not never without didnt wasnt werent nobody none nothing zero".split())
FRACTIONS = {"tenth": 10.0, "tenths": 10.0, "hundredth": 100.0, "hundredths": 100.0}


def _number(token: str) -> float | None:
    try:
        return float(token)
    except ValueError:
        return None


def phrase_values(tokens: Sequence[str]) -> list[float]:
    """The figures a phrase claims: digits and the words that are figures ("twice", "half", "both")."""
    out = []
    for t in tokens:
        v = _number(t)
        if v is not None:
            out.append(v)
        elif t in WORD_VALUES:
            out.append(WORD_VALUES[t])
    return out


def values_said(tokens: Sequence[str]) -> set[float]:
    """Every figure the tokens say, each also as a share (20 <-> 0.2), since "20%" is "one in five"."""
    out: set[float] = set()
    for i, t in enumerate(tokens):
        v = _number(t)
        prev = _number(tokens[i - 1]) if i else None
        nxt = _number(tokens[i + 2]) if i + 2 < len(tokens) else None  # "out of N"
        if v is not None:
            out.add(v)
        elif t in WORD_VALUES:
            out.add(WORD_VALUES[t] * (prev if t == "dozen" and prev is not None else 1.0))
        elif t in SCALES and prev is None:
            out.add(SCALES[t])  # "a thousand restaurants"
        elif t in ZERO_WORDS:
            out.add(0.0)
        if t in FRACTIONS and prev is not None:
            out.add(prev / FRACTIONS[t])  # "three tenths"
        if prev is not None and (t == "in" or (t == "out" and i + 1 < len(tokens) and tokens[i + 1] == "of")):
            whole = _number(tokens[i + 1]) if t == "in" and i + 1 < len(tokens) else nxt
            if whole:
                out.add(prev / whole)  # "one in five", "one out of five"
    if ZERO_BY_NEGATION & set(tokens):
        out.add(0.0)
    return out | {round(v * 100, 6) for v in out if 0 < v < 1} | {round(v / 100, 6) for v in out if v > 0}


def figures_said(phrase_tokens: Sequence[str], said_tokens: Sequence[str]) -> bool:
    """Every figure of the phrase is said (by value) in the candidate's tokens."""
    said = values_said(said_tokens)
    return all(any(abs(v - s) <= 1e-6 * max(1.0, abs(v)) for s in said) for v in phrase_values(phrase_tokens))
