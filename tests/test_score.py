"""The whole score report: from a hand-made transcript (exact values) and from the real model on the
spoken fixtures (compared with their truth files), plus the `score` command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from mockinterview.testing import transcript_from_sentences
from mockinterview.analysis import ScoreReport, score_answer, score_probe
from mockinterview.bank import BUILTIN_DIR, load_bank
from mockinterview.errors import NoSpeechError
from mockinterview.report import json as report_json
from mockinterview.report import markdown, text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"
QUESTION = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")

SHORT = [
    "At a payments company I noticed that webhook calls were failing.",
    "It was not my team and nobody had asked, but I decided to act.",
    "We pulled the logs, and I reproduced the race locally.",
    "I wrote a fix and I added an alert.",
    "Failures dropped from 0.3% to zero, about $8 ,000 recovered weekly.",
    "I learned that a shared webhook SLO would have caught it.",
]


@pytest.fixture(scope="module")
def short_report() -> ScoreReport:
    return score_answer(QUESTION, transcript_from_sentences(SHORT), level="sde1", angle="ownership")


def test_sections_phrases_and_times(short_report):
    r = short_report
    assert [s.name for s in r.sections] == ["situation", "task", "action", "result", "reflection"]
    by = {s.name: s for s in r.sections}
    assert by["situation"].phrases_hit == ("I noticed",)
    assert by["task"].phrases_hit == ("not my team", "nobody had asked", "I decided to act")
    assert by["action"].phrases_hit == ("I reproduced", "I wrote", "I added")
    assert [h.said for h in by["action"].handoffs] == ["we pulled"]
    assert by["result"].phrases_hit == ("0.3% to zero", "$8,000 recovered weekly")
    assert by["reflection"].phrases_hit == ("shared webhook SLO",)
    # every section starts at the first word of its sentence: 0.5 s lead-in, 0.4 s a word, 0.5 s pauses
    starts = [s.start_s for s in r.sections]
    assert starts == [0.5, 5.4, 11.5, 20.1, 25.0]
    assert all(s.verdict == "under" for s in r.sections)  # a 29-second answer
    assert r.total_verdict == "under" and r.verdict == "Leaning no hire"  # "we pulled" is a hand-off
    assert r.result_has_numbers and r.result_numbers == ("0.3%", "0", "$8,000")
    assert r.pronouns == {"i": 6, "we": 1}
    assert r.we_sentences == ("We pulled the logs, and I reproduced the race locally.",)
    assert [a.phrase for a in r.angle_findings if a.early] == ["not my team", "nobody had asked", "I decided to act"]


def test_report_words_are_tagged_for_highlighting(short_report):
    tags = {w.text: w.tags for w in short_report.words}
    assert "we" in tags["We"] and "handoff" in tags["We"] and "phrase" in tags["reproduced"]
    assert {w.section for w in short_report.words} == {"situation", "task", "action", "result", "reflection"}


def test_misplaced_phrase_counts_but_is_flagged():
    r = score_answer(QUESTION, transcript_from_sentences([
        "I noticed webhook failures at my company, and I decided to act.",
        "I pulled the logs and I traced the bug to a race in the retries.",
        "The failure rate went from 0.3% to zero.",
    ]))
    task = r.section("task")
    assert "I decided to act" in task.phrases_hit
    hit = next(h for h in task.hits if h.phrase == "I decided to act")
    assert hit.misplaced and hit.section == "situation"


def test_far_too_long_situation_gets_the_common_mistake():
    architecture = [f"Service number {n} talked to the gateway over HTTP and stored its state in Postgres." for n in range(1, 13)]
    r = score_answer(QUESTION, transcript_from_sentences([*architecture, *SHORT], wpm=140))
    situation = r.section("situation")
    assert situation.verdict == "over" and situation.duration_s >= 2 * situation.target_s
    assert any(QUESTION.section("situation").common_mistake in a for a in situation.advice)


def test_weak_answer_red_flags_and_verdict():
    r = score_answer(QUESTION, transcript_from_sentences([
        "We saw webhook failures at my last company.",
        "I sent them a Slack message and they handled it.",
        "After that the failure rate improved somewhat and the team was happy.",
    ]))
    assert [f.phrase for f in r.red_flags] == ["sent them a Slack message", "they handled it", "improved somewhat", "team was happy"]
    assert r.verdict == "Leaning no hire" and len(r.reasons) == 3
    assert not r.result_has_numbers


def test_silence_raises_no_speech():
    with pytest.raises(NoSpeechError):
        score_answer(QUESTION, transcript_from_sentences([]))


def test_json_has_the_documented_fields_and_round_trips(short_report):
    data = json.loads(report_json.render(short_report))
    for key in ("schema_version", "question_id", "duration_s", "wpm", "fillers", "pronouns", "sections"):
        assert key in data
    assert set(data["pronouns"]) == {"i", "we"}
    for s in data["sections"]:
        for key in ("name", "start_s", "end_s", "target_s", "verdict", "wpm", "phrases_hit", "phrases_missed", "text"):
            assert key in s
    assert report_json.parse(report_json.render(short_report)) == short_report
    assert ScoreReport.from_dict(short_report.to_dict()) == short_report


EXPECTED_TEXT = """\
anticipate-customer-need · sde1
Spoken 0:29 against 1:30-2:00: under
Leaning no hire because:
  • Far too short: 29 s against a 120 s target leaves no room for the story.
  • Hands the work to others: 'we pulled'.
    Despite: States the scope boundary ('not my team', 'nobody had asked').

section     start  spoken  target  verdict  wpm  phrases
Situation    0:00   4.4 s  20.6 s  under    151      1/4
Task         0:05   5.6 s  13.7 s  under    151      3/4
Action       0:12   8.1 s  61.7 s  under    141      3/7
Result       0:20   4.4 s  13.7 s  under    206      2/4
Reflection   0:25   4.4 s  10.3 s  under    151      1/4
"""


def test_text_report_at_80_columns(short_report):
    console = Console(file=io.StringIO(), width=80)
    text.render(short_report, console)
    lines = [line.rstrip() for line in console.file.getvalue().splitlines()]
    assert max(len(line) for line in lines) <= 80
    print("\n".join(lines))
    assert "\n".join(lines[: EXPECTED_TEXT.count("\n")]) + "\n" == EXPECTED_TEXT


def test_markdown_report(short_report):
    md = markdown.render(short_report)
    assert md.startswith("# anticipate-customer-need (sde1)\n")
    assert "| Action | 0:12 | 8.1 s | 61.7 s | under | 141 | 3/7 |" in md
    assert '- ! "we pulled" at 0:12: not "I pulled"' in md


def test_probe_replies():
    probe = QUESTION.probes[0]
    strong = score_probe(probe, transcript_from_sentences(["I told their lead, but I brought a complete fix with a ready to merge PR."]))
    weak = score_probe(probe, transcript_from_sentences(["I sent them a Slack message and they handled it."]))
    assert strong.key_phrase_said and strong.verdict == "strong"
    assert not weak.key_phrase_said and weak.verdict == "weak"
    assert [m.phrase for m in weak.markers] == ["sent them a Slack message", "they handled it"]


# ---------------------------------------------------------------------------------------------- real model


def fixture_transcript(transcript_of, stem: str):
    return transcript_of(FIXTURES / f"{stem}.flac", QUESTION.terms)


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["strong_answer", "second_voice_answer", "noisy_answer", "skip_reflection", "weak_we_answer"])
def test_spoken_fixture_against_its_truth(transcript_of, stem):
    from mockinterview.analysis.pacing import speech_onsets
    from mockinterview.audio.file import read_audio

    truth = json.loads((FIXTURES / f"{stem}.truth.json").read_text())
    clip = read_audio(FIXTURES / f"{stem}.flac")
    onsets = speech_onsets(clip.samples, clip.sample_rate_hz)
    report = score_answer(QUESTION, fixture_transcript(transcript_of, stem), speech_onsets_s=onsets)
    credited = {p for s in report.sections for p in s.phrases_hit}
    # precision: what was not said is never credited (the "no ticket"/"no tickets" rule aside)
    wrongly = credited & set(truth["phrases_not_said"]) - {"no ticket", "no tickets"}
    assert not wrongly
    said = set(truth["phrases_said"])
    # Per answer, recall moves with Whisper's sampling fallback (0.74-0.91 seen on the fast second
    # voice); the aggregate target (>= 0.92) is measured by bench/accuracy.py over all fixtures.
    assert len(credited & said) >= 0.7 * len(said)
    truth_sections = {s["name"]: s for s in truth["sections"]}
    errors = []
    for s in report.sections:
        if s.name not in truth_sections:
            assert s.verdict == "missing"
            continue
        t = truth_sections[s.name]
        errors += [abs(s.start_s - t["start_s"]), abs(s.end_s - t["end_s"])]
    # one sentence Whisper punctuates wrongly can move a boundary by a sentence; on average it is close.
    # Whisper's fallback decoding samples, so a transcript varies a little from run to run.
    assert sum(errors) / len(errors) <= 1.0 and max(errors) <= 5.0
    from mockinterview.analysis.spoken import spoken_words

    spoken = sum(spoken_words(w) for w in truth["text"].replace("{", "").replace("}", "").split())  # "$8,000" = 3
    ref_wpm = spoken / (truth["sentences"][-1]["end_s"] - truth["sentences"][0]["start_s"]) * 60
    assert abs(report.wpm - ref_wpm) / ref_wpm <= 0.08


@pytest.mark.slow
def test_filler_fixture(transcript_of):
    truth = json.loads((FIXTURES / "filler_answer.truth.json").read_text())
    report = score_answer(QUESTION, fixture_transcript(transcript_of, "filler_answer"))
    assert report.fillers.get("like", 0) == truth["fillers"]["like"]  # three "like"s are verbs
    got = sum(report.fillers.values())
    assert 0.85 * sum(truth["fillers"].values()) <= got <= sum(truth["fillers"].values())


@pytest.mark.slow
def test_score_command_json_and_silence():
    from conftest import run_cli

    done = run_cli("score", "anticipate-customer-need", str(FIXTURES / "skip_reflection.flac"), "--format", "json", "--level", "sde1")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["question_id"] == "anticipate-customer-need" and data["level"] == "sde1"
    assert [s["name"] for s in data["sections"]] == ["situation", "task", "action", "result", "reflection"]
    assert data["sections"][-1]["verdict"] == "missing" and data["sections"][-1]["end_s"] is None
    silent = run_cli("score", "anticipate-customer-need", str(FIXTURES / "silence.flac"))
    assert silent.returncode == 3 and "no speech was heard" in silent.stderr
    unknown = run_cli("score", "anticipate-custmer-need", str(FIXTURES / "silence.flac"))
    assert unknown.returncode == 1 and "anticipate-customer-need" in unknown.stderr


def test_result_figures_that_are_not_plain_numbers():
    """Whisper writes "zero" as "0th" now and then (the second voice's result, once). An ordinal is no
    figure; a figure with letters in it ("5xx") is shown as said; neither may stop the report."""
    sentences = SHORT[:4] + ["Failures dropped 10x to 0th, no 5xx left, about $8 ,000 recovered weekly."] + SHORT[5:]
    r = score_answer(QUESTION, transcript_from_sentences(sentences))
    assert r.result_numbers == ("10", "5xx", "$8,000")


_ODD_WORDS = ["0th", "3rd", "1.2.3", "5xx", "1990s", "$8", ",000", ".3", "%", "$", "0.3%", "10x", "24/7", "-5",
              "1e5", "½", "I", "we", "um", "result", "so", "percent", "dollars", "zero", "point", "three", "k"]


@given(st.lists(st.lists(st.sampled_from(_ODD_WORDS) | st.text(min_size=1, max_size=6), min_size=1, max_size=12),
                min_size=1, max_size=8))
@settings(max_examples=150, deadline=None)
def test_any_words_whisper_writes_give_a_report(sentences):
    """Whatever Whisper writes (ordinals, versions, split numbers, stray symbols), scoring gives a report
    or says nobody spoke; it never fails on a word."""
    try:
        report = score_answer(QUESTION, transcript_from_sentences([" ".join(s) + "." for s in sentences]))
    except NoSpeechError:
        return
    text.render(report, Console(file=io.StringIO(), width=100))
    markdown.render(report)
    assert report_json.parse(report_json.render(report)) == report
