"""Does a candidate's clause make a strong phrase's claim? The rules a meaning credit must pass, beyond
similarity (meaning.py finds the candidates and measures it). Each rule is general: about who did it,
what was said, and how; none is about one answer.

  * figures: each figure of the phrase is said in the candidate, compared by value (quantities.py: "a
    dozen" is twelve, "one in five" is 20%, "a single day" is one, "not a single error" is zero);
  * polarity: a phrase with a negation ("nobody had asked", "not my team") needs one in the candidate,
    and a phrase without one is never earned by a negated candidate ("I didn't notice"), unless its
    model-answer clause is negated too ("the absence of a shared webhook SLO" for "shared webhook SLO");
    a refusal says a negation ("I refused to ship" for "I was not willing"), "blameless" is one ("a
    review with no blame"), and a negation-only phrase needs its content said too (CONTENT_MIN: "I
    didn't take a snapshot" is not "never went down"); a zero said with a denied verb ("never reached
    zero") is not the zero of a change;
  * opposites: the phrase's claim (or its model clause's) said the other way earns nothing ("the rate
    went up", "a month late" for "on time", "went ahead with the order" for "cancelled", "the week
    after Black Friday"), nor a comparison ("better modems") said without one;
  * first person: a phrase "I ..." needs "I" within the candidate's first words with no other subject
    (or "me") before it, so "we pulled",
    "the team traced it", "my lead decided" or "someone else wrote the fix" earn nothing; a phrase
    with "my" or "mine" is not earned where another person comes first ("the call was mine" is not
    "the decision belonged to my manager"); ownership may be said as possession ("the player code was
    mine" for "I owned the player"), a lesson as "the lesson for me"; an action is not earned by being
    there ("I approved", "I attended", "I sat in", "I was busy"), and where the model clause makes the
    candidate the agent ("the interviewers I trained became trainers") the candidate must speak of
    themself;
  * hedges: a claim said with "somewhat", "a bit", "maybe"... ("the failure rate improved somewhat", the
    weak answer's words) earns no strong phrase (an action or result only intended, "I wanted to
    trace it", "it could have saved money", is a frame the parse reads: reading.py), and work
    passed on ("I left it for the Platform team to handle", "I escalated it", "I filed a ticket") no
    action or initiative; a plan is not an act ("I drafted a plan to add a canary");
  * scope and lesson: a scope phrase about whose job it was ("not my team") needs the candidate to say
    whose job (team, job, ours, belonged...), and a generic lesson ("communication is important",
    "teamwork matters") earns no lesson phrase;
  * assignment: a scope, initiative, business-value or story-specific phrase is never earned in a
    sentence that says the work was given ("my lead assigned me the ticket", "I was asked to"), unless that is negated ("no one asked").
"""

from __future__ import annotations

import re
from typing import Sequence

from ...bank.model import STORY_SPECIFIC
from .matcher import NEGATIONS, phrase_tokens
from .quantities import WORD_VALUES, figures_said
from .subject import SPEAKER, speaker_in_subject

NEGATION_CUES = NEGATIONS | frozenset("nothing none nowhere outside lack lacked absence instead neither".split())
# a negation of the verb denies the act; "no", "without", "nobody"... deny a thing, which a claim may do
VERB_NEGATIONS = NEGATIONS - frozenset("no nobody none nothing without neither nor".split())
HANDOFF_SUBJECTS = frozenset(
    "we they he she you team teammate teammates colleague colleagues someone somebody everyone lead manager "
    "boss director others people".split())
OTHER_PEOPLE = frozenset("they he she someone somebody manager lead boss director teammate teammates colleague "
                         "colleagues legal hr qa".split())
MAX_BEFORE_I = 4  # "At a payments company I spotted" opens with a setting, not with another subject
FIRST_PERSON = SPEAKER | {"mine"}
QUANTITY_WORDS = frozenset(WORD_VALUES)
PASSED_ON = re.compile(r"\b((i|we) (filed|opened|raised|logged) (a|an) (ticket|bug|issue|report)|reported it|flagged it|let them know|left it|let (them|it|the)|handed (it|over|off)|passed it|forwarded|escalated|delegated|ignored|"
                       r"waited for|for (them|him|her|someone|the \w+( team)?) to (handle|fix|deal|sort|look|own|take))\b")
# A phrase that names something going wrong ("wrong arrival times") needs a candidate that does too.
NEGATIVE_SENSE = frozenset("wrong incorrect inaccurate broken failed failing bad late off missing lost "
                           "stale crashed crashing errors error mistake".split())
HEDGES = re.compile(r"\b(somewhat|slightly|a bit|a little|kind of|sort of|maybe|probably|hopefully|more or less)\b")
OWNERSHIP_WORDS = frozenset("team teams job my mine responsibility owned own ours remit role scope".split())
SCOPE_WORDS = OWNERSHIP_WORDS | frozenset(
    "us belonged belongs responsible service group area problem department project outside".split())
GENERIC_LESSON = re.compile(r"\b(communication|teamwork|collaboration|working together|hard work|team work)\b")
# "I approved the release" or "I attended the review" is being there, not doing the work: a bar raiser
# hears no action in it (unless the phrase's own verb is one of these).
BYSTANDER_VERBS = frozenset(
    "approved approve accepted agreed attended joined watched saw heard read reviewed signed okayed "
    "supported helped assisted participated observed listened allowed let acknowledged cc'd ccd".split())
# an action is a verb of doing; "I was busy with storage" or "I felt it mattered" is a state
BYSTANDER_VERBS = BYSTANDER_VERBS | frozenset("was am had felt thought knew believed think guess liked sat stood".split())
ADVERBS = frozenset("then also just finally quickly personally really first".split())
REFUSALS = frozenset("refused declined rejected wouldnt avoided stopped prevented blocked unwilling".split())
# the opposite outcome said in the phrase's own terms: "went live a month late" is not "on time"
DIRECTIONS = (
    (frozenset("fell dropped reduced cut down lower fewer less decreased shrank halved".split()),
     frozenset("rose increased grew up higher more spiked doubled climbed".split())),
    (frozenset("improving improved better faster safer reliable".split()),
     frozenset("worse worsened degraded regressed slower broke unreliable".split())),
    (frozenset("time schedule".split()), frozenset("late delayed behind slipped overdue".split())),
    (frozenset("cancelled canceled avoided skipped stopped".split()), frozenset("ahead bought purchased ordered".split())),
    # "some restaurants could wait" is not "every restaurant": a part is not the whole
    (frozenset("every each all entire whole".split()), frozenset("some few several handful most many half".split())),
)
TIME_PREPOSITIONS = frozenset("on before after by until since during".split())
ARTICLES = frozenset("a an the".split())
SAMENESS = frozenset("same still unchanged".split())  # "no change from before" is "the same as before"
NOT_NEGATING = frozenset("unless regardless nevertheless".split())
# "better modems" needs a comparison said: "the modems worked well" compares nothing.
COMPARATIVES = frozenset(
    "better worse faster slower more less fewer higher lower cheaper bigger smaller newer stronger "
    "weaker safer quicker shorter longer lighter simpler easier harder leaner tighter clearer earlier "
    "larger greater wider deeper cleaner".split())
COMPARISON_CUES = COMPARATIVES | frozenset(
    "than improved improve improving upgraded upgrade upgrading replaced replace replacing new "
    "increased reduced cut dropped fell rose grew halved doubled".split())
ASSIGNMENT_CUES = (
    re.compile(r"\b(assigned|gave|handed|told|tasked|asked|instructed|ordered|delegated)\b (me|us)\b"),
    re.compile(r"\b(i|we) (was|were|got) (assigned|asked|told|given|tasked|handed)\b"),
    re.compile(r"\bmy (lead|manager|boss|director)\b.{0,30}\b(assigned|asked|told|wanted|had me|gave)\b"),
)


def gated(phrase: str) -> bool:
    """Whether a rule checks the phrase's claim: "I ..." (who did it), a negation, or a figure."""
    ptoks = phrase_tokens(phrase)
    return (ptoks[:1] == ("i",) or any(p in NEGATION_CUES for p in ptoks)
            or any(p[:1].isdigit() or p in QUANTITY_WORDS for p in ptoks))


def passes_rules(phrase: str, signal: str, said: Sequence[str], sentence_text: str, example: str = "",
                 claim_sentence: str = "") -> bool:
    """Whether the candidate's words (`said`, normalised; in a sentence `sentence_text`) make the phrase's
    claim, by every rule in the module's docstring (the claim sentence of the question file, if any,
    tells the direction of a change: "The system became more reliable.")."""
    ptoks = phrase_tokens(phrase)
    said = list(said)
    if HEDGES.search(" ".join(said)):
        return False
    if signal in ("ownership-action", "initiative") and PASSED_ON.search(" ".join(said)):
        return False  # "I left it for the Platform team to handle" is the opposite of acting
    if not figures_said(ptoks, said):
        return False  # "one engineer" is not "both engineers"; "a dozen" is "twelve"
    phrase_negated = negated(ptoks)
    said_negated = any(w in NEGATION_CUES for w in said)
    example_negation = example_negated(example)
    if phrase_negated and not said_negated and not REFUSALS & set(said):
        return False  # "I refused to ship" says "I was not willing"
    if said_negated and SAMENESS & set(ptoks):
        said_negated = False  # "no change from before" is "the same as before"
    if NEGATIVE_SENSE & set(ptoks) and not (NEGATIVE_SENSE | NEGATION_CUES) & set(said):
        return False  # "the arrival times were accurate" is not "wrong arrival times"
    if said_negated and not phrase_negated and not example_negation:
        return False  # "I didn't notice" is not "I noticed"; "no shared SLO" may be, when the model says "the absence of"
    if phrase_negated and not NEGATION_CUES & set(ptoks) and VERB_NEGATIONS & set(said) and {"0", "zero"} & set(said):
        return False  # a zero denied ("never reached zero") is not "0.3% to zero"; "not a single error" says one
    if not phrase_negated and VERB_NEGATIONS & set(said) and not VERB_NEGATIONS & set(phrase_tokens(example)):
        return False  # the act denied ("I didn't reduce the risk"), where the model denies only a thing ("without hurting")
    if ptoks[:1] == ("i",) and "i" not in said and _said_as_mine(ptoks, signal, said):
        pass  # "the player code was mine" owns it; "the lesson for me was" is a lesson learned
    elif ptoks[:1] == ("i",):
        first_i = said.index("i") if "i" in said else len(said)
        before = said[:first_i]
        if "i" not in said or first_i > MAX_BEFORE_I or any(w in HANDOFF_SUBJECTS or w == "me" for w in before):
            return False  # "I sorted the reports" is not "the crash rate looked fine to me, so I approved"
    elif FIRST_PERSON & set(ptoks):  # "the call was mine" is not "the decision belonged to my manager"
        if next((w for w in said if w in OTHER_PEOPLE or w in FIRST_PERSON - {"my"}), "i") in OTHER_PEOPLE:
            return False
    if signal == "ownership-action" and ptoks[:1] == ("i",):
        verbs = _first_person_verbs(said)
        if verbs and all(v in BYSTANDER_VERBS and v not in ptoks for v in verbs):
            return False  # "I approved the release" is not "I added a release gate"
    if ptoks[0] in TIME_PREPOSITIONS and len(ptoks) > 1:
        head = next((p for p in ptoks[1:] if p not in ARTICLES), "")
        if any(w == head and word_before(said, k) in TIME_PREPOSITIONS - {ptoks[0]} for k, w in enumerate(said)):
            return False  # "the week after Black Friday" is not "on Black Friday"
    claim = set(ptoks) | set(phrase_tokens(example)) | set(phrase_tokens(claim_sentence))  # "new modems": "we cancelled an order for new modems"
    for one, other in DIRECTIONS:
        for a, b in ((one, other), (other, one)):
            if a & claim and not b & claim and b & set(said) and not a & set(said):
                return False  # "the rate went up" is not "the rate fell"; "a month late" is not "on time"
    if COMPARATIVES & set(ptoks) and not COMPARISON_CUES & set(said):
        return False  # "the modems worked well" is not "better modems"
    if ptoks[:1] != ("i",) and not FIRST_PERSON & set(said) and (
            speaker_in_subject(phrase, example) if signal != "lesson" else FIRST_PERSON & set(phrase_tokens(example))):
        return False  # "two of the interviewers I trained became trainers": "HR ... trained the interviewers" is not
    if signal == "scope" and OWNERSHIP_WORDS & set(ptoks) and not SCOPE_WORDS & set(said):
        return False  # "wasn't my team" needs the candidate to talk about whose job it was
    if signal == "lesson" and GENERIC_LESSON.search(" ".join(said)):
        return False  # "communication is important": the generic lesson a bar raiser discounts
    if signal in ("scope", "initiative", "business-value", STORY_SPECIFIC):
        sentence = " ".join(phrase_tokens(sentence_text))
        if any(c.search(sentence) for c in ASSIGNMENT_CUES) and not any(w in NEGATION_CUES for w in sentence.split()):
            return False
    return True


def example_negated(example: str) -> bool:
    """The model answer's clause for a phrase says a negation ("instead" does not: "X instead of Y" says X)."""
    return negated([w for w in phrase_tokens(example) if w != "instead"])


def word_before(words: Sequence[str], index: int) -> str:
    """The word before words[index], articles skipped ("no [a] control group"), or ""."""
    k = index - 1
    while k >= 0 and words[k] in ARTICLES:
        k -= 1
    return words[k] if k >= 0 else ""


def negated(toks: Sequence[str]) -> bool:
    """A negation, a zero ("zero unit errors" is no errors) or a "-less" word ("blameless")."""
    return any(t in NEGATION_CUES or t == "0" or (t.endswith("less") and len(t) > 6 and t not in NOT_NEGATING)
               for t in toks)


# said after "I", these are not something done: modals and plans, states, decisions, bystanding
NOT_DONE = BYSTANDER_VERBS | frozenset(
    "would will could should might may can cant couldnt wouldnt didnt dont do did wanted tried planned hoped "
    "meant intended decided guess mean suppose realized realised noticed learned wish assumed expected figured "
    "im ive id ill".split())


def own_actions(said: Sequence[str]) -> tuple[str, ...]:
    """The distinct things said as done by the speaker ("I pulled the logs, then I traced it" -> pulled,
    traced), in order: verbs after "I" that are not NOT_DONE."""
    out: list[str] = []
    for verb in _first_person_verbs(said):
        if verb not in NOT_DONE and verb not in out and verb.isalpha():
            out.append(verb)
    return tuple(out)


def _first_person_verbs(said: Sequence[str]) -> list[str]:
    """The word after each "I" (adverbs skipped): "I watched it, I tracked the cause" -> watched, tracked."""
    out = []
    for k, w in enumerate(said):
        if w == "i":
            verb = next((v for v in said[k + 1 :] if v not in ADVERBS), "")
            if verb:
                out.append(verb)
    return out


def _said_as_mine(ptoks: Sequence[str], signal: str, said: Sequence[str]) -> bool:
    """An ownership phrase ("I owned the player") said as possession ("the player code was mine", "it
    was my responsibility"), or a lesson ("I learned") said as "the lesson for me": with nobody else first."""
    if ptoks[1:2] not in (("owned",), ("own",), ("learned",)) and signal != "lesson":
        return False
    for k, w in enumerate(said):
        if w in OTHER_PEOPLE or w in HANDOFF_SUBJECTS:
            return False
        if w == "mine" or (w == "my" and (k + 1 == len(said) or said[k + 1] not in OTHER_PEOPLE | HANDOFF_SUBJECTS)):
            return True
        if w == "me" and signal == "lesson":
            return True
    return False
