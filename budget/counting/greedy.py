"""Greedy rules: fund projects in order of score, skipping what does not fit.

`greedy` (Pabulib's "greedy"): score = number of voters approving the project
(approval, choose-1), total points (cumulative) or Borda points (ordinal: in a ranking
of k projects the first gets k points, the last 1). `greedy-per-cost`: score divided
by cost. Projects are walked once, highest score first, ties by the tie-break; a
supported project of cost 0 comes first (its score per cost is infinite, as in
pabutools), projects of score 0 come last and are still funded if they fit.

Options: `stop_at_first_misfit` ends the walk at the first project that does not fit;
`min_score` leaves out projects scoring less (both off by default, as in pabutools).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from budget.counting.tiebreak import TieBreak, approval_counts
from budget.counting.types import Election, Outcome, Step, VoteType


def scores(election: Election, *, borda: bool = True) -> Sequence[int]:
    """Score of each project: voters (approval), points (cumulative), Borda points
    (ordinal, or approvals when `borda` is False, as the greedy completion uses)."""
    vote_type = election.vote_type
    if vote_type is VoteType.CUMULATIVE:
        key = "points_total"
    elif vote_type is VoteType.ORDINAL and borda:
        key = "borda"
    else:
        return approval_counts(election)
    cached = election.cache.get(key)
    if cached is None:
        totals = [0] * len(election.projects)
        for count, projects, points in election.compiled.groups:
            length = len(projects)
            for j, p in enumerate(projects):
                totals[p] += count * (points[j] if points else length - j)
        cached = election.cache[key] = tuple(totals)
    return cached


def greedy(
    election: Election,
    *,
    tie_break: TieBreak,
    per_cost: bool = False,
    stop_at_first_misfit: bool = False,
    min_score: int = 0,
) -> Outcome:
    """Greedy by score (or score per cost), skipping projects that do not fit.

    Reproduces pabutools' `greedy_utilitarian_welfare` (cost satisfaction for
    `greedy`, cardinality or additive cardinal satisfaction for `greedy-per-cost`).
    """
    score = scores(election)
    candidates = [i for i in range(len(election.projects)) if score[i] >= min_score]
    rule = "greedy-per-cost" if per_cost else "greedy"
    selected, steps, spent = walk(
        election,
        candidates,
        score,
        tie_break=tie_break,
        per_cost=per_cost,
        budget=election.budget,
        stop_at_first_misfit=stop_at_first_misfit,
    )
    return Outcome(rule, selected, spent, steps, tie_break.name)


def walk(
    election: Election,
    candidates: Iterable[int],
    score: Sequence[int],
    *,
    tie_break: TieBreak,
    per_cost: bool,
    budget: int,
    stop_at_first_misfit: bool = False,
) -> tuple[tuple[str, ...], tuple[Step, ...], int]:
    """The greedy walk over `candidates` with `budget` cents: (ids, steps, spent)."""
    costs = election.compiled.costs
    ids = election.compiled.ids
    ranks = tie_break.ranks(election)

    def value(i: int) -> tuple[int, Fraction | int]:
        # (0, ...) sorts first: a supported project of cost 0 has infinite density.
        if costs[i] == 0 and score[i] > 0:
            return (0, 0)
        if per_cost and score[i]:
            return (1, -Fraction(score[i], costs[i]))
        return (1, -score[i])

    order = sorted((value(i), ranks[i], i) for i in candidates)
    selected: list[str] = []
    steps: list[Step] = []
    remaining = budget
    for position, (key, _, i) in enumerate(order):
        tied = [o[2] for o in order[position + 1 :] if o[0] == key]
        if tied and not (position and order[position - 1][0] == key):
            against = ",".join(ids[j] for j in tied)
            steps.append(
                Step(
                    "tie_broken",
                    ids[i],
                    remaining,
                    {"against": against, "tie_break": tie_break.name},
                )
            )
        detail: dict[str, int | str | Fraction] = {"score": score[i], "cost": costs[i]}
        if per_cost and costs[i]:
            detail["per_cost"] = Fraction(score[i], costs[i])
        if costs[i] <= remaining:
            remaining -= costs[i]
            selected.append(ids[i])
            steps.append(Step("selected", ids[i], remaining, detail))
        else:
            steps.append(Step("skipped", ids[i], remaining, detail))
            if stop_at_first_misfit:
                break
    return tuple(selected), tuple(steps), budget - remaining
