"""Sequential Phragmén for participatory budgeting.

Every voter carries a load, 0 at first. At each step, for every project not yet
funded whose cost is within the budget, the new load is (sum of its approvers'
loads + cost) / number of approvers; the project with the smallest new load (ties
by the tie-break) is funded and all its approvers take that load. The rule stops as
soon as the smallest-load project, or one tied with it, does not fit in the money
left: no skipping, no completion. Projects nobody approves have an infinite load
and come last, all tied. Ballots are read as approvals (cumulative: points above 0;
ordinal: the ranked projects). The selection is returned sorted by id, as pabutools
does (the trace keeps the order of the steps).

A voter's load is the load of the last funded project they approve, so loads take
at most (funded projects + 1) values; each project keeps, per load value, how many
of its approvers hold it, and only those counts change when a project is funded.
"""

from __future__ import annotations

from fractions import Fraction

from budget.counting.tiebreak import TieBreak, approval_counts
from budget.counting.types import Election, Outcome, Step


def phragmen(election: Election, *, tie_break: TieBreak) -> Outcome:
    """Sequential Phragmén (pabutools' `sequential_phragmen`, exact loads)."""
    costs = election.compiled.costs
    ids = election.compiled.ids
    ranks = tie_break.ranks(election)
    approvals = approval_counts(election)
    c = election.compiled
    supporters, ballots, counts = c.supporters, c.approvals, c.counts
    load_of_group = [0] * len(ballots)  # index into `loads`
    loads: list[Fraction] = [Fraction(0)]
    # per project: load index -> voters among its approvers holding that load
    holders = [{0: approvals[p]} if approvals[p] else {} for p in range(len(ids))]
    remaining = election.budget
    left = {p for p in range(len(ids)) if costs[p] <= election.budget}
    selected: list[str] = []
    steps: list[Step] = []
    while left:
        best: list[int] = []
        best_load: Fraction | None = None
        for p in left:
            if not approvals[p]:
                continue
            total = sum(loads[k] * n for k, n in holders[p].items())
            new = (total + costs[p]) / approvals[p]
            if best_load is None or new < best_load:
                best_load, best = new, [p]
            elif new == best_load:
                best.append(p)
        if best_load is None:  # only unapproved projects left: all tied
            best = list(left)
        best.sort(key=ranks.__getitem__)
        detail = {"load": best_load} if best_load is not None else {}
        misfit = [p for p in best if costs[p] > remaining]
        if misfit:
            p = misfit[0]
            detail["cost"] = costs[p]
            steps.append(Step("phragmen_stop", ids[p], remaining, detail))
            break
        chosen = best[0]
        if len(best) > 1:
            against = ",".join(ids[p] for p in best[1:])
            steps.append(
                Step(
                    "tie_broken",
                    ids[chosen],
                    remaining,
                    {"against": against, "tie_break": tie_break.name},
                )
            )
        left.discard(chosen)
        remaining -= costs[chosen]
        selected.append(ids[chosen])
        steps.append(
            Step(
                "phragmen_selected",
                ids[chosen],
                remaining,
                {**detail, "cost": costs[chosen]},
            )
        )
        if best_load is None:
            continue
        loads.append(best_load)
        new_index = len(loads) - 1
        for g in supporters[chosen]:
            old, count = load_of_group[g], counts[g]
            load_of_group[g] = new_index
            for p in ballots[g]:
                held = holders[p]
                held[old] -= count
                if not held[old]:
                    del held[old]
                held[new_index] = held.get(new_index, 0) + count
    total_cost = election.budget - remaining
    return Outcome(
        "phragmen", tuple(sorted(selected)), total_cost, tuple(steps), tie_break.name
    )
