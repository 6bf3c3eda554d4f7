"""Iterated MES, "Add1", and its greedy completion.

Definition (pabutools' `voter_budget_increment=1`, equalshares.net's add1): run MES
with a per-voter budget of B/n, then B/n + 1, B/n + 2, ... currency units (exact,
not rounded). Stop at the first run whose outcome is exhaustive, that is, no project
outside it with a supporter and a positive cost fits in the money left, and return
it; if a run's outcome costs more than B, return the previous run's outcome.

`add1_linear` is that scan, one MES run per step. It needs one run per currency
unit of the final share: Budapest 2024 (forints) takes 22,001 steps, about 80 s
with the C kernel of mes.py.
`add1_search` gives the same answer with fewer runs: it runs MES on a whole range
of steps at once (`mes.run_range`), which either proves that every step of the
range has the same outcome, or gives the outcome of the range's first step alone
(the proof broke down: the run went on at that step only), with the Python
kernel an estimate of where in the range the outcome changes. Ranges double
while they succeed; after a failure the scan tries the steps up to the estimated
change, then a range beyond it, and shrinks when that misses. Every run proves
at least its first step, so the search never stalls. Steps of a range proven
alike are all exhaustive or all not, all feasible or all not, so the first step
that stops the scan is the same as in the linear scan.

`mes-add1-greedy` then walks the projects Add1 left out, greedily by number of
approving voters (total points for cumulative ballots), with the money left.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from budget.counting import mes as mes_module
from budget.counting.greedy import scores, walk
from budget.counting.tiebreak import TieBreak
from budget.counting.types import Election, Outcome, Step

UNIT = 100  # one currency unit, in cents


@dataclass(frozen=True)
class Add1Result:
    """The outcome of the scan, the step it stopped at, and the MES runs made."""

    run: mes_module.MesRun
    increments: int  # per-voter budget = B/n + increments currency units
    runs: int

    def per_voter(self, election: Election) -> Fraction:
        """The final per-voter budget in cents."""
        return Fraction(election.budget, election.num_voters) + self.increments * UNIT


def is_exhaustive(election: Election, order: Sequence[int]) -> bool:
    """No project outside `order` with supporters and a positive cost still fits."""
    costs = election.compiled.costs
    left = election.budget - sum(costs[p] for p in order)
    chosen = set(order)
    return not any(
        p not in chosen and costs[p] <= left for p in mes_module.candidates(election)
    )


def add1_linear(
    election: Election, utility: mes_module.Utility, *, ranks: Sequence[int]
) -> Add1Result:
    """The plain linear scan of the definition (the reference for `add1_search`)."""
    return _scan(election, utility, ranks, grow=False)


def add1_search(
    election: Election, utility: mes_module.Utility, *, ranks: Sequence[int]
) -> Add1Result:
    """Add1 by ranges of steps; the same result as `add1_linear`."""
    return _scan(election, utility, ranks, grow=True)


def _scan(
    election: Election, utility: mes_module.Utility, ranks: Sequence[int], *, grow: bool
) -> Add1Result:
    n = election.num_voters
    if not n:
        return Add1Result(mes_module.run(election, utility, ranks=ranks), 0, 1)
    step = UNIT * n  # one currency unit per voter, in the kernel's units
    previous: mes_module.MesRun | None = None
    first, size, runs = 0, 1, 0  # the range of steps [first, first + size)
    cruise = 1  # the size to try again once past a change of outcome
    approach = False  # this range should end just before such a change
    while True:
        low = election.budget + first * step
        result = mes_module.run_range(
            election,
            utility,
            ranks=ranks,
            low=low,
            high=low + (size - 1) * step,
            fallback=grow,
        )
        runs += 1
        if result is None:  # (the linear scan never gets here: size is 1)
            size //= 2
            continue
        if result.spent > election.budget:
            assert previous is not None  # MES with B/n never overspends
            return Add1Result(previous, first - 1, runs)
        if is_exhaustive(election, result.order):
            return Add1Result(result, first, runs)
        previous = result
        if result.partial:  # proven for its first step only
            # The outcome probably changes where the proof broke down: try
            # the steps up to there, then a range beyond it.
            last = first
            cruise = max(cruise // 2, 1)
            if result.hint is not None:
                last += math.floor(result.hint * (size - 1))
            first += 1
            approach = last >= first
            size = last - first + 1 if approach else cruise
        else:
            first += size
            if approach:
                size, approach = cruise, False
            else:
                size = cruise = 2 * size if grow else 1


def _add1_outcome(election: Election, *, tie_break: TieBreak, rule: str) -> Outcome:
    utility = mes_module.utility_for(election, rule)
    ranks = tie_break.ranks(election)
    # mes-add1 and mes-add1-greedy scan alike: keep the scan with the election.
    cached = ("add1_search", utility, tuple(ranks))
    found = election.cache.get(cached)
    if found is None:
        found = election.cache[cached] = add1_search(election, utility, ranks=ranks)
    per_voter = found.per_voter(election) if election.num_voters else Fraction(0)
    # Replay the final run with its trace, for the explanation.
    final = mes_module.run(
        election,
        utility,
        ranks=ranks,
        per_voter=per_voter if election.num_voters else None,
        trace=True,
        tie_break_name=tie_break.name,
    )
    ids = election.compiled.ids
    detail = {
        "per_voter": per_voter,
        "increments": found.increments,
        "runs": found.runs,
    }
    steps = (Step("add1_budget", "", election.budget, detail), *final.steps)
    selected = tuple(ids[p] for p in final.order)
    return Outcome(rule, selected, final.spent, steps, tie_break.name)


def add1(election: Election, *, tie_break: TieBreak) -> Outcome:
    """`mes-add1`: iterated MES, per-voter budget raised by one unit per step."""
    return _add1_outcome(election, tie_break=tie_break, rule="mes-add1")


def add1_greedy(election: Election, *, tie_break: TieBreak) -> Outcome:
    """`mes-add1-greedy`: Add1, then a greedy completion by approvals (points)."""
    outcome = _add1_outcome(election, tie_break=tie_break, rule="mes-add1-greedy")
    index = election.compiled.index
    chosen = {index[pid] for pid in outcome.selected}
    left = [p for p in range(len(election.projects)) if p not in chosen]
    money = election.budget - outcome.total_cost
    extra, steps, spent = walk(
        election,
        left,
        scores(election, borda=False),
        tie_break=tie_break,
        per_cost=False,
        budget=money,
    )
    return Outcome(
        outcome.rule,
        outcome.selected + extra,
        outcome.total_cost + spent,
        (*outcome.steps, Step("completion", "", money, {}), *steps),
        tie_break.name,
    )
