"""The Method of Equal Shares (MES), exact, as pabutools computes it.

Every voter starts with the same share of the budget (B / number of ballots, empty
ballots included). A project is affordable while its supporters together hold at
least its cost. Each round, for every affordable project, find the smallest rho
such that its supporters paying min(money left, rho x utility) cover its cost
exactly; buy the project with the smallest rho (ties by the tie-break) and charge
its supporters. Stop when nothing is affordable. Utilities (`Utility`): COST, the
project's cost for each supporter (`mes` on approval, choose-1 and ordinal
ballots, a ranking read as the set of ranked projects); CARDINALITY, 1 (`mes-card`);
POINTS, the points given (`mes` on cumulative ballots). A project nobody supports
is never bought; a supported project of cost 0 is taken first.

How it stays fast and exact, without `float`:
- money is an `int` in a unit that shrinks when needed: at first cents x n (so
  the share B/n is a whole number); when a price is not a whole number of units,
  every amount is multiplied by its denominator;
- voters holding the same amount form a budget class (a small integer); counting a
  project's supporters per class is one `Counter` over precomputed indices, and a
  purchase moves each class among its supporters to one new class;
- lazy evaluation: a project's rho never decreases as budgets shrink, so a heap of
  lower bounds is kept and only its top is recomputed (as pabutools does).

`run_range` runs MES at both ends of a range of starting shares at once and
proves, round by round, that the same project wins for every share in between;
Add1 uses it to skip the steps where nothing changes (see add1.py).

Where it was built, `_mes.c` does the runs: the same algorithm in C with GMP
integers, about ten times faster (Add1 makes hundreds or thousands of runs). It
gives one run with or without its trace, or a range proven by the first of the
three ways of `run_range` (intervals) alone: weaker proofs, but far cheaper. It is
built by `pip install` where a C compiler and GMP's headers are (Debian's gcc,
python3-dev, libgmp-dev); without it this Python kernel does the same work, only
slower, and the tests check that both give the same purchases and traces.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from math import gcd
from operator import mul
from typing import Any, NamedTuple

from budget.counting.tiebreak import TieBreak
from budget.counting.types import Election, Outcome, Step, VoteType

try:  # the same runs in C, when the extension was built (pyproject.toml)
    from budget.counting import _mes as compiled
except ImportError:  # pragma: no cover - a machine without GMP or a C compiler
    compiled = None


class Utility(StrEnum):
    COST = "cost"
    CARDINALITY = "cardinality"
    POINTS = "points"


def utility_for(election: Election, rule: str) -> Utility:
    """The utility a rule uses: 1 for mes-card, points for cumulative, else cost."""
    if rule == "mes-card":
        return Utility.CARDINALITY
    if election.vote_type is VoteType.CUMULATIVE:
        return Utility.POINTS
    return Utility.COST


def candidates(election: Election) -> tuple[int, ...]:
    """Projects MES may buy by rounds: supported, with a positive cost."""
    c = election.compiled
    return tuple(p for p in range(len(c.ids)) if c.costs[p] and c.total_weight[p])


@dataclass(frozen=True)
class MesRun:
    """One MES run: project indices in order of purchase, their cost, the trace."""

    order: tuple[int, ...]
    spent: int  # cents
    steps: tuple[Step, ...] = ()
    partial: bool = False  # from run_range: holds for its lowest share only
    # partial: where in the range (0 lowest share, 1 highest) the proof broke
    # down, estimated by interpolating the prices it compared; None if unknown
    hint: Fraction | None = None


Key = tuple[int, Fraction]  # rho, approximated by a whole number first


def rho_key(numerator: int, denominator: int) -> Key:
    """rho = numerator / denominator as a heap key that compares whole numbers
    (rho x 2**64 rounded down) and looks at the exact fraction only to settle them."""
    return (numerator << 64) // denominator, Fraction(numerator, denominator)


def _zero_cost(election: Election, ranks: Sequence[int]) -> list[int]:
    """Supported projects of cost 0, bought first, by rank."""
    c = election.compiled
    return [
        p
        for p in sorted(range(len(c.ids)), key=ranks.__getitem__)
        if c.costs[p] == 0 and c.total_weight[p]
    ]


def _compiled_kernel(election: Election, points: bool) -> Any:
    """The election's supporters handed to the C kernel once, kept with it."""
    key = ("mes_compiled", points)
    kernel = election.cache.get(key)
    if kernel is None:
        c = election.compiled
        weights = (
            c.supporter_weights
            if points
            else tuple((1,) * len(groups) for groups in c.supporters)
        )
        kernel = election.cache[key] = compiled.Kernel(
            c.supporters, weights, c.counts, c.costs, c.total_weight, c.num_voters
        )
    return kernel


def _purchase_step(
    election: Election,
    p: int,
    *,
    price: Fraction,
    unit: int,
    in_full: int,
    all_left: int,
    spent: int,
) -> Step:
    """The trace step of buying p at `price` cents per unit of utility (rho is
    price / unit); `spent` is the cents spent once it is bought."""
    c = election.compiled
    detail = {
        "cost": c.costs[p],
        "rho": price / unit,
        "price": price,
        "supporters": c.approval_count[p],
        "paid_in_full": in_full,
        "paid_all_left": all_left,
    }
    return Step("mes_selected", c.ids[p], election.budget - spent, detail)


def _compiled_steps(
    election: Election,
    zero: list[int],
    events: list[tuple],
    by_cost: bool,
    tie_break_name: str,
) -> tuple[Step, ...]:
    """The trace of a run of the C kernel, as the Python kernel writes it."""
    c, budget = election.compiled, election.budget
    steps = [Step("zero_cost", c.ids[p], budget, {"cost": 0}) for p in zero]
    spent = 0
    for kind, p, *data in events:
        if kind == "unaffordable":
            detail: dict = {"cost": c.costs[p]}
            steps.append(Step("mes_unaffordable", c.ids[p], budget - data[0], detail))
        elif kind == "tie":
            detail = {
                "against": ",".join(c.ids[q] for q in data[0]),
                "tie_break": tie_break_name,
            }
            steps.append(Step("tie_broken", c.ids[p], budget - spent, detail))
        else:
            due, scale, in_full, all_left = data
            spent += c.costs[p]
            step = _purchase_step(
                election,
                p,
                price=Fraction(due, scale),
                unit=c.costs[p] if by_cost else 1,
                in_full=in_full,
                all_left=all_left,
                spent=spent,
            )
            steps.append(step)
    return tuple(steps)


def run(
    election: Election,
    utility: Utility,
    *,
    ranks: Sequence[int],
    per_voter: Fraction | int | None = None,
    trace: bool = False,
    tie_break_name: str = "",
) -> MesRun:
    """One MES run with `per_voter` cents for each voter (default B / n)."""
    n = election.num_voters
    start = election.budget if per_voter is None else per_voter * n
    if start != int(start):
        raise ValueError("per_voter x n must be a whole number of cents")
    if compiled is not None and n:
        kernel = _compiled_kernel(election, utility is Utility.POINTS)
        by_cost = utility is Utility.COST
        zero = _zero_cost(election, ranks)
        if not trace:
            order, spent = kernel.run(ranks, by_cost, int(start))
            return MesRun((*zero, *order), spent)
        order, spent, events = kernel.run(ranks, by_cost, int(start), True)
        steps = _compiled_steps(election, zero, events, by_cost, tie_break_name)
        return MesRun((*zero, *order), spent, steps)
    start = int(start)
    kernel = _Kernel(election, utility, ranks, start, start, trace, tie_break_name)
    return kernel.run_exact()


def run_range(
    election: Election,
    utility: Utility,
    *,
    ranks: Sequence[int],
    low: int,
    high: int,
    trace: bool = False,
    tie_break_name: str = "",
    fallback: bool = False,
) -> MesRun | None:
    """MES for every starting share from low/n to high/n cents per voter.

    Returns the outcome if it is provably the same for every share of the range
    (always so when low == high), None when the range must be split; with
    `fallback`, instead of None, the outcome at the lowest share alone, marked
    `partial` (the run goes on from where the proof failed, at that share
    only). `trace` needs low == high.

    Why a run at both ends proves the whole range (by induction on rounds): if
    every earlier round bought the same project for every share of the range,
    every amount held is non-decreasing in the share, so every rho is
    non-increasing: a project's rho lies between its values at both ends. The
    project p bought at both ends wins all along when every other project q
    stays behind it (ties by rank), shown in one of three ways:
    - intervals: q's rho at the highest share is above p's at the lowest;
    - twins: q has the same supporters, per class, and the same cost as p;
    - lines: p's rho lies below an affine upper bound (the chord of a convex
      function, see `_Kernel.upper_line`) and q's above an affine lower bound
      (`_Kernel.lower_line`); lines above one another at both ends are so in
      between. Classes carry flags saying whether their amounts are affine or
      concave in the share, which is what makes those bounds hold.
    rho_q only grows from round to round, so a bound found once keeps serving
    until it no longer suffices, and is then recomputed.
    """
    if low == high:
        n = election.num_voters
        per_voter = Fraction(low, n) if n else None
        return run(
            election,
            utility,
            ranks=ranks,
            per_voter=per_voter,
            trace=trace,
            tie_break_name=tie_break_name,
        )
    if compiled is not None and not trace:
        order, spent, proven = _compiled_kernel(
            election, utility is Utility.POINTS
        ).run_range(ranks, utility is Utility.COST, low, high)
        if not proven and not fallback:
            return None
        return MesRun((*_zero_cost(election, ranks), *order), spent, partial=not proven)
    kernel = _Kernel(election, utility, ranks, low, high, trace, tie_break_name)
    return kernel.run_range(fallback)


def _crossing(low: Fraction, high: Fraction) -> Fraction | None:
    """Where an affine function worth `low` at 0 and `high` at 1 changes sign."""
    if (low < 0) == (high < 0) or low == high:
        return None
    return min(max(low / (low - high), Fraction(0)), Fraction(1))


class _Price(NamedTuple):
    """A project's price at one end: rho = rest / weight units per unit of
    utility; `rich` the supporter classes paying rho x utility (the others pay
    all they hold; only computed for ranges); `money` what they all hold."""

    rest: int
    weight: int
    rich: frozenset
    money: int


class _Kernel:
    """The state of one run, at one share (exact) or at both ends of a range."""

    def __init__(
        self,
        election: Election,
        utility: Utility,
        ranks: Sequence[int],
        low: int,
        high: int,
        trace: bool,
        tie_break_name: str,
    ) -> None:
        assert low <= high and not (trace and low != high)
        self.election = election
        self.c = election.compiled
        self.ranks = ranks
        self.points = utility is Utility.POINTS
        self.by_cost = utility is Utility.COST
        self.trace = trace
        self.tie_break_name = tie_break_name
        starts = [low] if low == high else [low, high]
        self.ranged = len(starts) > 1
        self.scales = [self.c.num_voters for _ in starts]  # int units per cent
        self.amounts = [[start] for start in starts]  # end -> class -> amount
        # affine[k]: the amounts of class k are affine in the starting share
        # across the range (every purchase that made it split its payers
        # alike); concave[k]: concave in it (affine ones are).
        self.affine = [True]
        self.concave = [True]
        # exact: amount -> class; range: (amount at each end, flags) -> class
        self.class_of: dict = (
            {(*starts, True, True): 0} if self.ranged else {starts[0]: 0}
        )
        self.cls = [0] * len(self.c.counts)  # group -> class
        self.steps: list[Step] = []
        self.order = _zero_cost(election, ranks)
        self.spent = 0
        # project -> (purchases so far, its count, its prices at each end)
        self.memo: dict[int, tuple[int, Counter, dict]] = {}
        self.first_purchase = len(self.order)  # zero-cost projects come first
        self.hint: Fraction | None = None  # see MesRun.hint

    def initial_heap(self) -> list[tuple[Key, int, int]]:
        c = self.c
        heap = [
            (rho_key(c.costs[p], c.total_weight[p] * self.unit(p)), self.ranks[p], p)
            for p in candidates(self.election)
        ]
        heapq.heapify(heap)
        return heap

    def run_exact(self, heap: list | None = None) -> MesRun:
        """A run at one share; `heap` (lower bounds of rho) to go on with."""
        c, budget = self.c, self.election.budget
        if self.trace:
            for p in self.order:
                self.steps.append(Step("zero_cost", c.ids[p], budget, {"cost": 0}))
        if not c.num_voters:
            return MesRun(tuple(self.order), 0, tuple(self.steps))
        if heap is None:
            heap = self.initial_heap()
        while heap:
            _, rank, p = heapq.heappop(heap)
            counted = self.count(p)
            found = self.price(p, counted, 0)
            if found is None:  # its supporters cannot pay for it any more
                if self.trace:
                    detail = {"cost": c.costs[p]}
                    remaining = budget - self.spent
                    self.steps.append(
                        Step("mes_unaffordable", c.ids[p], remaining, detail)
                    )
                continue
            key = self.key(p, found, 0)
            if heap and (key, rank) > heap[0][:2]:
                heapq.heappush(heap, (key, rank, p))
                continue
            if self.trace:
                self.note_ties(heap, key, p)
            self.buy(p, counted, [found])
        return MesRun(tuple(self.order), self.spent, tuple(self.steps))

    def run_range(self, fallback: bool) -> MesRun | None:
        """Range mode: end 0 is the lowest share, end 1 the highest."""
        if not self.c.num_voters:
            return MesRun(tuple(self.order), 0, ())
        heap = self.initial_heap()  # keys: lower bounds of rho at end 1
        while heap:
            _, rank, p = heapq.heappop(heap)
            counted = self.count(p)
            cheap = self.price(p, counted, 1)
            if cheap is None:  # unaffordable at the highest share, so everywhere
                continue
            key = self.key(p, cheap, 1)  # its lowest rho over the range
            if heap and (key, rank) > heap[0][:2]:
                heapq.heappush(heap, (key, rank, p))
                continue
            dear = self.price(p, counted, 0)
            if dear is None:  # affordable for a part of the range only
                self.hint = self.affordable_from(p, counted, cheap)
            if dear is None or not self.stays_behind(
                heap, (self.key(p, dear, 0), rank), p, counted, key
            ):  # not proven ahead all over the range
                if not fallback:
                    return None
                heapq.heappush(heap, (key, rank, p))
                return self.go_on_at_lowest(heap)
            clean = dear.rich == cheap.rich and all(map(self.affine_key, counted))
            convex = all(
                self.concave[key[0] if self.points else key] for key in counted
            )
            self.buy(p, counted, [dear, cheap], clean=clean, convex=convex)
        return MesRun(tuple(self.order), self.spent, ())

    def stays_behind(
        self,
        heap: list,
        bound: tuple[Key, int],
        p: int,
        counted: Counter,
        cheapest: Key,
    ) -> bool:
        """Whether every other project q stays behind p all over the range.

        Either q's lowest rho (at the highest share) is above p's highest (ties
        by rank); or q has the same supporters and cost (the same rho); or p's
        rho lies below an affine upper bound (`upper_line`), and an affine lower
        bound of q's rho is above it at both ends. Refines the heap's lower
        bounds in place. On failure, sets `hint` where p and the project that
        could not be shown behind it would swap places, the prices of both
        taken as affine between the ends.
        """
        aside = []
        rank_p = self.ranks[p]
        chord: tuple[Key, Key] | None = None
        while heap and heap[0][:2] < bound:
            _, rank, q = heapq.heappop(heap)
            found = self.count(q)
            cheap = self.price(q, found, 1)
            if cheap is None:  # unaffordable everywhere from now on
                continue
            entry = (self.key(q, cheap, 1), rank, q)
            if entry[:2] >= bound:
                heapq.heappush(heap, entry)
                continue
            aside.append(entry)
            if found == counted and self.c.costs[q] == self.c.costs[p]:
                continue  # twins: the same rho everywhere, the rank decides
            if chord is None:
                chord = self.upper_line(p, counted, bound[0])
                if chord is None:
                    for entry in aside:
                        heapq.heappush(heap, entry)
                    return False
            lines = [self.lower_line(q, found, cheap)]  # q's rich split at each end
            dear = self.price(q, found, 0)
            if dear is not None:
                lines.append(self.lower_line(q, found, dear))
            if not any(
                (line[0], rank) > (chord[0], rank_p)
                and (line[1], rank) > (chord[1], rank_p)
                for line in lines
            ):
                if dear is not None:
                    ahead_low = self.key(q, dear, 0)[1] - bound[0][1]
                    self.hint = _crossing(ahead_low, entry[0][1] - cheapest[1])
                for entry in aside:
                    heapq.heappush(heap, entry)
                return False
        for entry in aside:
            heapq.heappush(heap, entry)
        return True

    def affordable_from(
        self, p: int, counted: Counter, cheap: _Price
    ) -> Fraction | None:
        """Where p's supporters, short of its cost at the lowest share and not
        at the highest, would hold it, their money taken as affine between."""
        low = sum(
            self.amounts[0][key[0] if self.points else key] * m
            for key, m in counted.items()
        )
        short = self.c.costs[p] - Fraction(low, self.scales[0])
        gained = Fraction(cheap.money, self.scales[1]) - Fraction(low, self.scales[0])
        return short / gained if gained > 0 else None

    def go_on_at_lowest(self, heap: list) -> MesRun:
        """Drop the highest share and finish the run at the lowest one. Every
        key in the heap, a lower bound of rho at the highest share, is one at
        the lowest too (rho falls as the share grows)."""
        self.ranged = False
        self.amounts, self.scales = self.amounts[:1], self.scales[:1]
        self.class_of = {}
        self.memo = {}
        result = self.run_exact(heap)
        return MesRun(result.order, result.spent, (), partial=True, hint=self.hint)

    def affine_key(self, key) -> bool:
        return self.affine[key[0] if self.points else key]

    def upper_line(
        self, p: int, counted: Counter, low_end: Key
    ) -> tuple[Key, Key] | None:
        """An affine upper bound of p's rho over the range, at both ends.

        Give each class whose amounts are concave the chord of its amounts (an
        affine lower bound) and any other its amount at the lowest share
        throughout (amounts grow with the share): rho can only rise. With every
        amount affine, rho is
        convex in the share (the lower boundary of a convex set), so below the
        chord between its ends: rho at the lowest share (`low_end`) and this
        modified rho at the highest. None if it is unaffordable there.
        """
        held = []  # (amount per unit of utility, amount, utility), in cents
        for key, m in counted.items():
            k, w = key if self.points else (key, 1)
            end = 1 if self.concave[k] else 0
            amount = Fraction(self.amounts[end][k], self.scales[end])
            if amount:
                held.append((amount / w, amount * m, w * m))
        held.sort()
        rest = Fraction(self.c.costs[p])
        if sum(item[1] for item in held) < rest:
            return None
        weight = sum(item[2] for item in held)
        for ratio, amount, wanted in held:
            if rest <= ratio * weight:
                break
            rest -= amount
            weight -= wanted
        rho = rest / (weight * self.unit(p))
        return low_end, rho_key(rho.numerator, rho.denominator)

    def lower_line(self, p: int, counted: Counter, found: _Price) -> tuple[Key, Key]:
        """An affine lower bound of p's rho over the range, at both ends: rho if
        the supporters outside `found.rich` paid all they hold. A class whose
        amounts are not affine counts with its amount at the highest share, an
        upper bound since amounts grow with the share."""
        poor = [key for key in counted if key not in found.rich]
        ends = []
        for end, amounts in enumerate(self.amounts):
            held = Fraction(0)  # cents
            for key in poor:
                k = key[0] if self.points else key
                if self.affine[k]:
                    held += Fraction(amounts[k] * counted[key], self.scales[end])
                else:
                    held += Fraction(self.amounts[1][k] * counted[key], self.scales[1])
            rho = (self.c.costs[p] - held) / (found.weight * self.unit(p))
            ends.append(rho_key(rho.numerator, rho.denominator))
        return ends[0], ends[1]

    def unit(self, p: int) -> int:
        """Divisor turning a price per unit of utility in cents into rho."""
        return self.c.costs[p] if self.by_cost else 1

    def key(self, p: int, found: _Price, end: int) -> Key:
        return rho_key(found.rest, found.weight * self.scales[end] * self.unit(p))

    def count(self, p: int) -> Counter:
        """Supporters of p per class (per class and points, for cumulative).

        One C-level Counter over the voters, or a loop over the ballot groups
        when they hold many voters each (cheaper then). Kept until the next
        purchase: a project is often counted twice in a round."""
        kept = self.memo.get(p)
        if kept is not None and kept[0] == len(self.order):
            return kept[1]
        if len(self.order) == self.first_purchase:  # every voter in class 0
            counted = self.count_at_start(p)
        else:
            counted = self.count_now(p)
        self.memo[p] = (len(self.order), counted, {})
        return counted

    def count_at_start(self, p: int) -> Counter:
        """`count_now` before any purchase, the same in every run: kept with
        the election."""
        starts = self.election.cache.setdefault(("mes_start_counts", self.points), {})
        counted = starts.get(p)
        if counted is None:
            counted = starts[p] = self.count_now(p)
        return counted

    def count_now(self, p: int) -> Counter:
        c, cls = self.c, self.cls
        if len(c.expanded[p]) > 4 * len(c.supporters[p]):
            groups = c.supporters[p]
            keys = map(cls.__getitem__, groups)
            if self.points:
                keys = zip(keys, c.supporter_weights[p], strict=True)
            counted: dict = {}
            get = counted.get
            for key, m in zip(keys, map(c.counts.__getitem__, groups), strict=True):
                counted[key] = get(key, 0) + m
            return Counter(counted)
        if self.points:
            classes = map(cls.__getitem__, c.expanded[p])
            return Counter(zip(classes, c.weights[p], strict=True))
        return Counter(map(cls.__getitem__, c.expanded[p]))

    def price(self, p: int, counted: Counter, end: int) -> _Price | None:
        """`price_now`, kept with the count until the next purchase."""
        kept = self.memo.get(p)
        if kept is None or kept[1] is not counted:
            return self.price_now(p, counted, end)
        prices = kept[2]
        if end not in prices:
            prices[end] = self.price_now(p, counted, end)
        return prices[end]

    def price_now(self, p: int, counted: Counter, end: int) -> _Price | None:
        """The smallest price at which p's supporters pay its cost at one end;
        None if they cannot.

        The price is (cost - what the poor hold) / (utility of the others),
        the poor being the classes holding less than the price per unit of
        utility. Starting from every class paying in full, each pass moves the
        classes below the current price to the poor: the price only rises, the
        poor only grow, and the pass that adds none has found it."""
        amounts = self.amounts[end]
        cost = self.c.costs[p] * self.scales[end]
        keys = list(counted)
        many = list(counted.values())
        if self.points:
            utilities = [w for _, w in keys]
            held = list(map(amounts.__getitem__, (k for k, _ in keys)))
            wanted = list(map(mul, utilities, many))
        else:
            held = list(map(amounts.__getitem__, keys))
            wanted = many
        money = list(map(mul, held, many))
        total = sum(money)
        if total < cost:
            return None
        rest, weight, poor = cost, sum(wanted), 0
        while True:
            if self.points:
                below = [
                    i
                    for i, (v, w) in enumerate(zip(held, utilities, strict=True))
                    if v * weight < rest * w
                ]
            else:
                below = [i for i, v in enumerate(held) if v * weight < rest]
            if len(below) == poor:  # the poor only grow: the same set
                break
            poor = len(below)
            rest = cost - sum(map(money.__getitem__, below))
            weight = sum(wanted) - sum(map(wanted.__getitem__, below))
        assert weight > 0, "money >= cost always leaves a paying supporter"
        rich: frozenset = frozenset()
        if self.ranged:
            rich = frozenset(keys).difference(map(keys.__getitem__, below))
        return _Price(rest, weight, rich, total)

    def note_ties(self, heap: list, key: Key, p: int) -> None:
        tied = []
        for _, _, q in sorted(entry for entry in heap if entry[0] == key):
            found = self.price(q, self.count(q), 0)
            if found is not None and self.key(q, found, 0) == key:
                tied.append(self.c.ids[q])
        if tied:
            detail = {"against": ",".join(tied), "tie_break": self.tie_break_name}
            remaining = self.election.budget - self.spent
            self.steps.append(Step("tie_broken", self.c.ids[p], remaining, detail))

    def buy(
        self,
        p: int,
        counted: Counter,
        prices: list[_Price],
        clean: bool = True,
        convex: bool = True,
    ) -> None:
        """Each supporter pays min(amount, rho x utility); classes move together."""
        if not self.ranged:
            self.buy_exact(p, counted, prices[0])
            return
        dues = []
        rescaled = False
        for end, found in enumerate(prices):
            factor = found.weight // gcd(found.rest, found.weight)
            if factor > 1:  # a smaller unit, so that the price is a whole number
                self.scales[end] *= factor
                self.amounts[end] = [v * factor for v in self.amounts[end]]
                rescaled = True
            dues.append(found.rest * factor // found.weight)
        amounts = self.amounts
        if rescaled:  # old keys are stale: keep merging into the classes of 0
            self.class_of = {
                key: k for key, k in self.class_of.items() if not any(key[:-2])
            }
        class_of = self.class_of
        remap = {}
        low, high = amounts
        due_low, due_high = dues
        rich_low, rich_high = prices[0].rich, prices[1].rich
        affine, concave, points = self.affine, self.concave, self.points
        for key in counted:
            k, w = key if points else (key, 1)
            flag = clean and affine[k]
            # rho convex (affine amounts: a rho), amount - rho x utility concave,
            # and not below 0 at either end, so nowhere: it stays concave.
            bent = flag or (
                convex and concave[k] and key in rich_low and key in rich_high
            )
            v, u = low[k], high[k]
            new = (
                v - due_low * w if v >= due_low * w else 0,
                u - due_high * w if u >= due_high * w else 0,
                flag,
                bent,
            )
            target = class_of.get(new)
            if target is None:
                target = class_of[new] = len(low)
                low.append(new[0])
                high.append(new[1])
                affine.append(flag)
                concave.append(bent)
            remap[key] = target
        self.reclassify(p, remap)
        self.bought(p, dues[0], 0, 0)  # no trace for a range

    def buy_exact(self, p: int, counted: Counter, found: _Price) -> None:
        """`buy` at a single share: classes are keyed by their amount alone."""
        factor = found.weight // gcd(found.rest, found.weight)
        amounts = self.amounts[0]
        if factor > 1:  # a smaller unit, so that the price is a whole number
            self.scales[0] *= factor
            amounts = self.amounts[0] = [v * factor for v in amounts]
            self.class_of = {}
        due = found.rest * factor // found.weight
        class_of = self.class_of
        remap = {}
        in_full = all_left = 0
        points, trace = self.points, self.trace
        for key, m in counted.items():
            k, w = key if points else (key, 1)
            v = amounts[k]
            new = v - due * w
            if new < 0:
                new = 0
                if trace and v:
                    all_left += m
            elif trace:
                in_full += m
            target = class_of.get(new)
            if target is None:
                target = class_of[new] = len(amounts)
                amounts.append(new)
            remap[key] = target
        self.reclassify(p, remap)
        self.bought(p, due, in_full, all_left)

    def reclassify(self, p: int, remap: dict) -> None:
        """Move p's supporters to the classes `remap` gives (keyed by class, or
        by (class, weight) with points)."""
        cls, c = self.cls, self.c
        if self.points:
            for g, w in zip(c.supporters[p], c.supporter_weights[p], strict=True):
                cls[g] = remap[(cls[g], w)]
        else:
            for g in c.supporters[p]:
                cls[g] = remap[cls[g]]

    def bought(self, p: int, due: int, in_full: int, all_left: int) -> None:
        """Record the purchase (and its trace step): `due` units per utility."""
        c = self.c
        self.order.append(p)
        self.spent += c.costs[p]
        if self.trace:
            step = _purchase_step(
                self.election,
                p,
                price=Fraction(due, self.scales[0]),
                unit=self.unit(p),
                in_full=in_full,
                all_left=all_left,
                spent=self.spent,
            )
            self.steps.append(step)


def mes(election: Election, *, tie_break: TieBreak, rule: str = "mes") -> Outcome:
    """MES without completion (pabutools' `method_of_equal_shares`)."""
    utility = utility_for(election, rule)
    result = run(
        election,
        utility,
        ranks=tie_break.ranks(election),
        trace=True,
        tie_break_name=tie_break.name,
    )
    ids = election.compiled.ids
    selected = tuple(ids[p] for p in result.order)
    return Outcome(rule, selected, result.spent, result.steps, tie_break.name)
