"""What denies a clause, read from the dependency parse one word at a time: a negation ("not", "never",
"no one"), a negative construction ("far from", "too rushed to", "at no point", "no longer", "not one
of them"), or a word whose meaning holds a negation (a refusal, "blameless", zero). reading.py walks the
clauses and counts them.
"""

from __future__ import annotations

from typing import Any

NEGATIVE_WORDS = frozenset("no nobody nothing none never neither nor zero without outside lack lacked absence".split())
NEGATIVE_ADVERBS = frozenset("hardly scarcely nowhere".split())  # "I hardly listened" ("barely made it" did), "nowhere near"
REFUSAL = frozenset("refuse decline reject".split())  # "I refused to ship" says "I was not willing"


def denies(node: Any, came_from: Any, inside: set[int]) -> bool:
    """A negation on this clause, outside the words and off the path: "not", "never", "no one", "nothing",
    "not one of them", "no longer", "at no point"; or one the path itself takes: "far from on time", "too
    rushed to take a snapshot"."""
    if came_from is not None and (_far_from(node, came_from) or came_from.dep_ == "xcomp" and too_before(node)):
        return True
    return any(c.i not in inside and c.i != (came_from.i if came_from else -1) and denial(c) for c in node.children)


def denial(child: Any) -> bool:
    """A dependent that denies its clause."""
    if child.dep_ == "neg" or child.dep_ == "advmod" and child.lower_ in NEGATIVE_ADVERBS:
        return True
    if child.dep_ in ("det", "nsubj", "nsubjpass") and child.lower_ in NEGATIVE_WORDS:
        return True
    grand = list(child.children)
    if child.dep_ in ("nsubj", "nsubjpass") and any(g.dep_ == "neg" for g in grand):
        return True  # "not one of them became a trainer"
    if child.dep_ == "advmod" and any(g.lower_ == "no" for g in grand):
        return True  # "no longer the same", "no more"
    return child.dep_ == "prep" and any(o.dep_ == "pobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in o.children)
                                        for o in grand)  # "at no point", "in no way", "by no means"


def too_before(node: Any) -> bool:
    """"too busy to", "too rushed to": a degree that rules out the infinitive under it."""
    return any(c.dep_ == "advmod" and c.lower_ == "too" and c.i == node.i - 1 for c in node.children)


def _far_from(far: Any, child: Any) -> bool:
    """"far from on time": the degree denies what "from" holds."""
    return far.lower_ == "far" and child.lower_ == "from" and child.head.i == far.i


def negation_word(token: Any) -> bool:
    """A word that says a negation by itself: "not", "no", "never", "without", "hardly"... (the words the
    claim rules list too)."""
    return token.dep_ == "neg" or token.lower_ in NEGATIVE_WORDS | NEGATIVE_ADVERBS


def negative(token: Any) -> bool:
    """A negation word, a word whose meaning holds one ("blameless", a refusal), or the word that carries a
    negative construction ("far" of "far from back", "too" of "too rushed to take a snapshot")."""
    return (negation_word(token) or negative_content(token) or any(_far_from(token, c) for c in token.children)
            or token.lower_ == "too" and token.dep_ == "advmod" and too_before(token.head)
            and any(c.dep_ == "xcomp" for c in token.head.children))


def negative_content(token: Any) -> bool:
    """A word whose meaning holds the negation, not the clause: a refusal, a privative adjective
    ("blameless" is "no blame") or the number zero. A clause that denies it turns it over ("we never held a
    blameless review"), where a negative determiner agrees with the clause's ("we didn't have no alerts")."""
    return (token.lemma_ in REFUSAL or token.lower_ in ("zero", "0")
            or (token.pos_ == "ADJ" and token.lower_.endswith("less") and len(token) > 6))
