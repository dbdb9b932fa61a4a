"""The frame a sentence puts around a claim, read from the real parser; and crediting that uses it."""

from __future__ import annotations

import pytest

from mockinterview.analysis.credit.reading import Frame, Reading, read, read_claim, reframed, undoes
from mockinterview.analysis.credit.subject import implied_subject, speaker_in_subject
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.testing import credit_text

BANK = load_bank([BUILTIN_DIR])


def frame(sentence: str, words: str):
    at = sentence.index(words)
    return read(sentence, at, at + len(words))


@pytest.mark.parametrize("sentence, words, expected", [
    ("I asked the platform team to build a check", "build a check", Frame.REQUEST),
    ("I passed the data to the firmware team to write up and fix", "write up", Frame.REQUEST),
    ("I was going to write a fix but ran out of time", "write a fix", Frame.PLAN),
    ("I was thinking about acting on it at some point", "acting on it", Frame.HEDGE),
    ("a colleague mentioned that some webhooks were failing", "some webhooks were failing", Frame.HEARSAY),
    ("I was told night pages went down", "night pages went down", Frame.HEARSAY),
    ("I think I may have looked at some logs", "looked at some logs", Frame.HEDGE),
    ("it might have had an owner, I never found out", "it might have had an owner, I never found out", Frame.HEDGE),
    ("not sure if there was a ticket, or whose team it even was", "there was a ticket", Frame.HEDGE),
    ("someone should solve it for every team eventually", "solve it for every team", Frame.HEDGE),
    ("I heard the model did better and maybe the units were wrong", "the units were wrong", Frame.HEDGE),
    ("I sorted the alerts and suggested the team write runbooks someday", "write runbooks", Frame.PLAN),
    ("I held off on rolling back anything that day", "rolling back", Frame.ABSTENTION),
    ("I failed to reproduce it locally", "reproduce it", Frame.ABSTENTION),
    ("I put off writing the runbook for weeks", "writing the runbook", Frame.ABSTENTION),
    ("I left the undo plan to the search team", "the undo plan", Frame.REQUEST),
    ("I left the undo plan and the root cause to the search team", "the undo plan", Frame.REQUEST),
    ("I would set up a weekly office hour if I did it again", "set up a weekly office hour", Frame.COUNTERFACTUAL),
    ("I'll pull the delivery logs after the launch", "pull the delivery logs", Frame.FUTURE),
    ("cleaning up the dashboards was on my plate for next quarter", "cleaning up the dashboards", Frame.FUTURE),
    ("an audit of the old buckets is in the backlog", "an audit of the old buckets", Frame.FUTURE),
    ("rewriting the importer is a someday job", "rewriting the importer", Frame.FUTURE),
    # the parse reads what claims.UNDONE, a regex list, used to: spaCy's small pipeline lemmatizes "hoped" as "hop"
    ("I hoped to automate it eventually", "automate it", Frame.PLAN),
    ("I was hoping to write the runbook", "write the runbook", Frame.PLAN),
    ("I considered proposing a smaller limit", "proposing a smaller limit", Frame.PLAN),
    ("I had a plan to automate the release", "automate the release", Frame.PLAN),
    ("I ran out of time to write the fix", "write the fix", Frame.ABSTENTION),
    # asked, wished, avoided, decided against, stopped short of, missed: not done
    ("did I apologise to the schools? No, my manager did that", "apologise to the schools", Frame.QUESTION),
    ("I wish I had run a pilot first", "run a pilot", Frame.COUNTERFACTUAL),
    ("I avoided adding an alert because the on-call folks were overloaded", "adding an alert", Frame.ABSTENTION),
    ("I decided against taking it over", "taking it over", Frame.ABSTENTION),
    ("I stopped short of posting in the search channel", "posting in the search channel", Frame.ABSTENTION),
    ("we missed the promised date by a week", "the promised date", Frame.ABSTENTION),
])
def test_words_inside_a_hedge_plan_report_or_request_are_framed(sentence, words, expected):
    assert expected in frame(sentence, words).frames


@pytest.mark.parametrize("sentence, words", [
    ("I rolled back the model in the six affected cities only.", "rolled back"),
    ("I asked my manager for half an hour and brought data", "brought data"),
    ("I didn't find the cause at first, but I rolled back", "I rolled back"),
    ("nobody ever asked me to look at it, but I figured, you know, I'd just go and fix it myself", "I'd just go and fix it myself"),
    ("I could see the failures in the logs", "I could see the failures"),
    ("I held a review with the support team the next day", "held a review"),
    ("Next, I pulled the delivery logs", "pulled the delivery logs"),
    # a denied conjecture is a certainty, with or without the comma Whisper may drop
    ("To be sure I was not guessing I reproduced it on a test server", "reproduced it on a test server"),
    ("I'm not assuming, I measured the queue myself", "measured the queue myself"),
    ("later that month I rewrote the importer", "rewrote the importer"),
    ("I put the audit on the agenda for Monday and ran it", "ran it"),
    ("I hopped on a call and wrote the fix", "wrote the fix"),
    ("I offered to take this on and cut the bill", "take this on"),  # offering to take it on is volunteering
    ("why did I roll back? Because the errors doubled", "roll back"),  # a wh-question presupposes the act
])
def test_plain_assertions_are_not_framed(sentence, words):
    reading = frame(sentence, words)
    assert reading.frames == frozenset() and not reading.negated


def test_a_place_for_plans_frames_a_clause_not_a_noun_it_holds():
    # the seed's own Task: the backlog held no ticket, which is no plan (spoken by both neural voices)
    assert frame("There was no ticket in anyone's backlog.", "no ticket").frames == frozenset()
    assert Frame.FUTURE in frame("the fix was in the backlog", "the fix").frames


def test_polarity_is_read_on_both_sides():
    assert frame("I decided not to act on it right away", "decided not to act").negated
    assert frame("there wasn't a single unit error", "a single unit error").negated
    assert read_claim("zero unit errors", "zero unit errors").negated
    assert not read_claim("I decided to act", "so I decided to act").negated
    assert frame("I hardly listened to the support calls", "listened to the support calls").negated
    # from the words' own head: the phrase is the subject of a denied clause
    assert frame("the five steps I removed didn't matter much", "five steps I removed").negated
    assert frame("I didn't own it quickly and in public, I waited a day", "quickly and in public").negated
    # a clause spliced before another is not inside it
    assert not frame("the alert data alone was enough, I didn't need to ask anyone", "the alert data alone").negated
    assert frame("orders were nowhere near within 1% of normal", "within 1% of normal").negated
    # a negation held in a word's meaning ("blameless", "zero") is turned over by a clause that denies it
    assert frame("we held a blameless review", "a blameless review").negated
    assert not frame("we never held a blameless review", "a blameless review").negated
    # a clause describing a noun takes the denial of the noun's clause
    assert frame("find the part that does not depend on the blocker", "does not depend on the blocker").negated
    assert not frame("I didn't look for the part that does not depend on the blocker", "does not depend on the blocker").negated
    # an abstention from what the claim denies says the claim ("we avoided any downtime": never went down)
    assert undoes(Reading(frozenset(), True), Reading(frozenset({Frame.ABSTENTION}), True)) == ""
    assert undoes(Reading(frozenset(), False), Reading(frozenset({Frame.ABSTENTION}), False)) == "abstention"



def test_a_denied_clause_turns_its_negation_over_and_negations_in_one_clause_agree():
    assert not frame("it's not true that there were no alerts", "no alerts").negated
    assert frame("we didn't have no alerts at all", "no alerts").negated  # one clause: still none
    assert frame("I didn't decide to act", "act").negated  # "to act" has no subject: the same clause
    assert reframed("I decided to act", "so I decided to act", "I decided not to act", 0, 20) == "negation"
    assert reframed("no tickets", "and no alerts or tickets existed", "No one had opened a ticket.", 0, 27) == ""
    # the phrase's own frame is no objection: the model answer says it that way too
    assert reframed("I could have built", "I could have built a one-off test", "I could have built just my test", 0, 31) == ""


def _credited(question_id: str, section: str, text: str) -> set[str]:
    return {h.phrase for h in credit_text(BANK.get(question_id).section(section), text, wpm=170).hits}


@pytest.mark.parametrize("question_id, section, text, phrase", [
    ("migration-outage-owned-up", "action", "I asked the platform team to build a check for long locks.", "I built a check"),
    ("on-call-burnout-fix", "action", "I asked my manager to change the rota.", "I changed the rota"),
    ("anticipate-customer-need", "situation", "There may have been an alert about it, I really don't recall.", "no alerts"),
    ("shared-experiment-platform", "reflection", "I heard it may have paid for itself.", "paid for itself"),
    ("eta-model-rollback-call", "action", "I held off on rolling back the model that day.", "I rolled back"),
    ("anticipate-customer-need", "result", "The failure rate never reached zero, it stayed near 0.3%.", "0.3% to zero"),
    # a figure said inside a denial is denied; only a zero's negation may be the figure itself
    ("shared-experiment-platform", "situation", "It isn't the case that fifteen product teams wrote their own tools.", "15 product teams"),
    ("streaming-app-crash-bar", "situation", "Crash free sessions hadn't gone from 99.5% to 97% at all.", "from 99.5% to 97%"),
    # what is put in the future is not done
    ("anticipate-customer-need", "action", "I'll trace the failures back to the retries after the launch.", "I traced"),
    ("fitness-app-location-retention", "task", "Reducing the risk sat in the backlog for next year.", "reduce the risk"),
    # a zero whose own clause is denied is a goal missed
    ("clinical-lab-data-crash-course", "result", "We didn't get to zero unit errors, a few slipped through.", "zero unit errors"),
    ("migration-outage-owned-up", "action", "Did I apologise to the schools? No, my manager did that.", "I apologised"),
    ("migration-outage-owned-up", "action", "We never held a blameless review, it was more of a blame session.", "a blameless review"),
    ("restaurant-tablet-deadline", "result", "Orders were nowhere near within 1% of normal.", "within 1% of normal"),
])
def test_the_exact_words_inside_a_frame_earn_nothing(question_id, section, text, phrase):
    assert phrase not in _credited(question_id, section, text)


@pytest.mark.parametrize("question_id, section, text, phrase", [
    ("migration-outage-owned-up", "action", "I built a check that flags any migration locking a table for long.", "I built a check"),
    ("on-call-burnout-fix", "action", "Then I changed the rota so nobody had two weeks in a row.", "I changed the rota"),
    ("anticipate-customer-need", "situation", "No alert fired and nobody had filed anything.", "no alerts"),
    ("clinical-lab-data-crash-course", "result", "We had zero unit errors after launch.", "zero unit errors"),
])
def test_the_same_words_asserted_are_credited(question_id, section, text, phrase):
    assert phrase in _credited(question_id, section, text)


@pytest.mark.parametrize("phrase, clause, mine", [
    ("85% full", "At 7 am I got an alert that the disks on our search cluster were 85% full and growing fast.", False),
    ("60% needed no action", "Then I sorted every alert from the last two months: 60% needed no action at all.", False),
    ("became trainers", "Two of the interviewers I trained later became trainers themselves.", True),
    ("the first customer", "I proposed that the hotel test be the first customer", False),
    ("it was my mistake", "It was my mistake: I had tested the migration on a small copy of the data.", False),
])
def test_the_speaker_is_the_doer_only_where_the_phrase_s_clause_says_so(phrase, clause, mine):
    assert speaker_in_subject(phrase, clause) is mine


@pytest.mark.parametrize("sentence, clause, whole, subject", [
    ("I automated the remaining steps and added a canary stage.", "added a canary", True, "I"),
    ("I rolled it back and posted in the company channel what happened", "posted in", True, "I"),
    ("We pulled the logs and traced it to the retries.", "traced it", True, "We"),
    ("My lead decided and asked me to stay.", "asked me", True, "My lead"),
    ("Wrote a runbook.", "Wrote", True, "I"),  # the terse register: the speaker's own act
    ("Added tests.", "Added", True, "I"),  # parsed as a noun phrase by the small model
    ("So, um, then wrote the fix.", "wrote", True, "I"),
    ("Wrote a runbook.", "Wrote", False, ""),  # a sentence cut by a section boundary has no opening
    ("Add tests to the repo.", "Add", True, ""),  # an imperative is not an account of what one did
    ("Took a snapshot.", "Took", True, "I"),  # tagged a base form by the small model; "I took" is past
    ("Run the tests first.", "Run", True, ""),  # "I run the tests" is not
    ("Monthly calibration.", "Monthly", True, ""),
    ("I wrote the fix.", "I wrote", True, ""),  # says its own
    ("and trained the new interviewers, and I sat on a few panels", "trained", False, ""),  # the subject is after it
])
def test_a_clause_that_names_nobody_takes_the_subject_it_shares(sentence, clause, whole, subject):
    assert implied_subject(sentence, sentence.index(clause), whole) == subject


@pytest.mark.parametrize("question_id, section, text, phrase", [
    ("one-command-release", "action", "I automated the remaining steps and added a canary stage.", "I added a canary"),
    ("migration-outage-owned-up", "action", "Built a check that flags any migration locking a table over five seconds.",
     "I built a check"),
    ("structured-interview-loop", "action", "I boiled the job down to four skills and wrote one question for each",
     "I wrote one question"),
    ("black-friday-search-disk", "action", "Took a snapshot. Posted the plan in the search channel.", "I took a snapshot"),
    # "I learned" is credited word for word, and the lesson it opens still earns its own phrase
    ("one-command-release", "reflection", "I learned to ask why each step is even there", "why each step exists"),
])
def test_an_action_said_without_its_subject_is_credited(question_id, section, text, phrase):
    assert phrase in {h.phrase for h in credit_text(BANK.get(question_id).section(section), text).hits}


@pytest.mark.parametrize("question_id, section, text, phrase", [
    ("one-command-release", "action", "We automated the remaining steps and added a canary stage.", "I added a canary"),
    ("migration-outage-owned-up", "action", "My teammate built a check that flags any migration locking a table.",
     "I built a check"),
])
def test_a_subject_restored_from_someone_else_earns_nothing(question_id, section, text, phrase):
    assert phrase not in {h.phrase for h in credit_text(BANK.get(question_id).section(section), text).hits}


@pytest.mark.parametrize("question_id, section, text, phrase, earned", [
    ("restaurant-tablet-deadline", "action", "I never called the vendor, I emailed them", "I called the vendor", False),
    ("fleet-gps-clock-drift", "action", "I didn't group the gaps by device, I looked at them all together",
     "I grouped the gaps by device", False),  # the model answer's "instead of by place" negates nothing
    # a negation about something else in the sentence takes nothing away
    ("streaming-app-crash-bar", "action", "I didn't ask the player team, I repaired the bug on my own", "I fixed it", True),
    ("cloud-bill-cut", "action", "we had no tags, so I labelled every single resource by team", "I tagged every resource", True),
    ("grocery-app-older-customers", "action", "I didn't trust the dashboards, so I listened to twenty support calls",
     "I listened", True),
    ("restaurant-tablet-deadline", "action", "email wasn't working, so I phoned the vendor directly", "I called the vendor", True),
    # the model answer negates a thing ("without hurting"): so may the candidate, but not the act itself
    ("fitness-app-location-retention", "task", "so I set about lowering the risk without breaking the features people loved",
     "reduce the risk", True),
    ("fitness-app-location-retention", "task", "honestly I didn't lower the risk much at all", "reduce the risk", False),
])
def test_a_sentence_that_denies_the_claim_earns_it_nowhere(question_id, section, text, phrase, earned):
    assert (phrase in {h.phrase for h in credit_text(BANK.get(question_id).section(section), text).hits}) == earned


@pytest.mark.parametrize("sentence, denied", [
    ("it's not true that there were no alerts", True),
    ("it isn't that nobody asked me, my lead did", True),
    ("there were no alerts", False),
    ("we didn't have no alerts at all", False),
    ("honestly nothing was paging anyone about it", False),
])
def test_a_whole_clause_judged_by_meaning_keeps_an_absence_only_when_no_clause_denies_it(sentence, denied):
    """The meaning path leaves a candidate's own negation to the claim rules, but a clause that denies the
    absence ("it's not true that ...") turns it over, whatever the similarity says."""
    why = reframed("no alerts", "there were no alerts", sentence, 0, len(sentence), polarity=False)
    assert (why == "negation") is denied


@pytest.mark.parametrize("sentence, words, negated", [
    # negative constructions (polarity.py): a prepositional "no", a degree, "no longer", a denied subject
    ("at no stage did I check the backups", "check the backups", True),
    ("in no way did we hit the target", "hit the target", True),
    ("the fix was far from finished", "finished", True),
    ("I was too tired to write the runbook that night", "write the runbook", True),
    ("the report was no longer late", "late", True),
    ("not one of the alerts fired", "the alerts fired", True),
    # the same words where nothing denies them
    ("at one stage I checked the backups", "checked the backups", False),
    ("the office was far from the station, so I drove", "so I drove", False),
    ("I wrote the runbook too, the same night", "wrote the runbook", False),
    ("one of the alerts fired at night", "the alerts fired", False),
])
def test_negative_constructions_deny_the_words_they_govern(sentence, words, negated):
    assert frame(sentence, words).negated is negated


@pytest.mark.parametrize("sentence, words, expected", [
    ("the plan was that I would migrate the tables", "migrate the tables", Frame.PLAN),
    ("the idea was to automate the release", "automate the release", Frame.PLAN),
    ("rumour was that the vendor had fixed it", "the vendor had fixed it", Frame.HEARSAY),
    ("I kept meaning to call the customer", "call the customer", Frame.PLAN),
    # however the small parser hangs them: what is told to the speaker, what was going to start, an estimate
    ("I'm told pages went from about forty-five a week to eight", "from about forty-five a week to eight",
     Frame.HEARSAY),  # parsed as "told pages" and a second verb "went"
    ("weekly office hours were going to start after the launch", "weekly office hours", Frame.PLAN),
    ("my lead reckoned two hundred customers a day", "two hundred customers a day", Frame.HEDGE),
])
def test_a_plan_or_a_story_as_the_subject_frames_its_complement(sentence, words, expected):
    assert expected in frame(sentence, words).frames


@pytest.mark.parametrize("sentence, words, expected", [
    ("The word from ops: the pages stopped at night.", "the pages stopped at night", Frame.HEARSAY),
    ("My plan back then: pull the logs and trace the failures.", "trace the failures", Frame.PLAN),
    ("What my lead heard was this: the vendor fixed it.", "the vendor fixed it", Frame.HEARSAY),
    ("According to finance, we saved eight thousand a week.", "we saved eight thousand a week", Frame.HEARSAY),
])
def test_what_announces_the_words_before_a_colon_or_attributes_them_frames_them(sentence, words, expected):
    assert expected in frame(sentence, words).frames


@pytest.mark.parametrize("sentence, words", [
    ("The fix was mine: I traced the failures to the retries.", "I traced the failures"),
    ("What I did was simple: I pulled the logs.", "I pulled the logs"),
    ("The aim: every engineer ships with one command.", "every engineer ships with one command"),
])
def test_an_announcement_that_frames_nothing_leaves_the_words_asserted(sentence, words):
    assert frame(sentence, words).frames == frozenset()


def test_a_goal_as_the_subject_states_a_task_not_a_plan():
    assert Frame.PLAN not in frame("the goal was that every team could ship safely", "every team could ship safely").frames


@pytest.mark.parametrize("sentence, candidate, denied", [
    ("we were far from done with the migration", "we were far from done with the migration", True),
    ("I was too busy to trace the failures", "I was too busy to trace the failures", True),
    ("it's not true that I traced the failures", "I traced the failures", True),  # denied from outside
    ("what fixed it was tracing the failures, nobody has to guess now", "what fixed it was tracing the failures", False),
    ("the failures were traced, so I could stop guessing", "the failures were traced, so I could stop guessing", False),
])
def test_a_whole_clause_judged_by_meaning_is_denied_by_what_the_claim_rules_cannot_see(sentence, candidate, denied):
    """The claim rules judge a candidate's own negation words; a denial only the parse sees (a negative
    construction, or a clause that denies the candidate from outside) keeps it from the claim."""
    at = sentence.index(candidate)
    why = reframed("I traced", "I traced the failures back to the retry logic", sentence, at, at + len(candidate), polarity=False)
    assert (why == "negation") is denied
