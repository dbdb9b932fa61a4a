"""Follow-ups chosen by the gaps an answer left (analysis/followups.py), said with the candidate's own
words, and each reply judged against its gap, moving the verdict. Real scoring of written answers; the
spoken flow is judged in test_practice_e2e.py."""

from __future__ import annotations

import json
from pathlib import Path

from mockinterview.analysis.followups import choose_followups, default_limit, judge_reply
from mockinterview.analysis.score import score_answer
from mockinterview.analysis.verdicts import OWNERSHIP_GAPS, Gap, HireVerdict
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.testing import transcript_from_sentences

FIXTURES = Path(__file__).resolve().parents[1] / "audio_fixtures"
SEED = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")
STRONG = [s["text"] for s in json.loads((FIXTURES / "strong_answer.truth.json").read_text())["sentences"]]
WE_ANSWER = [
    "Last year at a payments company our webhooks kept failing for some merchants.",
    "We looked at the dashboards together and we traced it to the retries.",
    "We wrote a fix and the Platform team merged it.",
    "After that things got better and everyone was happy.",
    "I learned that teamwork matters.",
]
# an own story to the same question: nothing of the model answer's webhooks, Platform team or alerts
HOTEL = [
    "At a travel startup I saw that guests who booked late at night often lost their room to a double booking.",
    "It was not my team's area and nobody had asked me, but I decided to look into it.",
    "We checked the booking logs and we found that two partners updated the same room at once.",
    "Things got better after the change.",
]


def _score(sentences, **kw):
    return score_answer(SEED, transcript_from_sentences(sentences, wpm=150), **kw)


def _words(text: str) -> int:
    return len(text.split())


def test_a_we_answer_is_asked_what_the_candidate_did_quoting_its_own_we_clause():
    report = _score(WE_ANSWER)
    chosen = choose_followups(SEED, report, limit=3)
    first = chosen[0]
    assert first.gap in OWNERSHIP_GAPS
    assert first.asked.startswith('You said "') and first.quote.lower().startswith("we ")
    assert first.quote in " ".join(WE_ANSWER)  # the candidate's own words, not the model story's
    assert all(_words(f.asked) <= 25 for f in chosen)  # under 10 s to say at 150 wpm
    assert Gap.NO_METRIC in {f.gap for f in chosen}


def test_a_complete_strong_answer_is_not_asked_about_what_it_showed():
    report = _score(STRONG)
    assert report.verdict == HireVerdict.HIRE and report.gaps == ()
    chosen = choose_followups(SEED, report, limit=4)
    assert len(chosen) <= 1 and all(f.gap is None for f in chosen)
    assert not any(f.asked == SEED.probes[-1].question for f in chosen)  # it gave its reflection


def test_an_own_story_gets_probes_about_its_own_story():
    report = _score(HOTEL, own_story=True)
    chosen = choose_followups(SEED, report, limit=4, own_story=True)
    assert chosen
    for f in chosen:
        assert f.probe is None
        assert not any(w in f.asked.lower() for w in ("platform", "webhook", "dead letter", "retry"))


def test_the_cap_and_the_default_by_level():
    report = _score(WE_ANSWER)
    assert len(choose_followups(SEED, report, limit=1)) == 1
    assert choose_followups(SEED, report, limit=0) == ()
    assert (default_limit("sde1"), default_limit("sde2"), default_limit("senior")) == (2, 3, 4)


def test_a_reply_that_supplies_what_was_missing_closes_the_gap_and_moves_the_verdict():
    # the strong answer with its Result told without a number: a gap the metric reply closes
    unmeasured = [t for t in STRONG if not any(c.isdigit() for c in t)] + ["After the rollout the failures stopped."]
    report = _score(unmeasured)
    assert report.verdict == HireVerdict.NO_HIRE and Gap.NO_METRIC in report.gaps
    followup = next(f for f in choose_followups(SEED, report, limit=4) if f.gap == Gap.NO_METRIC)
    reply = judge_reply(followup, SEED, transcript_from_sentences(
        ["The failure rate went from 0.3% to zero, about $8,000 a week."]))
    assert reply.closed is True and reply.gap == Gap.NO_METRIC
    after = _score(unmeasured, probe_findings=(reply,))
    assert after.verdict == HireVerdict.HIRE and Gap.NO_METRIC not in after.gaps
    assert "The result has no numbers (supplied when asked)." == after.despite
    silent = judge_reply(followup, SEED, transcript_from_sentences(["It was a lot better, everyone noticed."]))
    assert silent.closed is False
    assert _score(unmeasured, probe_findings=(silent,)).verdict == HireVerdict.NO_HIRE


def test_a_first_person_reply_closes_an_ownership_gap():
    report = _score(WE_ANSWER)
    ownership = next(f for f in choose_followups(SEED, report, limit=4) if f.gap in OWNERSHIP_GAPS)
    mine = judge_reply(ownership, SEED, transcript_from_sentences(
        ["I pulled the logs myself, I traced the race and I wrote the fix."]))
    assert mine.closed is True
    assert ownership.gap not in _score(WE_ANSWER, probe_findings=(mine,)).gaps


def test_they_handled_it_confirms_the_hand_off():
    report = _score(WE_ANSWER)
    ownership = next(f for f in choose_followups(SEED, report, limit=4) if f.gap in OWNERSHIP_GAPS)
    reply = judge_reply(ownership, SEED, transcript_from_sentences(
        ["Honestly I sent them a Slack message and they handled it."]))
    assert reply.closed is False and reply.markers
    after = _score(WE_ANSWER, probe_findings=(reply,))
    assert after.verdict == HireVerdict.NO_HIRE and ownership.gap in after.gaps
