"""Every reference outcome of expected.json (pabutools 1.2.3) is reproduced:
the same projects, in the same order (phragmen: sorted by id), the same cost."""

import pytest

from budget.counting.pabulib import format_units
from budget.counting.rules import tally
from budget.counting.tiebreak import lexicographic
from tests.budget.counting.support import expected, instance_param, load

CASES = [
    (name, rule)
    for name, entry in sorted(expected().items())
    for rule in entry["rules"]
] or [("<missing data>", "greedy")]


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        pytest.param(name, rule, marks=instance_param(name).marks, id=f"{name}-{rule}")
        for name, rule in CASES
    ],
)
def test_reference_outcome_is_reproduced(name, rule):
    election = load(name)
    want = expected()[name]["rules"][rule]
    outcome = tally(election, rule, tie_break=lexicographic())
    assert list(outcome.selected) == want["selected"]
    assert format_units(outcome.total_cost) == want["total_cost"]
    assert outcome.total_cost <= election.budget
