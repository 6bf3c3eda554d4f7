"""The Method of Equal Shares (MES), exact, as pabutools computes it.

Every voter starts with the same share of the budget (B / number of ballots, empty
ballots included). A project is affordable while its supporters together hold at
least its cost. Each round, for every affordable project, find the smallest rho such
that its supporters paying min(money left, rho x utility) cover its cost exactly; buy
the project with the smallest rho (ties by the tie-break) and charge its supporters.
Stop when nothing is affordable. Utilities (`Utility`): COST, the project's cost
for every supporter (`mes` on approval, choose-1 and ordinal ballots, read as the
set of ranked projects); CARDINALITY, 1 (`mes-card`); POINTS, the points given
(`mes` on cumulative ballots). A project nobody supports is never bought; a
supported project of cost 0 is taken first.

How it stays fast and exact:
- all money is multiplied by the number of voters n, so shares start as integers;
- voters are grouped into budget classes: voters holding the same amount share a
  class, a class is a small integer, and its amount a `Fraction` computed once;
  a purchase moves each class among the supporters to one new class;
- lazy evaluation: a project's rho never decreases as budgets shrink, so a heap of
  lower bounds is kept and only the top is recomputed (pabutools does the same).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from budget.counting.tiebreak import TieBreak, approval_counts
from budget.counting.types import Election, Outcome, Step, VoteType

Number = int | Fraction


class Utility(StrEnum):
    COST = "cost"
    CARDINALITY = "cardinality"
    POINTS = "points"


def approval_groups(
    election: Election,
) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """The approval view of the ballots: (supporter groups of each project, projects
    of each group, voters in each group). Cumulative: points above 0 approve."""
    cached = election.cache.get("approval_groups")
    if cached is None:
        groups = election.compiled.groups
        ballots = tuple(
            tuple(p for j, p in enumerate(projects) if not points or points[j] > 0)
            for _, projects, points in groups
        )
        supporters: list[list[int]] = [[] for _ in election.projects]
        for g, projects in enumerate(ballots):
            for p in projects:
                supporters[p].append(g)
        counts = tuple(count for count, _, _ in groups)
        cached = (tuple(map(tuple, supporters)), ballots, counts)
        election.cache["approval_groups"] = cached
    return cached


@dataclass(frozen=True)
class MesData:
    """Per-project supporters, prepared once per election and utility."""

    supporters: tuple[tuple[int, ...], ...]  # group indices
    weights: tuple[tuple[int, ...], ...]  # utility per voter (points), or () for 1
    expanded: tuple[tuple[int, ...], ...]  # group index repeated once per voter
    counts: tuple[int, ...]  # voters per group
    total_weight: tuple[int, ...]  # sum of utilities over a project's supporters


def mes_data(election: Election, utility: Utility) -> MesData:
    points = utility is Utility.POINTS
    key = ("mes_data", points)
    cached = election.cache.get(key)
    if cached is not None:
        return cached
    supporters, _, counts = approval_groups(election)
    weights: tuple[tuple[int, ...], ...] = tuple(() for _ in supporters)
    if points:
        per_project: list[dict[int, int]] = [{} for _ in election.projects]
        for g, (_, projects, pts) in enumerate(election.compiled.groups):
            for j, p in enumerate(projects):
                if pts[j] > 0:
                    per_project[p][g] = pts[j]
        weights = tuple(
            tuple(d[g] for g in supporters[p]) for p, d in enumerate(per_project)
        )
        totals = tuple(
            sum(counts[g] * w for g, w in zip(s, ws, strict=True))
            for s, ws in zip(supporters, weights, strict=True)
        )
        expanded: tuple[tuple[int, ...], ...] = tuple(() for _ in supporters)
    else:
        totals = tuple(sum(counts[g] for g in s) for s in supporters)
        expanded = tuple(
            tuple(g for g in s for _ in range(counts[g])) for s in supporters
        )
    cached = MesData(supporters, weights, expanded, counts, totals)
    election.cache[key] = cached
    return cached


def utility_for(election: Election, rule: str) -> Utility:
    if rule == "mes-card":
        return Utility.CARDINALITY
    if election.vote_type is VoteType.CUMULATIVE:
        return Utility.POINTS
    return Utility.COST


@dataclass(frozen=True)
class MesRun:
    """The result of one MES run: project indices in order, cost, and the trace."""

    order: tuple[int, ...]
    spent: int  # cents
    steps: tuple[Step, ...]


def run(
    election: Election,
    utility: Utility,
    *,
    ranks: Sequence[int],
    per_voter: Fraction | None = None,
    trace: bool = True,
    tie_break_name: str = "lexicographic",
) -> MesRun:
    """One MES run with `per_voter` cents for each voter (default B / n)."""
    n = election.num_voters
    compiled = election.compiled
    costs, ids = compiled.costs, compiled.ids
    data = mes_data(election, utility)
    steps: list[Step] = []
    order: list[int] = []
    spent = 0
    zero = sorted(
        (p for p in range(len(costs)) if costs[p] == 0 and data.total_weight[p]),
        key=ranks.__getitem__,
    )
    for p in zero:
        order.append(p)
        if trace:
            steps.append(Step("zero_cost", ids[p], election.budget, {"cost": 0}))
    if n == 0:
        return MesRun(tuple(order), 0, tuple(steps))
    start = election.budget if per_voter is None else per_voter * n  # scaled by n
    values: list[Number] = [start]  # class -> money of each of its voters
    class_of = {start: 0}
    cls = [0] * len(data.counts)  # group -> class
    points = utility is Utility.POINTS
    supporters_count = approval_counts(election)
    by_cost = utility is Utility.COST

    def key_of(p: int, rho: Number) -> Number:
        return rho / costs[p] if by_cost else rho

    def price(p: int) -> tuple[Fraction, dict] | None:
        """rho (money per unit of utility, scaled) and the classes among supporters."""
        cost = costs[p] * n
        if points:
            present: Counter[tuple[int, int]] = Counter()
            for g, w in zip(data.supporters[p], data.weights[p], strict=True):
                present[(cls[g], w)] += data.counts[g]
            items = sorted(
                (Fraction(values[c]) / w, c, w, m)
                for (c, w), m in present.items()
                if values[c]
            )
            money = sum(values[c] * m for _, c, _, m in items)
            if money < cost:
                return None
            remaining, weight = cost, sum(w * m for _, _, w, m in items)
            for ratio, c, w, m in items:
                if remaining <= ratio * weight:
                    return Fraction(remaining) / weight, present
                remaining -= values[c] * m
                weight -= w * m
            return None
        counted = Counter(map(cls.__getitem__, data.expanded[p]))
        items2 = sorted((values[c], m) for c, m in counted.items() if values[c])
        money = sum(v * m for v, m in items2)
        if money < cost:
            return None
        remaining, voters = cost, sum(m for _, m in items2)
        for v, m in items2:
            if remaining <= v * voters:
                return Fraction(remaining) / voters, counted
            remaining -= v * m
            voters -= m
        return None

    heap = []
    for p in range(len(costs)):
        if costs[p] and data.total_weight[p]:
            rho = Fraction(costs[p] * n, data.total_weight[p])
            heap.append((key_of(p, rho), ranks[p], p))
    heapq.heapify(heap)
    remaining_cents = election.budget - spent
    while heap:
        _, rank, p = heapq.heappop(heap)
        result = price(p)
        if result is None:
            if trace:
                steps.append(
                    Step(
                        "mes_unaffordable", ids[p], remaining_cents, {"cost": costs[p]}
                    )
                )
            continue
        rho, present = result
        key = key_of(p, rho)
        if heap and (key, rank) > heap[0][:2]:
            heapq.heappush(heap, (key, rank, p))
            continue
        if trace:
            tied = _tied(heap, key, price, key_of)
            if tied:
                against = ",".join(ids[q] for q in tied)
                steps.append(
                    Step(
                        "tie_broken",
                        ids[p],
                        remaining_cents,
                        {"against": against, "tie_break": tie_break_name},
                    )
                )
        # charge the supporters, class by class
        remap: dict = {}
        in_full = all_left = 0
        for k, m in present.items():
            c, w = k if points else (k, 1)
            v = values[c]
            due = rho * w
            if v < due:  # pays all it has left
                new, all_left = 0, all_left + m * (v > 0)
            else:
                new, in_full = v - due, in_full + m
            target = class_of.get(new)
            if target is None:
                target = class_of[new] = len(values)
                values.append(new)
            remap[k] = target
        if points:
            for g, w in zip(data.supporters[p], data.weights[p], strict=True):
                cls[g] = remap[(cls[g], w)]
        else:
            for g in data.supporters[p]:
                cls[g] = remap[cls[g]]
        order.append(p)
        spent += costs[p]
        remaining_cents = election.budget - spent
        if trace:
            price_cents = rho / n  # per supporter (per point for cumulative)
            steps.append(
                Step(
                    "mes_selected",
                    ids[p],
                    remaining_cents,
                    {
                        "cost": costs[p],
                        "rho": price_cents / costs[p] if by_cost else price_cents,
                        "price": price_cents,
                        "supporters": supporters_count[p],
                        "paid_in_full": in_full,
                        "paid_all_left": all_left,
                    },
                )
            )
    return MesRun(tuple(order), spent, tuple(steps))


def _tied(heap, key, price, key_of) -> list[int]:
    """Projects whose exact rho equals `key` (only those with that lower bound can)."""
    tied = []
    for lower, _, q in sorted(heap):
        if lower > key:
            break
        result = price(q)
        if result is not None and key_of(q, result[0]) == key:
            tied.append(q)
    return tied


def mes(
    election: Election,
    *,
    tie_break: TieBreak,
    utility: Utility | None = None,
    rule: str = "mes",
) -> Outcome:
    """MES without completion (pabutools' `method_of_equal_shares`)."""
    utility = utility or utility_for(election, rule)
    result = run(
        election,
        utility,
        ranks=tie_break.ranks(election),
        tie_break_name=tie_break.name,
    )
    ids = election.compiled.ids
    return Outcome(
        rule,
        tuple(ids[p] for p in result.order),
        result.spent,
        result.steps,
        tie_break.name,
    )
