"""Add1 by ranges of steps (`add1_search`) equals the plain linear scan of the
definition (`add1_linear`) on every sample, Budapest 2024 included, and on
random small elections, with the C kernel and with the Python one alone; a
range run gives the outcome of every step it claims (all of them, or the first
one alone when its proof failed)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.counting import mes
from budget.counting.add1 import add1_linear, add1_search, is_exhaustive
from budget.counting.tiebreak import lexicographic
from tests.budget.counting.strategies import elections
from tests.budget.counting.support import (
    LARGE,
    expected,
    instance_names,
    instance_param,
    load,
)

# Every sample: with the C kernel the plain linear scan finishes on all of them
# (Budapest 2024, 22,001 MES runs, in about 80 s: marked slow with the large ones).
LINEAR_OK = instance_names()
BUDAPEST = "Hungary_Budapest_2024"


@pytest.fixture(params=["compiled", "python"])
def kernel(request, monkeypatch):
    """Run MES with the C kernel, or with the Python one alone."""
    if request.param == "python":
        monkeypatch.setattr(mes, "compiled", None)
    elif mes.compiled is None:
        pytest.skip("the C kernel is not built")
    return request.param


def linear_cases():
    """(instance, rule): mes-add1 everywhere, its card variant where offered."""
    for name in LINEAR_OK:
        rules = ["mes-add1"]
        cumulative = expected().get(name, {}).get("vote_type") == "cumulative"
        if not cumulative and name != BUDAPEST:  # (Budapest: one rule is enough)
            rules.append("mes-card")
        for rule in rules:
            marks = instance_param(name).marks
            yield pytest.param(name, rule, marks=marks, id=f"{name}-{rule}")


def search_equal_to_linear_scan(election, rule):
    """Add1 by search and by the linear scan: same purchases, same increments."""
    utility = mes.utility_for(election, rule)
    ranks = lexicographic().ranks(election)
    linear = add1_linear(election, utility, ranks=ranks)
    search = add1_search(election, utility, ranks=ranks)
    assert search.run.order == linear.run.order
    assert search.increments == linear.increments
    return search


@pytest.mark.parametrize(("name", "rule"), list(linear_cases()))
def test_search_equals_the_linear_scan_on_the_samples(name, rule):
    if mes.compiled is None and name in LARGE:  # (CI fails on a missing kernel)
        pytest.skip("the linear scan of a large file needs the C kernel")
    election = load(name)
    search = search_equal_to_linear_scan(election, rule)
    # expected.json has Add1 with cost utilities only, and none for Budapest
    reference = expected()[name]["rules"].get(rule) if rule == "mes-add1" else None
    if reference is not None:
        ids = [election.compiled.ids[p] for p in search.run.order]
        assert ids == reference["selected"]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(elections(max_voters=12, max_budget_units=60))
def test_search_equals_the_linear_scan_on_random_elections(kernel, election):
    for rule in ("mes-add1", "mes-card"):
        if rule == "mes-card" and election.vote_type == "cumulative":
            continue
        search = search_equal_to_linear_scan(election, rule)
        assert search.run.spent <= election.budget


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    elections(max_voters=12, max_budget_units=60),
    st.integers(0, 40),
    st.integers(1, 60),
)
def test_a_range_run_holds_for_the_steps_it_claims(kernel, election, first, size):
    rule = "mes-card" if election.vote_type != "cumulative" else "mes-add1"
    for utility in {mes.utility_for(election, rule), mes.Utility.COST}:
        ranks = lexicographic().ranks(election)
        step = 100 * election.num_voters
        low = election.budget + first * step
        high = low + (size - 1) * step
        result = mes.run_range(
            election, utility, ranks=ranks, low=low, high=high, fallback=True
        )
        claimed = [low] if result.partial else range(low, high + 1, step or 1)
        for start in claimed:
            exact = mes.run_range(election, utility, ranks=ranks, low=start, high=start)
            assert (exact.order, exact.spent) == (result.order, result.spent)
        if result.hint is not None:
            assert 0 <= result.hint <= 1


@pytest.mark.slow
def test_budapest_add1_finishes_and_stops_where_the_definition_says():
    """pabutools gives no result in 20 minutes; check the stopping rule itself."""
    election = load("Hungary_Budapest_2024")
    utility = mes.utility_for(election, "mes-add1")
    ranks = lexicographic().ranks(election)
    found = add1_search(election, utility, ranks=ranks)
    per_voter = found.per_voter(election)
    final = mes.run(election, utility, ranks=ranks, per_voter=per_voter)
    assert final.order == found.run.order
    assert final.spent <= election.budget
    following = mes.run(election, utility, ranks=ranks, per_voter=per_voter + 100)
    # Either this step is exhaustive, or the next one overspends.
    assert is_exhaustive(election, final.order) or following.spent > election.budget
    if not is_exhaustive(election, final.order):
        previous = mes.run(election, utility, ranks=ranks, per_voter=per_voter - 100)
        assert previous.spent <= election.budget
