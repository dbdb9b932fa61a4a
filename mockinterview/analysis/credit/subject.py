"""Who does what a clause says, read from the dependency parse: the speaker as the doer of a model
clause's phrase, and the subject a clause leaves unsaid ("I rolled it back and posted in the channel")."""

from __future__ import annotations

from typing import Any

from .parser import has_subject, parse

SPEAKER = frozenset("i my me myself".split())


def speaker_in_subject(phrase: str, clause: str) -> bool:
    """Whether the model clause makes the speaker the doer of what the phrase says: "I" or "my" in the
    subject of the phrase's own clause ("two of the interviewers I trained became trainers"), not in a
    clause around it ("I got an alert that the disks were 85% full": the disks are the subject)."""
    at = clause.lower().find(phrase.lower())
    if at == -1:
        return bool(SPEAKER & {w.strip(".,;:!?").lower() for w in clause.split()})
    doc = parse(clause)
    inside = [t for t in doc if at <= t.idx < at + len(phrase) and not t.is_punct]
    if not inside:
        return False
    node = inside[-1]
    while not has_subject(node) and node.head.i != node.i:
        node = node.head
    subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(t.lower_ in SPEAKER for s in subjects for t in s.subtree)


LEAD_INS = frozenset("INTJ CCONJ ADV PUNCT".split())  # "so, um, then" before a clause's verb


def implied_subject(sentence: str, start_char: int, whole: bool = True) -> str:
    """Who does what a clause says when it names nobody, as words ("I", "we", "my lead"), else "".

    A verb joined to another shares its subject ("I rolled it back and posted in the channel": posted by
    me; "we pulled the logs and traced it": traced by us). A sentence that opens with a past-tense verb and
    names no subject ("Wrote a runbook.", the terse register) is the speaker's own act, as in any spoken
    account of what one did. A subject is only taken from before the clause, and `whole` is False for a
    sentence cut by a section boundary, whose opening is no opening."""
    doc = parse(sentence)
    first = next((t for t in doc if t.idx >= start_char and t.pos_ not in LEAD_INS), None)
    if first is None or first.pos_ != "VERB" or has_subject(first):
        return ""
    node = first
    while node.dep_ == "conj" and not has_subject(node) and node.head.i < node.i:
        node = node.head
    subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if node is not first and subject is not None and subject.i < first.i:
        # the subject's own words ("the search team"), not the clauses hanging off it ("nine [that] I turned ...")
        return " ".join(t.text for t in doc[subject.left_edge.i : subject.i + 1])
    opens = whole and all(t.pos_ in LEAD_INS for t in doc[: first.i])
    if node is first and opens and _past(first, sentence) and (first.dep_ == "ROOT" or first.head.dep_ == "ROOT" and first.dep_ == "amod"):
        return "I"  # "Added tests." is parsed as a noun phrase by the small model, and read as the act it is
    return ""


def _past(verb: Any, sentence: str) -> bool:
    """A past form. The small model tags a sentence-opening "Took" or "Ran" as a base form, so a base form
    is read again with the speaker as its subject: "I took a snapshot" is past, "I add tests" is not."""
    if verb.tag_ in ("VBD", "VBN"):
        return True
    if verb.tag_ != "VB":
        return False
    again = parse("I " + verb.lower_ + sentence[verb.idx + len(verb.text):])
    return len(again) > 1 and again[1].tag_ in ("VBD", "VBN")
