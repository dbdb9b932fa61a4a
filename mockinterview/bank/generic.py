"""Follow-up probes, questions and coaching that fit any story for a principle.

Used for the candidate's own stories (`new-story`) and, through `with_generic_probes`, to top up a
built-in question whose file has few probes. Kept as Python data rather than a TOML file because the
loader treats every `prompts/**/*.toml` as a question.
"""

from __future__ import annotations

import dataclasses

from .model import PRINCIPLES, Probe, Question


def _p(question: str, probes: str, weak: str, weak_why: str, strong: str, key: str, markers: tuple[str, ...]) -> Probe:
    return Probe(
        question=question,
        probes=probes,
        weak_answer=weak,
        weak_why=weak_why,
        strong_answer=strong,
        key_phrase=key,
        weak_markers=markers,
    )


GENERIC_PROBES: dict[str, tuple[Probe, ...]] = {
    "customer-obsession": (
        _p("How did you know what the customer actually needed, rather than what they asked for?",
           "Working backwards from real customer evidence",
           "We just built what the product manager wrote in the ticket.",
           "No contact with the customer or their data; the candidate took the request at face value.",
           "Name the evidence you went to yourself (tickets, recordings, usage data, a call) and the need it revealed that the request did not say.",
           "I looked at what customers were actually doing.", ("what the ticket said", "the product manager decided", "we assumed")),
        _p("What did the customer gain, in their own terms?",
           "Customer impact, measured",
           "They were happier with the product.",
           "Happiness with no measure: the interviewer cannot tell if anything changed for the customer.",
           "Give a customer-side number before and after (time saved, errors avoided, complaints down) and one concrete customer reaction.",
           "Complaints dropped from X to Y.", ("they were happier", "customers liked it", "good feedback")),
        _p("What did you trade off to do right by the customer?",
           "Priorities under a customer lens",
           "Nothing really, it fit into the sprint.",
           "Suggests no hard choice was made, so the principle was never tested.",
           "Name what you delayed or gave up, who agreed, and why the customer outcome was worth it.",
           "I delayed X because the customer impact was bigger.", ("nothing really", "it was easy")),
    ),
    "ownership": (
        _p("What would have happened if you had not acted?",
           "Ownership: the cost of doing nothing",
           "Someone else would probably have picked it up eventually.",
           "Admits the action was optional and shrinks the stakes the story depends on.",
           "State the concrete cost of inaction (outage, revenue, customers, weeks of delay) and why nobody else was positioned to catch it.",
           "Nobody else was watching it.", ("someone else would have", "probably fine", "eventually")),
        _p("How did you get the other team to prioritise it?",
           "Cross-team influence without authority",
           "I sent them a message and they handled it.",
           "Hands the problem off; ownership ends at the message.",
           "Show you brought the work, not just the problem: a ready fix or a clear proposal, data on impact, and a follow-up until it shipped.",
           "I brought them a ready fix.", ("sent them a message", "they handled it", "I escalated it")),
        _p("What did you do after the fix to make sure it stayed fixed?",
           "Long-term ownership",
           "Nothing, it was done.",
           "Ownership that stops at the fix; no thought for the next failure.",
           "Name the guard you left behind (alert, test, runbook, owner) and how you checked it later.",
           "I added an alert so it could not happen silently again.", ("nothing", "it was done", "moved on")),
    ),
    "invent-and-simplify": (
        _p("What did you remove, not just add?",
           "Simplification, not more machinery",
           "We added a new tool on top of the old process.",
           "Adding layers is not simplifying; the old complexity is still there.",
           "Name the steps, systems or decisions you eliminated and the number before and after.",
           "I removed X steps.", ("added a new tool", "on top of")),
        _p("Why had nobody simplified it before, and how did you get people to adopt the new way?",
           "Invention that lands with users",
           "People just started using it.",
           "Skips the resistance and the work of adoption.",
           "Explain the blocker (habit, risk, ownership) and what you did to earn adoption: a pilot, docs, a migration you did for them.",
           "I ran a pilot with one team first.", ("just started using it", "it was obvious")),
    ),
    "are-right-a-lot": (
        _p("What information did you not have, and how did you decide anyway?",
           "Judgement under uncertainty",
           "I went with my gut.",
           "Gut feel with no reasoning cannot be evaluated or repeated.",
           "Name the missing data, the options you weighed, the signal you used instead, and how you limited the cost of being wrong.",
           "I made it reversible in case I was wrong.", ("went with my gut", "just knew")),
        _p("Who disagreed with you, and what did you learn from them?",
           "Seeking diverse perspectives, disconfirming beliefs",
           "Nobody disagreed.",
           "Either the decision was trivial or other views were not sought.",
           "Name a dissenting view, what part of it was right, and how it changed your plan.",
           "I changed my plan because of their point.", ("nobody disagreed", "everyone agreed")),
    ),
    "learn-and-be-curious": (
        _p("How did you learn it so quickly, concretely?",
           "Learning method, not just motivation",
           "I read a lot and asked questions.",
           "Generic; no method the interviewer can picture.",
           "Describe the method: the source you went to, the small thing you built to test your understanding, the expert you asked, and how you checked you were right.",
           "I built a small prototype to test my understanding.", ("read a lot", "asked questions")),
        _p("What have you learned since, that you were not required to?",
           "Curiosity beyond the task",
           "I haven't had much time lately.",
           "Signals curiosity only when forced.",
           "Name a recent topic you explored on your own and how it changed your work.",
           "I explored it on my own time.", ("not much time", "only when needed")),
    ),
    "hire-and-develop-the-best": (
        _p("How did you know the person had grown, not just finished the task?",
           "Measuring development",
           "They said it was helpful.",
           "Politeness is not growth.",
           "Point to something they now do on their own that they could not before, ideally with a date or a number.",
           "Now they lead it on their own.", ("they said it was helpful", "they thanked me")),
        _p("What did you do when it was not working?",
           "Coaching through difficulty",
           "I did the work for them to keep the deadline.",
           "Taking the work back removes the learning.",
           "Describe how you changed your approach (smaller steps, pairing, clearer feedback) without taking the work back.",
           "I changed how I coached them.", ("did it for them", "took it over")),
    ),
    "insist-on-the-highest-standards": (
        _p("Who pushed back on your standard, and how did you hold it?",
           "Holding the bar under pressure",
           "I let it go because of the deadline.",
           "The bar dropped at the first push.",
           "Name the pushback, the data that justified the bar, and the compromise you refused or the cheaper way you found to meet it.",
           "I showed the data and held the bar.", ("let it go", "because of the deadline")),
        _p("How did you make the higher standard stick after you left the room?",
           "Mechanisms over good intentions",
           "I reminded people in stand-up.",
           "Reminders fade; no mechanism.",
           "Describe the mechanism: an automated check, a template, a review gate, a metric on a dashboard.",
           "I turned it into an automated check.", ("reminded people", "told the team")),
    ),
    "think-big": (
        _p("How did you get people to buy into the bigger vision?",
           "Communicating a bold direction",
           "My manager approved it.",
           "Approval is not buy-in; no sign that the vision moved anyone.",
           "Say how you framed the vision (a document, a demo, a first milestone) and who signed up and why.",
           "I wrote a one-page vision and showed a demo.", ("my manager approved", "they agreed")),
        _p("What was the first small step, and how did it prove the idea?",
           "Big thinking with a path to delivery",
           "We planned the whole thing upfront.",
           "Big plans with no proof point look risky.",
           "Name the first milestone, what it showed in numbers, and how it unlocked the next step.",
           "The first milestone proved it in numbers.", ("planned the whole thing", "big bang")),
    ),
    "bias-for-action": (
        _p("Why was it a reversible decision, and what would you have done if it went wrong?",
           "Calculated risk, speed with a safety net",
           "I didn't really think about it going wrong.",
           "Speed with no judgement about risk.",
           "Explain why the step could be undone, the rollback you had ready, and the signal you watched.",
           "I had a rollback ready.", ("didn't think about it", "hoped it would work")),
        _p("Who did you tell, and when?",
           "Acting fast without going rogue",
           "I told them afterwards.",
           "Surprising stakeholders erodes trust.",
           "Show you informed the right people as you acted, in a short message with what, why and how to undo it.",
           "I told the owner what I was doing and why.", ("told them afterwards", "didn't tell anyone")),
    ),
    "frugality": (
        _p("What did you not spend, and what did you do instead?",
           "Resourcefulness",
           "We asked for more budget.",
           "The opposite of frugality.",
           "Name the headcount, money or tool you avoided and the cheaper path you took, with the saving.",
           "I did it without extra headcount.", ("asked for more budget", "hired a contractor")),
        _p("Did the savings cost the customer anything?",
           "Frugality without harming quality",
           "Not that I know of.",
           "No check that the cut was safe.",
           "Show the metric you watched to prove quality held (latency, errors, satisfaction) before and after.",
           "Latency stayed flat.", ("not that I know", "didn't check")),
    ),
    "earn-trust": (
        _p("What exactly did you say when you admitted it?",
           "Vocal self-criticism",
           "I explained that the requirements were unclear.",
           "Blaming circumstances instead of owning the mistake.",
           "Quote the plain admission, the impact you named, and what you committed to fix, without blaming others.",
           "I said it was my mistake.", ("requirements were unclear", "it wasn't really my fault")),
        _p("How did you know trust was restored?",
           "Evidence of rebuilt trust",
           "Things went back to normal.",
           "No evidence; trust was assumed.",
           "Give a sign: they came back to you with the next problem, a metric recovered, a stakeholder said so.",
           "They came back to me with the next project.", ("back to normal", "it blew over")),
    ),
    "dive-deep": (
        _p("What was the first number that did not add up?",
           "Noticing the anomaly in the data",
           "Things just seemed off.",
           "No concrete anomaly, so no evidence of depth.",
           "Name the metric, the expected value and the value you saw, and where you looked next.",
           "The numbers did not match.", ("seemed off", "a feeling")),
        _p("How did you prove it was the root cause and not a symptom?",
           "Rigour: from correlation to cause",
           "When we changed it, things got better.",
           "Correlation only; no proof.",
           "Describe the reproduction or the experiment that turned the problem on and off, and what you ruled out.",
           "I reproduced it on demand.", ("things got better", "seemed to fix it")),
    ),
    "have-backbone": (
        _p("How did you disagree, exactly: in what setting and with what evidence?",
           "Respectful, data-backed challenge",
           "I told them I thought it was a bad idea.",
           "Opinion without data, and no thought for the setting.",
           "Describe raising it directly and privately first, the data you brought, and the alternative you proposed.",
           "I brought data and an alternative.", ("bad idea", "I just said no")),
        _p("What did you do after the decision went against you?",
           "Disagree and commit",
           "I went along with it but I still think I was right.",
           "Half-hearted commitment.",
           "Show you committed fully: what you did to make the chosen path succeed, and how you tracked the risk you had raised.",
           "I committed fully to their decision.", ("went along with it", "I told them so")),
    ),
    "deliver-results": (
        _p("What was the biggest setback, and what did you change because of it?",
           "Resilience and re-planning",
           "We just worked harder.",
           "Effort is not a plan.",
           "Name the setback, the scope or sequence you changed, and what you cut to protect the date.",
           "I cut scope to protect the date.", ("worked harder", "long hours")),
        _p("How did you measure that the result was delivered, not just shipped?",
           "Outcome over output",
           "We launched on time.",
           "Shipping is output; the result is what it changed.",
           "Give the outcome metric after launch and the date you checked it.",
           "Two weeks after launch the metric was X.", ("launched on time", "it went live")),
    ),
    "strive-to-be-earths-best-employer": (
        _p("How did you know the change helped people, not just the numbers?",
           "Empathy backed by evidence",
           "People seemed happier.",
           "No evidence; the candidate did not ask.",
           "Name how you asked (survey, one-to-ones) and what people said, alongside the metric.",
           "I asked each person in one-to-ones.", ("seemed happier", "morale improved")),
        _p("What did it cost, and how did you justify that to leadership?",
           "Balancing people and delivery",
           "Leadership just agreed.",
           "Skips the trade-off.",
           "State the cost in time or roadmap, the argument you made (attrition, incidents, speed), and what leadership agreed to.",
           "I made the case with attrition numbers.", ("just agreed", "it was free")),
    ),
    "success-and-scale-bring-broad-responsibility": (
        _p("Who outside your team could have been harmed, and how did you find out?",
           "Seeing second-order effects",
           "We followed the policy.",
           "Compliance, not responsibility.",
           "Name the people outside the room (users, communities, the environment), the harm, and how you found the evidence.",
           "I looked beyond what the policy required.", ("followed the policy", "legal approved it")),
        _p("What did doing the right thing cost, and was it worth it?",
           "Responsibility with trade-offs",
           "It didn't cost anything.",
           "If it cost nothing it was not a hard choice.",
           "Name the metric or revenue you gave up, why it was worth it, and how you measured the benefit.",
           "We accepted a small drop in X to protect users.", ("didn't cost anything", "no downside")),
    ),
}

# A question that fits any story for the principle; the default when the candidate gives none.
PRINCIPLE_QUESTIONS: dict[str, str] = {
    "customer-obsession": "Tell me about a time you went out of your way for a customer.",
    "ownership": "Tell me about a time you took on something outside your area of responsibility.",
    "invent-and-simplify": "Tell me about a time you found a simpler way to do something complex.",
    "are-right-a-lot": "Tell me about a time you made a good decision with incomplete information.",
    "learn-and-be-curious": "Tell me about a time you had to learn something new quickly.",
    "hire-and-develop-the-best": "Tell me about a time you helped someone on your team grow.",
    "insist-on-the-highest-standards": "Tell me about a time you refused to compromise on quality.",
    "think-big": "Tell me about a time you proposed something bigger than what was asked.",
    "bias-for-action": "Tell me about a time you acted quickly without having all the information.",
    "frugality": "Tell me about a time you achieved more with fewer resources.",
    "earn-trust": "Tell me about a time you made a mistake and had to earn back trust.",
    "dive-deep": "Tell me about a time you dug into data to find a problem others missed.",
    "have-backbone": "Tell me about a time you disagreed with your manager or a senior colleague.",
    "deliver-results": "Tell me about a time you delivered an important result despite a setback.",
    "strive-to-be-earths-best-employer": "Tell me about a time you made your team a better place to work.",
    "success-and-scale-bring-broad-responsibility": "Tell me about a time you considered the wider impact of your work beyond your customers.",
}

# section -> (coaching, common mistake), for stories that have no hand-written notes of their own.
SECTION_COACHING: dict[str, tuple[str, str]] = {
    "situation": (
        "Set the scene in two or three sentences: where you were, what was wrong, and why it mattered. Get to the problem fast.",
        "Spending a minute on architecture or company background before the problem appears.",
    ),
    "task": (
        "Say what was yours to do, where your scope ended, and what made it hard. Make the stakes explicit.",
        "Skipping the task, so the interviewer cannot tell whether the work was assigned or taken on.",
    ),
    "action": (
        "Most of your time goes here. Start each step with \"I\" and name the concrete thing you did and why.",
        "Saying \"we\" throughout, so your own contribution disappears.",
    ),
    "result": (
        "Give numbers before and after, turn them into customer or business impact, and add a second-order effect.",
        "Ending on something vague like \"it went well\" or \"the team was happy\".",
    ),
    "reflection": (
        "Say what you learned that belongs to this story, and what you do differently now. At senior level, name the systemic cause.",
        "A stock lesson such as \"communication is important\" that says nothing about this story.",
    ),
}


def generic_probes(principle: str) -> tuple[Probe, ...]:
    """The probes that fit any story for `principle` (a slug from PRINCIPLES)."""
    if principle not in PRINCIPLES:
        raise KeyError(principle)
    return GENERIC_PROBES.get(principle, ())


def probes_for(principles: tuple[str, ...] | list[str]) -> tuple[Probe, ...]:
    """Generic probes for several principles, first principle first, without repeats."""
    seen: set[str] = set()
    out: list[Probe] = []
    for principle in principles:
        for probe in generic_probes(principle):
            if probe.question not in seen:
                seen.add(probe.question)
                out.append(probe)
    return tuple(out)


def with_generic_probes(question: Question, minimum: int = 3) -> Question:
    """`question` with generic probes for its principles appended until it has at least `minimum`."""
    if len(question.probes) >= minimum:
        return question
    have = {p.question for p in question.probes}
    extra = [p for p in probes_for(question.principles) if p.question not in have]
    return dataclasses.replace(question, probes=question.probes + tuple(extra[: minimum - len(question.probes)]))
