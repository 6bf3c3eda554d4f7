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

How it stays fast: a voter's load is the load of the last funded project they
approve, so loads take few values, held once, as whole numbers over a common
denominator (exact, without `Fraction` arithmetic); voters are counted per load
value with one `Counter` over precomputed indices (or per ballot group when
groups hold many voters). Loads only grow, so a project's new load never
decreases: a heap of lower bounds is kept and only its top recomputed.
"""

from __future__ import annotations

import heapq
from collections import Counter
from math import gcd, lcm

from budget.counting.mes import Key, rho_key
from budget.counting.tiebreak import TieBreak
from budget.counting.types import Election, Outcome, Step


def phragmen(election: Election, *, tie_break: TieBreak) -> Outcome:
    """Sequential Phragmén (pabutools' `sequential_phragmen`, exact loads)."""
    c = election.compiled
    costs, ids, approvals = c.costs, c.ids, c.approval_count
    ranks = tie_break.ranks(election)
    # The distinct loads, by index: loads[k] / common cents.
    loads = [0]
    common = 1
    load_of = [0] * len(c.counts)  # group -> index in `loads`
    counts = c.counts

    def new_load(p: int) -> tuple[Key, int, int]:
        """(key, numerator, denominator) of p's new load, in cents."""
        groups = c.supporters[p]
        if len(c.expanded[p]) > 4 * len(groups):
            held: dict = {}
            get = held.get
            for k, m in zip(
                map(load_of.__getitem__, groups),
                map(counts.__getitem__, groups),
                strict=True,
            ):
                held[k] = get(k, 0) + m
        else:
            held = Counter(map(load_of.__getitem__, c.expanded[p]))
        total = costs[p] * common
        for k, m in held.items():
            total += loads[k] * m
        denominator = approvals[p] * common
        return rho_key(total, denominator), total, denominator

    fitting = [p for p in range(len(ids)) if costs[p] <= election.budget]
    heap = [
        (rho_key(costs[p], approvals[p]), ranks[p], p) for p in fitting if approvals[p]
    ]
    heapq.heapify(heap)
    remaining = election.budget
    selected: list[str] = []
    steps: list[Step] = []

    def fund(p: int, tied: list[int], detail: dict) -> None:
        nonlocal remaining
        if tied:
            against = ",".join(ids[q] for q in tied)
            detail_tie = {"against": against, "tie_break": tie_break.name}
            steps.append(Step("tie_broken", ids[p], remaining, detail_tie))
        remaining -= costs[p]
        selected.append(ids[p])
        steps.append(Step("phragmen_selected", ids[p], remaining, detail))

    while heap:
        _, rank, p = heapq.heappop(heap)
        key, total, denominator = new_load(p)
        if heap and (key, rank) > heap[0][:2]:
            heapq.heappush(heap, (key, rank, p))
            continue
        tied = []  # only projects whose lower bound equals the load can tie
        for entry in sorted(e for e in heap if e[0] == key):
            if new_load(entry[2])[0] == key:
                tied.append(entry[2])
        misfit = [q for q in (p, *tied) if costs[q] > remaining]
        value = key[1]  # the exact load, a Fraction
        if misfit:
            detail = {"cost": costs[misfit[0]], "load": value}
            steps.append(Step("phragmen_stop", ids[misfit[0]], remaining, detail))
            return _outcome(election, selected, steps, tie_break)
        fund(p, tied, {"cost": costs[p], "load": value})
        # Put every load over a common denominator with the new one.
        divisor = gcd(total, denominator)
        total, denominator = total // divisor, denominator // divisor
        wider = lcm(common, denominator)
        if wider != common:
            factor = wider // common
            loads = [load * factor for load in loads]
            common = wider
        loads.append(total * (common // denominator))
        index = len(loads) - 1
        for g in c.supporters[p]:
            load_of[g] = index
    # Only unapproved projects are left: all tied, at an infinite load.
    left = sorted((p for p in fitting if not approvals[p]), key=ranks.__getitem__)
    while left:
        if any(costs[q] > remaining for q in left):
            misfit = next(q for q in left if costs[q] > remaining)
            detail = {"cost": costs[misfit]}
            steps.append(Step("phragmen_stop", ids[misfit], remaining, detail))
            break
        fund(left[0], left[1:], {"cost": costs[left[0]]})
        left.pop(0)
    return _outcome(election, selected, steps, tie_break)


def _outcome(
    election: Election, selected: list[str], steps: list[Step], tie_break: TieBreak
) -> Outcome:
    total = sum(election.project(pid).cost for pid in selected)
    return Outcome(
        "phragmen", tuple(sorted(selected)), total, tuple(steps), tie_break.name
    )
