"""The built-in question bank: every file is complete, consistent with its own example story, and
(slow) survives the spoken round trip: espeak-ng reads the example, Whisper transcribes it, the scorer
finds the sections on target and the strong phrases said."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockinterview.bank import PRINCIPLES, STAR_ORDER, lint, load_bank, load_file
from mockinterview.bank.generic import GENERIC_PROBES, PRINCIPLE_QUESTIONS, probes_for, with_generic_probes

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = ROOT / "prompts"
FILES = sorted(BUILTIN.rglob("*.toml"))
SEED = BUILTIN / "amazon" / "anticipate-customer-need.toml"
WORDS_PER_S = 150 / 60  # a comfortable speaking rate
TOLERANCE = 0.25
# The seed carries the source walkthrough's targets and phrases verbatim; its example is about half
# as long as its targets and its phrases paraphrase the example, so it is held to neither check.
SEED_XFAIL = pytest.mark.xfail(strict=True, reason="seed keeps the source walkthrough's targets and phrases verbatim")


def _params(files=FILES, seed_xfail=True):
    return [pytest.param(f, id=f.stem, marks=[SEED_XFAIL] if f == SEED and seed_xfail else []) for f in files]


def normalized(text: str) -> str:
    """Lower case, punctuation to spaces (keeping $ % and apostrophes), single spaces, padded."""
    text = text.lower().replace("\u2019", "'")
    return " " + " ".join(re.sub(r"[^a-z0-9%$' ]+", " ", text).split()) + " "


_SMALL = 20


def _int_words(n: int) -> int:
    if n < _SMALL:
        return 1
    if n < 100:
        return 1 if n % 10 == 0 else 2
    if n < 1000:
        return 2 + (_int_words(n % 100) if n % 100 else 0)
    for size in (10**9, 10**6, 10**3):
        if n >= size:
            rest = n % size
            return _int_words(n // size) + 1 + (_int_words(rest) if rest else 0)
    return 1


def spoken_words(text: str) -> int:
    """Words as spoken: "$56,000" is three ("fifty six thousand dollars" counts four), "99.5%" five."""
    count = 0
    for token in text.split():
        digits = re.sub(r"[^\d.]", "", token).strip(".")
        if not re.search(r"\d", token) or not digits:
            count += 1 if re.search(r"[A-Za-z]", token) else 0
            continue
        whole, _, fraction = digits.partition(".")
        count += _int_words(int(whole or 0)) + (1 + len(fraction) if fraction else 0)
        count += ("$" in token) + ("%" in token)
        count += 1 if re.search(r"\d[a-z]", token) else 0  # "2am", "3x"
    return count


def example_story(question) -> dict[str, str]:
    """Section -> what the example story says there (the sde2 reflection if the section has no example)."""
    return {s.name: s.strong_example or (question.reflections.get("sde2", "") if s.name == "reflection" else "") for s in question.sections}


@pytest.mark.parametrize("path", _params(FILES, seed_xfail=False))
def test_file_loads_and_lints(path):
    question = load_file(path)
    assert lint([path]) == []
    assert [s.name for s in question.sections] == list(STAR_ORDER)


def test_ids_are_unique_and_the_bank_loads_cleanly():
    bank = load_bank([BUILTIN])
    assert bank.problems == ()
    assert len(bank.ids) == len(set(bank.ids)) == len(FILES)


def test_every_principle_has_its_own_question():
    bank = load_bank([BUILTIN])
    leading = {q.principles[0] for q in bank.questions if q.source_path != str(SEED)}
    assert set(PRINCIPLES) - leading == set()


@pytest.mark.parametrize("path", _params([f for f in FILES if f != SEED]))
def test_question_is_complete(path):
    q = load_file(path)
    story = example_story(q)
    assert all(story[name].strip() for name in STAR_ORDER), "every section needs an example"
    assert all(2 <= len(s.strong_phrases) <= 7 for s in q.sections)
    assert len(q.probes) >= 2
    assert all(p.key_phrase and p.weak_markers for p in q.probes)
    assert q.weak_answer is not None and q.weak_answer.red_flags and q.weak_answer.flags
    assert len(q.quiz) >= 2 and all(len(item.options) >= 3 for item in q.quiz)
    assert [g.id for g in q.levels] == ["sde1", "sde2", "senior"]
    assert q.terms
    assert q.question.endswith(("?", "."))


@pytest.mark.parametrize("path", _params(seed_xfail=False))
def test_every_strong_phrase_has_a_claim_sentence(path):
    q = load_file(path)
    for s in q.sections:
        assert len(s.claims) == len(s.strong_phrases), s.name
        for phrase, claim in zip(s.strong_phrases, s.claims):
            assert (claim[:1].isupper() or claim[:1].isdigit()) and claim.endswith("."), (phrase, claim)
            figures = re.findall(r"\$?\d[\d,.]*%?", phrase)
            assert all(f in claim for f in figures), (phrase, claim)  # a claim keeps its phrase's figures
            assert 3 <= len(claim.split()) <= 20, (phrase, claim)  # a short sentence, not a fragment
            assert s.claim_of(phrase) == claim


@pytest.mark.parametrize("path", _params())
def test_strong_phrases_are_said_in_their_section_example(path):
    q = load_file(path)
    story = example_story(q)
    missing = [
        f"{s.name}: {phrase!r}"
        for s in q.sections
        for phrase in s.strong_phrases
        if normalized(phrase) not in normalized(story[s.name])
    ]
    assert missing == []


@pytest.mark.parametrize("path", _params())
def test_example_story_length_matches_section_targets(path):
    q = load_file(path)
    story = example_story(q)
    off = {}
    for s in q.sections:
        estimate_s = spoken_words(story[s.name]) / WORDS_PER_S
        if abs(estimate_s - s.target_s) > TOLERANCE * s.target_s:
            off[s.name] = (round(estimate_s, 1), s.target_s)
    assert off == {}, "estimated seconds at 150 WPM vs target"


def test_spoken_word_estimate():
    assert spoken_words("I cut it by 40%") == 6  # forty percent
    assert spoken_words("saving $4,000 a month") == 6  # four thousand dollars
    assert spoken_words("from 99.5% to 97%") == 10  # ninety nine point five percent / ninety seven percent
    assert spoken_words("- dash - only") == 2


def test_generic_probes_cover_every_principle():
    assert set(GENERIC_PROBES) == set(PRINCIPLES) == set(PRINCIPLE_QUESTIONS)
    for principle, probes in GENERIC_PROBES.items():
        assert len(probes) >= 2, principle
        for probe in probes:
            assert probe.question.endswith("?") and probe.key_phrase and probe.weak_markers and probe.strong_answer


@pytest.mark.parametrize("path", _params([f for f in FILES if f != SEED]))
def test_generic_probes_top_up_builtin_questions(path):
    q = load_file(path)
    topped = with_generic_probes(q, minimum=3)
    assert len(topped.probes) >= 3
    assert topped.probes[: len(q.probes)] == q.probes
    assert len({p.question for p in topped.probes}) == len(topped.probes)
    assert set(topped.probes[len(q.probes):]) <= set(probes_for(q.principles))


# ---- the spoken round trip ----

TTS_RATE_WPM = 140  # espeak-ng's rate scale runs fast: 140 comes out near 150 spoken words a minute
# Each story is judged on what one decode gets right whatever Whisper mishears at a window edge (a
# garbled clause moves a section boundary by up to a few seconds and can cost a phrase); the bank as a
# whole is held to the tight figures.
STORY_RECALL = 0.85
BOUNDARY_SLACK_S = 3.0
BANK_RECALL = 0.93
BANK_ON_TARGET = 0.95


@pytest.fixture(scope="module")
def round_trip(transcript_of):
    """path -> (question, report): espeak-ng reads the example story, the real model transcribes it
    (repeatably: tests/conftest_asr.py) and the scorer scores it, once per story."""
    from mockinterview.analysis.score import score_answer
    from mockinterview.audio.tts import synthesize

    done: dict[Path, tuple] = {}

    def get(path: Path):
        if path not in done:
            q = load_file(path)
            story = example_story(q)
            clip = synthesize(" ".join(story[name] for name in STAR_ORDER), rate_wpm=TTS_RATE_WPM)
            done[path] = (q, score_answer(q, transcript_of(clip, q.terms)))
        return done[path]

    return get


def _missed(report) -> list[str]:
    return [f"{s.name}: {p}" for s in report.sections for p in s.phrases_missed]


@pytest.mark.slow
@pytest.mark.parametrize("path", _params())
def test_example_story_spoken_round_trip(path, round_trip):
    q, report = round_trip(path)
    timing = {s.name: (s.verdict, s.duration_s, s.target_s, s.tolerance_s) for s in report.sections}
    assert all(v[0] != "missing" for v in timing.values()), timing
    assert all(abs(d - t) <= tol + BOUNDARY_SLACK_S for _, d, t, tol in timing.values()), timing
    phrases = [p for s in q.sections for p in s.strong_phrases]
    assert len(_missed(report)) <= (1 - STORY_RECALL) * len(phrases), _missed(report)


@pytest.mark.slow
def test_the_bank_read_aloud_lands_on_target_with_its_phrases(round_trip):
    """Over every story but the seed (whose text is the walkthrough's, verbatim, not fitted to its
    targets): nearly every section on target and nearly every strong phrase heard."""
    sections = on_target = phrases = missed = 0
    for path in (f for f in FILES if f != SEED):
        q, report = round_trip(path)
        sections += len(report.sections)
        on_target += sum(s.verdict == "on_target" for s in report.sections)
        phrases += sum(len(s.strong_phrases) for s in q.sections)
        missed += len(_missed(report))
    assert on_target >= BANK_ON_TARGET * sections, (on_target, sections)
    assert phrases - missed >= BANK_RECALL * phrases, (phrases - missed, phrases)
