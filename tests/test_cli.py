"""The bank commands run as a user runs them: a subprocess, its output and its exit code."""

from __future__ import annotations

import json

from conftest import PROMPTS, run_cli


def test_list_text_and_json():
    text = run_cli("list")
    assert text.returncode == 0, text.stderr
    assert "anticipate-customer-need" in text.stdout and "2:55" in text.stdout
    data = json.loads(run_cli("list", "--format", "json").stdout)
    seed = next(q for q in data if q["id"] == "anticipate-customer-need")
    assert seed["total_target_s"] == 175
    assert "customer-obsession" in seed["principles"]


def test_list_filters_by_principle_and_rejects_unknown():
    data = json.loads(run_cli("list", "--principle", "customer-obsession", "--format", "json").stdout)
    assert data and all("customer-obsession" in q["principles"] for q in data)
    bad = run_cli("list", "--principle", "kindness")
    assert bad.returncode == 1
    assert bad.stderr.startswith('mockinterview list: unknown principle "kindness"')


def test_show_json_holds_every_element_of_the_seed():
    result = run_cli("show", "anticipate-customer-need", "--format", "json")
    assert result.returncode == 0, result.stderr
    q = json.loads(result.stdout)
    assert q["question"].startswith("Tell me about a time you anticipated a customer need")
    assert "0.3% webhook" in q["scenario_overview"]
    assert [s["target_s"] for s in q["sections"]] == [30, 20, 90, 20, 15]
    assert all(s["strong_phrases"] and s["coaching"] and s["common_mistake"] for s in q["sections"])
    assert set(q["reflections"]) == {"sde2", "senior"}
    assert len(q["probes"]) == 4
    for probe in q["probes"]:
        assert probe["weak_answer"] and probe["weak_why"] and probe["strong_answer"] and probe["key_phrase"]
    assert q["weak_answer"]["verdict_label"] == "Leaning No Hire"
    assert len(q["quiz"]) == 3 and all(item["explanation"] for item in q["quiz"])
    assert {a["id"] for a in q["angles"]} == {"customer-obsession", "ownership", "invent-and-simplify"}
    levels = {g["id"]: g for g in q["levels"]}
    assert levels["sde1"]["total_max_s"] == 120 and levels["senior"]["total_min_s"] == 150


def test_show_text_is_readable():
    result = run_cli("show", "anticipate-customer-need")
    assert result.returncode == 0
    for needle in ("Situation · target 30 s", "Leaning No Hire", "Propose shared SLO and cross-team alerting."):
        assert needle in result.stdout


def test_show_unknown_id_suggests():
    result = run_cli("show", "anticipate-customer")
    assert result.returncode == 1
    assert "did you mean: anticipate-customer-need" in result.stderr
    assert "Traceback" not in result.stderr


def test_lint_clean_and_broken(tmp_path):
    ok = run_cli("lint", str(PROMPTS))
    assert ok.returncode == 0, ok.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text((PROMPTS / "amazon" / "anticipate-customer-need.toml").read_text().replace("target_s = 90", 'target_s = "ninety"'))
    (tmp_path / "worse.toml").write_text("id = [")
    result = run_cli("lint", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0] == f'{bad}: sections.action.target_s: expected a positive number, got "ninety"'
    assert lines[1].startswith(f"{tmp_path / 'worse.toml'}: invalid TOML")
    assert len(lines) == 2


def test_help_on_every_command():
    top = run_cli("--help")
    assert top.returncode == 0
    import pkgutil

    import mockinterview.commands

    modules = [m.name for m in pkgutil.iter_modules(mockinterview.commands.__path__) if not m.name.startswith("_")]
    commands = [name.rstrip("_").replace("_", "-") for name in modules]
    for command in commands:
        assert command in top.stdout
    assert {"list", "show", "lint"} <= set(commands)
    for command in commands:
        result = run_cli(command, "--help")
        assert result.returncode == 0, command
        assert "example:" in result.stdout, f"{command} --help has no example"
