"""The verdict on content (analysis/verdict.py): what was done, owned and measured decides, seconds are
pacing advice unless extreme; reasons on the verdict's side with the other side apart; advice only where
a finding calls for it; a Situation found in an opening without a cue word. Real scoring of written
answers (tests/test_kernels.py and test_meaning.py judge spoken ones)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockinterview.analysis.score import score_answer
from mockinterview.analysis.verdicts import HireVerdict, SectionVerdict
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.testing import transcript_from_sentences

FIXTURES = Path(__file__).resolve().parents[1] / "audio_fixtures"
SEED = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")
STRONG = [s["text"] for s in json.loads((FIXTURES / "strong_answer.truth.json").read_text())["sentences"]]
# Written for this test, outside the bank's wording: an opening with no cue word, the same story.
RETOLD = [
    "A couple of years back I was on the mobile team at a food-delivery company, and our order webhooks to restaurants failed now and then.",
    "Roughly three in a thousand callbacks never arrived, and restaurants missed orders because of it.",
    "The webhook service was owned by the Platform group, not us, and nobody had asked me to look at it, but I decided to dig in.",
    "I pulled a week of delivery logs and grouped the failures by endpoint.",
    "I traced it to a race in the retry code, I reproduced it on my laptop, and I wrote a small fix.",
    "I added an alert on the dead letter queue and I sent the Platform team a ready pull request.",
    "Failures went from 0.3% to zero, which finance put at about $8,000 a week in recovered orders.",
    "The Platform team made my alert part of their webhook template.",
    "What I took from it is that no team owned cross-team reliability, so now I push for a shared SLO early.",
]


@pytest.mark.parametrize("wpm", [130, 170, 200])
def test_the_seed_s_strong_answer_leans_hire_at_any_pace(wpm):
    report = score_answer(SEED, transcript_from_sentences(STRONG, wpm=wpm))
    assert report.verdict == HireVerdict.HIRE, report.reasons
    assert not any("s of" in r and "Action" in r for r in report.reasons)  # no timing reason against it


@pytest.mark.parametrize("wpm", [130, 170, 200])
def test_an_opening_without_a_cue_word_is_the_situation(wpm):
    report = score_answer(SEED, transcript_from_sentences(RETOLD, wpm=wpm))
    situation = report.section("situation")
    assert situation.verdict != SectionVerdict.MISSING and situation.text.startswith("A couple of years back")
    assert not any("Missing" in r for r in report.reasons)


def test_a_retold_answer_at_normal_pace_leans_hire_with_reasons_on_its_side():
    report = score_answer(SEED, transcript_from_sentences(RETOLD, wpm=130))
    assert report.verdict == HireVerdict.HIRE, report.reasons
    assert report.reasons and all("No " not in r and "Hands" not in r for r in report.reasons)


def test_the_weak_answer_leans_no_hire_and_shows_its_strength_apart():
    report = score_answer(SEED, transcript_from_sentences([
        "At my last company I noticed the webhook failures on a dashboard.",
        "It wasn't my team's service, so I escalated the issue by sending a Slack message to the Platform team.",
        "They took ownership and handled the fix.",
        "After that, the failure rate improved somewhat, but I did not follow up further.",
        "I learned that communication matters.",
    ], wpm=150))
    assert report.verdict == HireVerdict.NO_HIRE
    assert not any(r.startswith("States") or r.startswith("Owns") for r in report.reasons)
    assert report.despite.startswith("States the scope boundary")
    assert any("red flags" in r or "Hands the work" in r for r in report.reasons)


def test_advice_only_where_a_finding_calls_for_it():
    report = score_answer(SEED, transcript_from_sentences(STRONG, wpm=190))
    for s in report.sections:
        if s.verdict == SectionVerdict.ON_TARGET and not s.phrases_missed:
            assert s.advice == (), (s.name, s.advice)
        if s.verdict == SectionVerdict.UNDER:
            assert any("say more of" in a for a in s.advice), (s.name, s.advice)
            assert not any("get to the problem fast" in a for a in s.advice)  # that is advice for an over-long one


def test_a_thin_action_is_judged_by_what_was_done_not_its_seconds():
    thin = score_answer(SEED, transcript_from_sentences([
        "At my payments company I noticed webhook failures, and it wasn't my team's service.",
        "Nobody had asked me, but I decided to act.",
        "I looked into the situation for several weeks and thought about it a lot with many people in many meetings.",
        "The failure rate went from 0.3% to zero and saved $8,000 a week.",
        "I learned to push for a shared SLO early.",
    ], wpm=150))
    assert any(r.startswith("Thin Action") for r in thin.reasons), thin.reasons
    assert thin.verdict == HireVerdict.NO_HIRE
