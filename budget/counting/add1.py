"""Iterated MES, "Add1", and its greedy completion.

Definition (pabutools' `voter_budget_increment=1`, equalshares.net's add1): run MES
with a per-voter budget of B/n, then B/n + 1, B/n + 2, ... currency units (exact,
not rounded). Stop at the first run whose outcome is exhaustive, that is, no project
outside it with a supporter and a positive cost fits in the money left, and return
it; if a run's outcome costs more than B, return the previous run's outcome.

`mes-add1-greedy` then walks the projects Add1 left out, greedily by number of
approving voters (total points for cumulative ballots), with the money left.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from budget.counting import mes as mes_module
from budget.counting.greedy import scores, walk
from budget.counting.tiebreak import TieBreak
from budget.counting.types import Election, Outcome, Step

UNIT = 100  # one currency unit, in cents


def is_exhaustive(
    election: Election, order: Sequence[int], utility: mes_module.Utility
) -> bool:
    """No project outside `order` with supporters and a positive cost still fits."""
    data = mes_module.mes_data(election, utility)
    costs = election.compiled.costs
    left = election.budget - sum(costs[p] for p in order)
    chosen = set(order)
    return not any(
        costs[p] and data.total_weight[p] and p not in chosen and costs[p] <= left
        for p in range(len(costs))
    )


def add1_linear(
    election: Election, utility: mes_module.Utility, *, ranks: Sequence[int]
) -> tuple[mes_module.MesRun, Fraction, int]:
    """The plain linear scan of the definition: (outcome, per-voter budget, runs)."""
    n = election.num_voters
    if n == 0:
        empty = mes_module.run(election, utility, ranks=ranks, trace=False)
        return empty, Fraction(0), 1
    per_voter = Fraction(election.budget, n)
    previous = None
    runs = 0
    while True:
        result = mes_module.run(
            election, utility, ranks=ranks, per_voter=per_voter, trace=False
        )
        runs += 1
        if result.spent > election.budget:
            if previous is None:  # cannot happen with B/n, kept for safety
                return mes_module.MesRun((), 0, ()), per_voter, runs
            return previous, per_voter - UNIT, runs
        if is_exhaustive(election, result.order, utility):
            return result, per_voter, runs
        previous = result
        per_voter += UNIT


def _add1_outcome(
    election: Election, *, tie_break: TieBreak, rule: str
) -> tuple[Outcome, mes_module.Utility]:
    utility = mes_module.utility_for(election, rule)
    ranks = tie_break.ranks(election)
    found, per_voter, runs = add1_linear(election, utility, ranks=ranks)
    # Replay the final run with its trace, for the explanation.
    final = mes_module.run(
        election,
        utility,
        ranks=ranks,
        per_voter=per_voter,
        tie_break_name=tie_break.name,
    )
    assert final.order == found.order
    ids = election.compiled.ids
    steps = (
        Step(
            "add1_budget",
            "",
            election.budget,
            {
                "per_voter": per_voter,
                "increments": _increments(election, per_voter),
                "runs": runs,
            },
        ),
        *final.steps,
    )
    outcome = Outcome(
        rule, tuple(ids[p] for p in final.order), final.spent, steps, tie_break.name
    )
    return outcome, utility


def _increments(election: Election, per_voter: Fraction) -> int:
    n = election.num_voters
    return int((per_voter - Fraction(election.budget, n)) / UNIT) if n else 0


def add1(election: Election, *, tie_break: TieBreak) -> Outcome:
    """`mes-add1`: iterated MES, per-voter budget raised by one unit per step."""
    return _add1_outcome(election, tie_break=tie_break, rule="mes-add1")[0]


def add1_greedy(election: Election, *, tie_break: TieBreak) -> Outcome:
    """`mes-add1-greedy`: Add1, then a greedy completion by approvals (points)."""
    outcome, _ = _add1_outcome(election, tie_break=tie_break, rule="mes-add1-greedy")
    index = election.compiled.index
    chosen = {index[pid] for pid in outcome.selected}
    left = [p for p in range(len(election.projects)) if p not in chosen]
    extra, steps, spent = walk(
        election,
        left,
        scores(election, borda=False),
        tie_break=tie_break,
        per_cost=False,
        budget=election.budget - outcome.total_cost,
    )
    completion = Step("completion", "", election.budget - outcome.total_cost, {})
    return Outcome(
        outcome.rule,
        outcome.selected + extra,
        outcome.total_cost + spent,
        (*outcome.steps, completion, *steps),
        tie_break.name,
    )
