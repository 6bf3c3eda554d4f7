"""The command-line contract: `python -m budget.counting tally FILE --rule R
--json` on every sample, and clear errors with a non-zero status."""

import json
import subprocess
import sys

import pytest

from tests.budget.counting.support import (
    INSTANCES,
    ROOT,
    expected,
    instance_names,
    instance_param,
    require_data,
)

FAST_RULES = ("greedy", "greedy-per-cost", "mes", "mes-card", "phragmen")
ADD1_RULES = ("mes-add1", "mes-add1-greedy")


def tally(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budget.counting", "tally", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("name", [instance_param(n) for n in instance_names()])
def test_json_output_matches_the_reference_for_every_sample(name):
    require_data()
    want = expected()[name]["rules"]
    rules = [rule for rule in FAST_RULES if rule in want]
    if name in {"Poland_Wroclaw_2016_Rejon_nr_1_750", "Netherlands_Assen_2024"}:
        rules += [rule for rule in ADD1_RULES if rule in want]
    args = [str(INSTANCES / f"{name}.pb"), "--tie-break", "lexico", "--json"]
    for rule in rules:
        args += ["--rule", rule]
    result = tally(*args)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert list(got) == rules
    for rule in rules:
        assert got[rule] == {
            "selected": want[rule]["selected"],
            "total_cost": want[rule]["total_cost"],
        }


def test_without_json_it_prints_a_table_and_the_explanation():
    require_data()
    result = tally(str(INSTANCES / "Poland_Gdynia_2020_Babie_Doly__small.pb"))
    assert result.returncode == 0, result.stderr
    assert "mes-add1-greedy" in result.stdout  # every offered rule by default
    assert "Le projet 4 est retenu : 220 voix" in result.stdout
    assert "le départage publié (lexico) donne la priorité au projet 1" in result.stdout


def test_unknown_rule_is_a_clear_error(tmp_path):
    path = tmp_path / "x.pb"
    path.write_text("META\nkey;value\n", encoding="utf-8")
    result = tally(str(path), "--rule", "borda", "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "error: unknown rule 'borda' (known rules: greedy" in result.stderr


def test_rule_not_offered_for_the_vote_type_is_a_clear_error():
    require_data()
    result = tally(
        str(INSTANCES / "Poland_Krakow_2018_Bienczyce.pb"), "--rule", "greedy-per-cost"
    )
    assert result.returncode == 2
    assert "not offered for ordinal ballots" in result.stderr


def test_bad_file_is_a_clear_error_with_its_line(tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text(
        "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\n"
        "project_id;cost\n1;abc\nVOTES\nvoter_id;vote\n",
        encoding="utf-8",
    )
    result = tally(str(path), "--rule", "mes", "--json")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "error: line 7: cost of project '1' 'abc' is not a number"
    )


def test_missing_file_and_bad_tie_break_are_clear_errors(tmp_path):
    result = tally(str(tmp_path / "none.pb"), "--rule", "mes")
    assert result.returncode == 2
    assert "error: cannot read" in result.stderr
    result = tally(str(tmp_path / "none.pb"), "--tie-break", "coin")
    assert result.returncode == 2
    assert "unknown tie-break 'coin'" in result.stderr
