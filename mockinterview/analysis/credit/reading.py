"""How a sentence frames the words that matched a strong phrase, read from a dependency parse: is what
they say asserted, or only hedged, planned, heard, asked of someone else, or negated?

The words "I built a check" inside "I asked the platform team to build a check", "I think I may have
looked at some logs" or "I was going to write a fix" are not the claim. Whatever found the words (the
literal matcher or the meaning judge), the frame is read the same way:

- from the matched words' last word up through the clauses that govern it (a conjunct with its own subject
  is an assertion of its own, so the walk stops there), each clause is checked for
  - a negation (a `neg` dependent, a negative determiner or subject: "no", "nobody", "nothing", or a
    negative construction: "at no point", "far from", "too busy to"; polarity.py),
  - a modal of possibility ("may", "might", "could", "should"),
  - a governing verb of belief ("I think", "I guess"), intention ("planned to", "was going to",
    "wanted to"), report ("someone said", "I heard", "I was told"), request ("asked the team to",
    "passed it to them to"), abstention ("held off on", "failed to", "put off") or uncertainty ("not sure
    whether", "don't remember");
- the same is read from the phrase's clause in the model answer, and a frame the model answer does not
  share means the words are not the claim ("I could have built" is the phrase itself; "I wanted to
  understand" too), and so does a negation on one side only ("there wasn't a single unit error" says
  "zero unit errors"; a figure's polarity is left to the figure rules, which compare values).

The parse comes from parser.py (spaCy's small English pipeline); what denies a clause, from polarity.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .parser import has_subject, parse
from .polarity import REFUSAL, denies, negation_word, negative, negative_content


class Frame(Enum):
    HEDGE = "hedge"  # may, might, should, I think, not sure
    COUNTERFACTUAL = "counterfactual"  # could have, would have: not done (a lesson may say it so)
    PLAN = "plan"  # planned to, was going to, wanted to
    HEARSAY = "hearsay"  # someone said, I heard
    REQUEST = "request"  # asked them to, passed it to them to
    ABSTENTION = "abstention"  # held off on, failed to, refrained from: not done
    FUTURE = "future"  # will, next quarter, someday, on the roadmap: not done yet (a lesson may say it so)
    QUESTION = "question"  # "did I apologise to them?": asked, not asserted


POSSIBILITY = frozenset("may might should".split())  # "someone should solve it" is not done
COUNTERFACTUAL = frozenset("could would".split())  # a hedge only with "have": "could have saved"
BELIEF = frozenset("think guess believe suppose assume reckon doubt".split())
CONJECTURE = frozenset("guess assume speculate".split())  # see _denied_conjecture
INTENTION = frozenset("plan intend mean hope want wish expect aim try consider contemplate".split())  # not "offer": "I offered to take this on" volunteers
REPORT = frozenset("say tell hear mention report claim inform rumor rumour".split())
REQUEST_VERBS = frozenset("ask request tell get have let leave pass forward send delegate hand".split())
UNCERTAIN_ADJ = frozenset("sure certain clear".split())  # "not sure whether"
FORGET = frozenset("remember recall know".split())  # "I don't remember whether"
POSSIBLE_ADVERBS = frozenset("maybe perhaps possibly probably presumably apparently supposedly".split())
SUGGEST_VERBS = frozenset("suggest recommend propose advise urge encourage".split())  # what one suggests is not done
HANDOVER_VERBS = frozenset("leave delegate hand".split())  # "I left the undo plan to the search team"
# a verb whose complement is left undone, by the dependency that complement has: "failed to reproduce it",
# "skipped the review", "refrained from", "held off on rolling back" (not "the job failed at night")
ABSTAIN = {"fail": ("xcomp",), "neglect": ("xcomp",), "postpone": ("dobj", "xcomp"), "skip": ("dobj", "xcomp"),
           "refrain": ("prep",), "avoid": ("dobj", "xcomp"), "miss": ("dobj",)}
DECIDE_AGAINST = frozenset("decide choose opt vote argue advise recommend rule".split())  # "decided against taking it over"
ABSTAIN_WITH_OFF = frozenset("hold put".split())  # "held off on", "put off writing"
COMPLEMENTS = frozenset("xcomp ccomp advcl acomp".split())
CLAUSAL = frozenset("ccomp advcl".split())  # with a subject of its own, a clause under another
FUTURE_WORDS = frozenset("someday tomorrow".split())  # "a someday idea"
TIME_UNITS = frozenset("year quarter month week sprint release cycle half".split())  # "next quarter"
PLAN_NOUNS = frozenset("roadmap backlog list wishlist todo".split())  # "it was on my list", "in the backlog"
INTENT_NOUNS = frozenset("plan idea intention proposal goal hope wish aim".split())  # "a plan to automate it"
PLAN_NOUNS_AS_SUBJECT = frozenset("plan idea intention thinking".split())  # not "goal", "aim": a Task states one
REPORT_NOUNS = frozenset("story rumor rumour word legend gossip".split())  # "the story goes that ..."
ADVERBIALS = frozenset("npadvmod advmod prep attr acomp tmod".split())
FRAME_VERBS = BELIEF | INTENTION | REPORT | REQUEST_VERBS | SUGGEST_VERBS | HANDOVER_VERBS | FORGET | REFUSAL | frozenset(ABSTAIN)


@dataclass(frozen=True)
class Reading:
    frames: frozenset[Frame]
    negated: bool  # a negation is among the words or governs them


def read(sentence: str, start_char: int, end_char: int) -> Reading:
    """The frame the sentence puts around its characters [start_char, end_char)."""
    inside = _words_at(parse(sentence), start_char, end_char)
    if not inside:
        return Reading(frozenset(), False)
    ids = {t.i for t in inside}
    content = any(negative_content(t) for t in inside)
    own = any(negative(t) for t in inside if not negative_content(t))
    # a negation outside the words on one of them ("[not] one of them became a trainer")
    own |= any(c.dep_ == "neg" and c.i not in ids for t in inside if t.head.i in ids and t.head.i != t.i for c in t.children)
    walks = {t.i: _walk(t, ids) for t in inside}
    # a frame over any of the words frames the claim ("it might have had an owner, I never found out")
    frames = frozenset().union(*(found for found, _ in walks.values()), _announced(inside[-1]))
    # polarity: up from each word whose head lies outside the words ("the five steps I removed didn't
    # matter": from "steps"). Negations within one clause agree ("we didn't have no alerts" is none); a
    # clause that denies the one holding the words turns it over ("it's not true that there were no alerts")
    roots = [t for t in inside if t.head.i not in ids or t.head.i == t.i] or inside[-1:]
    negated = False
    for root in roots:
        same_clause, governing = walks[root.i][1]
        negated |= ((own or same_clause > 0) != content) != (governing % 2 == 1)
    return Reading(frames, negated)


def _announced(last: Any) -> set[Frame]:
    """The frame of what announces the words before a colon: "The rumour: other teams adopted it", "My plan
    was simple: take a snapshot", "What my manager told me was this: three big wastes" (however the parser
    hangs what follows the colon). A goal announced is a Task's ("The aim: every engineer ships")."""
    colon = next((t for t in reversed(last.doc[last.sent.start : last.i]) if t.text == ":"), None)
    if colon is None:
        return set()
    before = last.doc[last.sent.start : colon.i]
    verbs = {_lemma(t) for t in before if t.pos_ in ("VERB", "AUX")}
    nouns = {t.lemma_.lower() for t in before if t.pos_ in ("NOUN", "PROPN")}
    return ({Frame.PLAN} if verbs & INTENTION or nouns & (PLAN_NOUNS_AS_SUBJECT | PLAN_NOUNS) else set()) \
        | ({Frame.HEARSAY} if verbs & REPORT or nouns & REPORT_NOUNS else set()) | ({Frame.HEDGE} if verbs & BELIEF else set())


def _words_at(doc: Any, start_char: int, end_char: int) -> list[Any]:
    """The parsed words (no punctuation) that overlap characters [start_char, end_char)."""
    return [t for t in doc if t.idx < end_char and t.idx + len(t) > start_char and not t.is_punct]


def _walk(node: Any, inside: set[int]) -> tuple[set[Frame], tuple[int, int]]:
    """Frames on the way up from `node`, and the negations outside `inside` that govern it: (in the words'
    own clause, in the clauses above it, one per denying clause)."""
    frames: set[Frame] = set()
    negations = [0, 0]
    above = 0  # 0 in the words' own clause, 1 once a clause governing it is reached
    describing = False  # past a clause that describes a noun: only the noun's clause's polarity counts
    came_from = None
    while True:
        if not describing:
            frames |= _frames_at(node, came_from)
        if came_from is not None and came_from.dep_ in CLAUSAL and has_subject(came_from):
            above = 1  # "that there were no alerts" is a clause of its own under "it's not true"
        if not (came_from is not None and came_from.dep_ in COMPLEMENTS and _denied_conjecture(node)):
            negations[above] += denies(node, came_from, inside)
        if node.head.i == node.i or node.dep_ in ("conj", "parataxis") and has_subject(node):
            break
        if node.dep_ == "appos":
            break
        if node.dep_ == "relcl":  # a clause that describes a noun takes no frame from the noun's clause, but
            describing, above = True, 1  # its denial: "I didn't look for the part that does not depend on it"
        if _spliced(node):
            break  # "the data alone was enough, I didn't need to ask": two sentences spliced, not one inside the other
        came_from, node = node, node.head
    return frames, negations


def _spliced(clause: Any) -> bool:
    """A clause with its own subject before the one it hangs from, joined by no conjunction and governed by
    no frame verb: "the data alone was enough, I didn't need to ask", "what fixed it was X, nobody has to
    guess now" (the parser makes either a complement or an adverbial of the second)."""
    return (clause.dep_ == "ccomp" or clause.dep_ == "advcl" and not any(c.dep_ == "mark" for c in clause.children)) \
        and clause.i < clause.head.i and has_subject(clause) and not _frame_verb(clause.head)


def _frame_verb(verb: Any) -> bool:
    """A verb that may frame a clause; "have to" is a necessity, not "had them fix it"."""
    lemma = _lemma(verb)
    return lemma in FRAME_VERBS and not (lemma == "have" and any(
        c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in verb.children))


def _denied_conjecture(verb: Any) -> bool:
    """"I wasn't guessing", "I'm not assuming": a denied conjecture is a certainty, so it neither hedges nor
    negates what it governs ("I don't think" still does both)."""
    return _lemma(verb) in CONJECTURE and any(c.dep_ == "neg" for c in verb.children)


def _subject_is_me(token: Any) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == "i" for c in token.children)


def _frames_at(node: Any, came_from: Any) -> set[Frame]:
    """Frames this clause puts on what is below it (`came_from`: the child on the path, None at the start)."""
    out: set[Frame] = set()
    auxes = {c.lemma_ for c in node.children if c.dep_ == "aux"}
    if auxes & POSSIBILITY:
        out.add(Frame.HEDGE)
    if auxes & COUNTERFACTUAL and ("have" in auxes or _conditional(node)):
        out.add(Frame.COUNTERFACTUAL)  # "could have saved", "I would set it up if I did it again"
    if any(c.dep_ == "advmod" and c.lower_ in POSSIBLE_ADVERBS for c in node.children):
        out.add(Frame.HEDGE)  # "maybe the units were wrong"
    if _future(node, came_from):
        out.add(Frame.FUTURE)  # "I will trace it next sprint", "reducing the risk was on my list for next year"
    if _polar_question(node):
        out.add(Frame.QUESTION)
    if any(c.dep_ == "prep" and c.lower_ == "according" for c in node.children):
        out.add(Frame.HEARSAY)  # "according to the team, pages went down"
    if came_from is None:
        return out
    lemma = _lemma(node)
    governs = came_from.dep_ in COMPLEMENTS or came_from.dep_ in ("pobj", "prep")  # not "I trusted the story"
    if lemma in BELIEF and (governs or came_from.dep_ == "dobj") and not _denied_conjecture(node):
        out.add(Frame.HEDGE)  # "I think it failed", "someone reckoned three million"; "I wasn't guessing" asserts
    if lemma in INTENTION and came_from.dep_ == "xcomp":
        out.add(Frame.PLAN)
    if lemma == "go" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in node.children) and (
            came_from.dep_ == "xcomp" or came_from.dep_ in ("nsubj", "nsubjpass") and any(c.dep_ == "xcomp" for c in node.children)):
        out.add(Frame.PLAN)  # "I was going to write a fix", "calibration sessions were going to start"
    if lemma in REPORT and any(c.dep_ == "nsubjpass" for c in node.children) and came_from.dep_ in ("conj", "dobj", "advcl"):
        out.add(Frame.HEARSAY)  # "I'm told pages went down", however the parser hangs what was told
    if lemma in INTENT_NOUNS and came_from.dep_ == "acl":
        out.add(Frame.PLAN)  # "I had a plan to automate the release"
    if came_from.dep_ in ("ccomp", "xcomp", "attr"):
        subjects = {c.lemma_.lower() for c in node.children if c.dep_ == "nsubj"}
        if subjects & PLAN_NOUNS_AS_SUBJECT:
            out.add(Frame.PLAN)  # "the idea was that I traced it", "my plan was to add a schedule"
        if subjects & REPORT_NOUNS:
            out.add(Frame.HEARSAY)  # "the story goes that I grouped them", "word was that"
    if lemma == "run" and any(c.lower_ == "out" for c in node.children) and came_from.dep_ in ("advcl", "xcomp"):
        out.add(Frame.ABSTENTION)  # "I ran out of time to write the fix"
    if lemma == "wish" and came_from.dep_ == "ccomp":
        out.add(Frame.COUNTERFACTUAL)  # "I wish I had run a pilot"
    if came_from.dep_ == "prep" and (lemma in DECIDE_AGAINST and came_from.lower_ == "against" or lemma == "short" and came_from.lower_ == "of"):
        out.add(Frame.ABSTENTION)  # "decided against taking it over", "stopped short of posting"
    if came_from.dep_ in ABSTAIN.get(lemma, ()) or lemma in ABSTAIN_WITH_OFF and came_from.dep_ in (
            "xcomp", "pcomp", "prep", "dobj") and any(c.dep_ == "prt" and c.lower_ == "off" for c in node.children):
        out.add(Frame.ABSTENTION)
    if lemma in REPORT and came_from.dep_ in ("ccomp", "xcomp"):  # "someone said it failed", not "to say sorry"
        out.add(Frame.HEARSAY)
    if lemma in REQUEST_VERBS and came_from.dep_ in ("xcomp", "advcl", "ccomp") and _asks_another(node, came_from):
        out.add(Frame.REQUEST)
    if lemma in SUGGEST_VERBS and came_from.dep_ in COMPLEMENTS | {"xcomp"}:
        out.add(Frame.PLAN)  # "suggested the team write runbooks"
    if lemma in HANDOVER_VERBS and came_from.dep_ in ("dobj", "conj") and _given_to_another(node):
        out.add(Frame.REQUEST)  # what is left to others is theirs to do
    if lemma in UNCERTAIN_ADJ | {"be"} and came_from.dep_ in COMPLEMENTS | {"prep"} and any(c.dep_ == "neg" for c in node.children):
        if lemma in UNCERTAIN_ADJ or any(c.lemma_ in UNCERTAIN_ADJ for c in node.children):
            out.add(Frame.HEDGE)  # "I'm not sure whether ..."
    if lemma in FORGET and any(c.dep_ == "neg" for c in node.children) and _subject_is_me(node):
        out.add(Frame.HEDGE)  # "I don't remember whether ..."
    return out


def _lemma(token: Any) -> str:
    """spaCy's lemma, mended where the small pipeline drops a frame verb's silent e ("hoped", "hoping" ->
    "hop"); "hopped" stays "hop"."""
    lemma, low = token.lemma_.lower(), token.lower_
    if lemma + "e" in FRAME_VERBS and (low.startswith(lemma + "e") or low == lemma + "ing"):
        return lemma + "e"
    if low.endswith("ing") and token.dep_ == "xcomp" and low[:-3] in FRAME_VERBS:
        return low[:-3]  # "I kept meaning to call", tagged a noun
    return lemma


def _future(node: Any, came_from: Any) -> bool:
    """The clause puts what it says in the future: "will", a future time ("next quarter", "someday"), or a
    place for plans ("on the roadmap", "in the backlog"). A past sequence ("next, I traced it", "later that
    week") is not one."""
    if any(c.dep_ == "aux" and c.lemma_ == "will" for c in node.children):
        return True
    for c in node.children:
        if c.dep_ not in ADVERBIALS or (came_from is not None and c.i == came_from.i):
            continue
        if c.dep_ == "prep" and c.lower_ in ("on", "in") and any(o.dep_ == "pobj" and o.lemma_ in PLAN_NOUNS for o in c.children) \
                and node.pos_ in ("VERB", "AUX"):
            return True  # a clause's place, not a noun's: "there was no ticket in anyone's backlog" is no plan
        if any(t.lower_ in FUTURE_WORDS or t.lower_ == "next" and t.head.i != t.i and t.head.lemma_ in TIME_UNITS
               for t in c.subtree):
            return True
    return False


def _polar_question(verb: Any) -> bool:
    """A yes-no question: a question mark on the clause and its auxiliary before its subject ("did I
    apologise?"). A wh-question presupposes what it asks about ("why did I roll back? Because ...")."""
    children = list(verb.children)
    if not any(c.dep_ == "punct" and c.text == "?" for c in children):
        return False
    subject = next((c.i for c in children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    inverted = subject is not None and any(c.dep_ in ("aux", "auxpass") and c.i < subject for c in children) \
        or verb.lemma_ == "be" and subject is not None and verb.i < subject
    return inverted and not any(t.tag_ in ("WDT", "WP", "WP$", "WRB") for t in verb.subtree)


def _conditional(verb: Any) -> bool:
    """An "if" clause on the verb: "would" with it is a condition, not the habit "would" also says."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "if" for m in c.children) for c in verb.children)


def _asks_another(verb: Any, complement: Any) -> bool:
    """"asked the team to build", "passed the data to them to write up": the complement's doer is someone
    the verb names, not the speaker ("I asked to shadow" is the speaker's own act)."""
    others = [c for c in verb.children if c.dep_ in ("dobj", "dative", "pobj", "prep") and c.i != complement.i]
    people = [c for c in others if c.lower_ not in ("me", "myself")]
    return bool(people)


def _given_to_another(verb: Any) -> bool:
    """"left X to the search team": a "to" whose object is not the speaker, on the verb or on an object
    joined to its own ("left the plan and the root cause to them")."""
    heads = [verb] + [c for c in verb.children if c.dep_ in ("dobj", "conj")]
    return any(p.dep_ in ("prep", "dative") and p.lower_ == "to"
               and any(o.dep_ == "pobj" and o.lower_ not in ("me", "myself") for o in p.children)
               for h in heads for p in h.children)


def read_claim(phrase: str, clause: str) -> Reading:
    """The frame the model answer's clause puts around the phrase (the phrase alone if it is not there)."""
    at = clause.lower().find(phrase.lower())
    if at == -1:
        return read(phrase, 0, len(phrase))
    return read(clause, at, at + len(phrase))


def undoes(claim: Reading, said: Reading) -> str:
    """Why the said words are not the claim ("" if they are): a frame the claim lacks, or the other polarity."""
    extra = said.frames - claim.frames
    if claim.negated:
        extra -= {Frame.ABSTENTION}  # "we avoided any downtime" says "never went down"
    if extra:
        return sorted(f.value for f in extra)[0]
    if said.negated != claim.negated:
        return "negation"
    return ""


def reframed(phrase: str, claim_clause: str, sentence: str, start_char: int, end_char: int,
             reflective: bool = False, polarity: bool = True, claim_sentence: str = "") -> str:
    """Why the words at sentence[start_char:end_char] do not make the phrase's claim, "" if they do.
    `reflective`: a Reflection, where "a shared SLO would have caught it" states the lesson. `polarity`:
    compare negation too (the literal matcher's words are the claim's; a meaning candidate is a whole
    clause, whose negations may be about something else, and claims.py judges its polarity).
    `claim_sentence`: the question file's claim, whose frames are the claim's too."""
    claim, said = read_claim(phrase, claim_clause), read(sentence, start_char, end_char)
    if claim_sentence:  # the claim's own frame is the claim ("would have crashed for 3% of our users")
        claim = Reading(claim.frames | read_claim(phrase, claim_sentence).frames, claim.negated)
    if reflective:  # "a shared SLO would have caught it", "next time I will ask first": the lesson itself
        said = Reading(said.frames - {Frame.COUNTERFACTUAL, Frame.FUTURE}, said.negated)
    if not polarity and claim.negated and _absence_denied(sentence, start_char, end_char):
        return "negation"  # "it's not true that there were no alerts" says there were
    if polarity and ZERO.search(phrase) and _zero_denied(sentence, start_char, end_char):
        return "negation"  # "we didn't get to zero unit errors"
    if not polarity and not claim.negated and said.negated and not any(
            negation_word(t) for t in _words_at(parse(sentence), start_char, end_char)):
        # a denial the claim rules' negation words do not see (they judge those): "we were far from on
        # time", "I was too rushed to take a snapshot", "it's not true that I traced it"
        return "negation"
    if not polarity or _figure_with_negation(phrase, claim):
        said = Reading(said.frames, claim.negated)
    return undoes(claim, said)


def _absence_denied(sentence: str, start_char: int, end_char: int) -> bool:
    """Every innermost negation among the characters is turned over by a clause that denies it ("it's not
    true that there were no alerts", "it isn't that nobody asked"). A negation that governs another is the
    one doing the turning, not a claim of its own."""
    negations = [t for t in _words_at(parse(sentence), start_char, end_char) if negative(t)]
    innermost = [t for t in negations if not any(u is not t and t.head in u.ancestors for u in negations)]
    return bool(innermost) and not any(read(sentence, t.idx, t.idx + len(t)).negated for t in innermost)


def _zero_denied(sentence: str, start_char: int, end_char: int) -> bool:
    """A zero among the characters whose own clause is denied ("we never got to zero errors"): the goal
    missed, not the double negative of "we didn't have no alerts"."""
    inside = _words_at(parse(sentence), start_char, end_char)
    return any(_walk(t, {u.i for u in inside})[1][0] > 0 for t in inside if ZERO.fullmatch(t.text))


ZERO = re.compile(r"(?<![\d.])0(?![\d.])|\bzero\b", re.IGNORECASE)


def _figure_with_negation(phrase: str, claim: Reading) -> bool:
    """A figure whose value a negation may say ("not a single error" is "zero errors"; "needed nothing
    done" is "needed no action"): its polarity is left to the figure rules, which compare values. Any
    other figure said inside a denial ("it wasn't true that 15 teams built their own") is denied."""
    return any(ch.isdigit() for ch in phrase) and (claim.negated or bool(ZERO.search(phrase)))
