"""The question bank loader: every shipped file loads, and each kind of bad input is named precisely."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockinterview.bank import STAR_ORDER, lint, load_bank, load_file, parse_question
from mockinterview.errors import BankError, MockInterviewError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "prompts" / "amazon" / "anticipate-customer-need.toml"
ALL_FILES = sorted((ROOT / "prompts").rglob("*.toml"))


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_every_shipped_file_loads_and_lints_clean(path):
    question = load_file(path)
    assert [s.name for s in question.sections] == [n for n in STAR_ORDER if question.section(n)]
    assert lint([path]) == []


def test_seed_question_carries_the_walkthrough():
    q = load_file(SEED)
    assert q.id == "anticipate-customer-need"
    assert [(s.name, s.target_s) for s in q.sections] == [
        ("situation", 30), ("task", 20), ("action", 90), ("result", 20), ("reflection", 15)
    ]
    phrases = {s.name: list(s.strong_phrases) for s in q.sections}
    assert phrases == {
        "situation": ["I noticed", "wasn't my team", "no alerts", "no tickets"],
        "task": ["not my team", "no ticket", "nobody had asked", "I decided to act"],
        "action": ["I pulled", "I traced", "I reproduced", "I wrote", "I added", "I submitted", "I coordinated"],
        "result": ["0.3% to zero", "$8,000 recovered weekly", "adopted my pattern", "improving reliability"],
        "reflection": ["proactively monitoring", "shared webhook SLO", "organizational gap", "shared visibility"],
    }
    assert [p.key_phrase for p in q.probes] == [
        "I brought a complete fix with a ready-to-merge PR.",
        "I created a controlled test environment to reproduce the race condition.",
        "Prevent silent drops and enable faster detection.",
        "Propose shared SLO and cross-team alerting.",
    ]
    assert q.probes[0].weak_answer == "I did escalate it - I sent them a Slack message and they handled it."
    assert q.weak_answer.verdict_label == "Leaning No Hire"
    assert len(q.weak_answer.flags) == 5
    assert len(q.quiz) == 3 and all(0 <= item.correct < len(item.options) for item in q.quiz)
    assert [a.id for a in q.angles] == ["customer-obsession", "ownership", "invent-and-simplify"]
    assert "$8K weekly revenue recovered" in q.angles[0].lead_with
    assert {g.id for g in q.levels} >= {"sde1", "senior"}
    assert q.level("sde1").length_note == "Keep to 2 minutes."
    assert q.level("senior").length_note == "2.5-3 minutes."
    assert "0.3%" in q.scenario_overview and "$8,000" in q.scenario_summary


def test_level_guides_scale_the_targets():
    q = load_file(SEED)
    assert q.total_target_s == 175
    sde1 = q.targets_s("sde1")
    assert sum(sde1.values()) == pytest.approx(120, abs=0.3)  # "Keep to 2 minutes."
    assert sde1["action"] < 90
    assert q.targets_s("senior") == q.targets_s(None)  # 175 s is already inside 2.5-3 minutes


def _seed_data() -> dict:
    return tomllib.loads(SEED.read_text(encoding="utf-8"))


def _error_for(data: dict) -> str:
    with pytest.raises(BankError) as info:
        parse_question(data, "prompts/x.toml")
    return str(info.value)


def test_wrong_type_names_file_and_key_path():
    data = _seed_data()
    data["sections"]["action"]["target_s"] = "ninety"
    assert _error_for(data) == 'prompts/x.toml: sections.action.target_s: expected a positive number, got "ninety"'


def test_zero_target():
    data = _seed_data()
    data["sections"]["task"]["target_s"] = 0
    assert _error_for(data) == "prompts/x.toml: sections.task.target_s: expected a positive number, got 0"


def test_unknown_key():
    data = _seed_data()
    data["sections"]["result"]["strong_phrase"] = ["typo"]
    assert _error_for(data).startswith("prompts/x.toml: sections.result.strong_phrase: unknown key")


def test_missing_required_key():
    data = _seed_data()
    del data["question"]
    assert _error_for(data) == "prompts/x.toml: question: required key is missing"


def test_empty_phrase_list():
    data = _seed_data()
    data["sections"]["situation"]["strong_phrases"] = []
    assert _error_for(data) == "prompts/x.toml: sections.situation.strong_phrases: expected at least one entry, got an empty list"


def test_claims_one_per_phrase():
    data = _seed_data()
    data["sections"]["task"]["claims"] = ["The service was outside my team's responsibility."]
    assert _error_for(data) == "prompts/x.toml: sections.task.claims: expected one claim per strong phrase (4), got 1"


def test_blank_claim_names_its_index():
    data = _seed_data()
    data["sections"]["task"]["claims"][2] = "  "
    assert _error_for(data) == 'prompts/x.toml: sections.task.claims[2]: expected non-empty text, got "  "'


def test_sections_out_of_star_order():
    data = _seed_data()
    sections = data["sections"]
    data["sections"] = {k: sections[k] for k in ("situation", "action", "task", "result", "reflection")}
    assert "sections out of STAR order: situation, action, task" in _error_for(data)


def test_probe_error_names_its_index():
    data = _seed_data()
    data["probes"][2]["key_phrase"] = 7
    assert _error_for(data) == "prompts/x.toml: probes[2].key_phrase: expected text, got 7"


def test_quiz_correct_out_of_range():
    data = _seed_data()
    data["quiz"][0]["correct"] = 9
    assert _error_for(data) == "prompts/x.toml: quiz[0].correct: expected an option index from 0 to 3, got 9"


def test_invalid_toml_gives_its_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nquestion = \n', encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_file(bad)
    assert str(info.value).startswith(f"{bad}: invalid TOML:")
    assert "line 2" in str(info.value)


def test_non_utf8_file(tmp_path):
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('question = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(BankError) as info:
        load_file(bad)
    assert str(info.value) == f"{bad}: not UTF-8 text (bad byte at offset 15)"


def test_missing_file(tmp_path):
    with pytest.raises(BankError) as info:
        load_file(tmp_path / "nope.toml")
    assert str(info.value).endswith("nope.toml: no such file")


def test_duplicate_ids_across_files_and_broken_file_does_not_stop_the_rest(tmp_path):
    (tmp_path / "a.toml").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.toml").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "c.toml").write_text("not toml at all [", encoding="utf-8")
    bank = load_bank([tmp_path])
    assert bank.ids == ["anticipate-customer-need"]
    assert len(bank.problems) == 2
    assert any('duplicate id "anticipate-customer-need"' in p for p in bank.problems)
    assert any("c.toml: invalid TOML" in p for p in bank.problems)


def test_unknown_question_suggests_close_ids():
    bank = load_bank([SEED])
    with pytest.raises(MockInterviewError, match="did you mean: anticipate-customer-need"):
        bank.get("anticipate-customer-needs")


toml_scalars = st.one_of(st.text(max_size=20), st.integers(-5, 500), st.floats(allow_nan=False), st.booleans())
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    mutation=st.sampled_from(["drop", "replace", "add"]),
    path_seed=st.integers(0, 10_000),
    value=toml_values,
)
def test_mutated_documents_load_or_raise_our_error(mutation, path_seed, value):
    """Random damage anywhere in a real document: the loader loads it or raises BankError, nothing else."""
    data = _seed_data()
    # Walk to a random table inside the document.
    node = data
    rng = path_seed
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = keys[rng % len(keys)]
        rng //= 3
        child = node[key]
        if isinstance(child, (dict, list)) and child and rng % 2:
            node = child
            continue
        if mutation == "drop":
            del node[key]
        elif mutation == "replace":
            node[key] = value
        elif isinstance(node, dict):
            node[f"extra{rng}"] = value
        else:
            node.append(value)
        break
    try:
        parse_question(data, "fuzz.toml")
    except BankError as exc:
        assert str(exc).startswith("fuzz.toml: ")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_files_load_or_raise_our_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "q.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_file(path)
    except BankError as exc:
        assert str(exc).startswith(str(path))
