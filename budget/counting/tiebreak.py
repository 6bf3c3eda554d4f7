"""Tie-breaking rules, fixed before the vote and published with the result.

A tie-break turns an election into a total order of its projects: `ranks(election)`
gives each project a rank, 0 winning every tie. Rules compare (score, rank), so the
tie-break only ever decides between projects whose scores are exactly equal.

- `lexicographic()`: project id as a string, ascending ("10" before "9"); this is
  what pabutools does, so it reproduces the reference outcomes.
- `chain(*criteria)`: criteria applied in turn, the id as a last resort, e.g.
  equalshares.net's `chain(lowest_cost(), most_votes(), lottery(seed="2026-06-30"))`.
- `lottery(seed)`: an order drawn in advance from a published seed, by
  `sha256(f"{seed}:{project}")`, so anyone can recompute it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from budget.counting.types import Election

Key = Callable[[Election], Callable[[int], Any]]  # project index -> sort key


class TieBreak(Protocol):
    @property
    def name(self) -> str: ...

    def ranks(self, election: Election) -> tuple[int, ...]:
        """Rank of each project (by index in `election.projects`), 0 wins ties."""
        ...


@dataclass(frozen=True)
class Criterion:
    """One comparison of a chain; a smaller key wins."""

    name: str
    key: Key


@dataclass(frozen=True)
class Chain:
    """Criteria in turn, then the project id (so the order is always total)."""

    criteria: tuple[Criterion, ...]

    @property
    def name(self) -> str:
        return ">".join(c.name for c in self.criteria) or "lexico"

    def ranks(self, election: Election) -> tuple[int, ...]:
        cached = election.cache.get(("ranks", self))
        if cached is None:
            keys = [criterion.key(election) for criterion in self.criteria]
            order = sorted(
                range(len(election.projects)),
                key=lambda i: (*(key(i) for key in keys), election.projects[i].id),
            )
            ranks = [0] * len(order)
            for rank, i in enumerate(order):
                ranks[i] = rank
            cached = election.cache[("ranks", self)] = tuple(ranks)
        return cached


def lexicographic() -> Chain:
    """Project ids compared as strings, smallest first (pabutools' default)."""
    return Chain(())


def _lowest_cost(election: Election) -> Callable[[int], Any]:
    return lambda i: election.projects[i].cost


def _most_votes(election: Election) -> Callable[[int], Any]:
    votes = approval_counts(election)
    return lambda i: -votes[i]


def lowest_cost() -> Criterion:
    """The cheaper project wins."""
    return Criterion("lowest_cost", _lowest_cost)


def most_votes() -> Criterion:
    """The project on more ballots wins (cumulative: ballots giving it points)."""
    return Criterion("most_votes", _most_votes)


def lottery(*, seed: str) -> Criterion:
    """A lot drawn in advance: smallest sha256(f"{seed}:{project id}") wins."""

    def key(election: Election) -> Callable[[int], Any]:
        import hashlib  # here: OpenSSL costs 3.5 MiB, most counts need no lot

        ids = [p.id for p in election.projects]
        return lambda i: hashlib.sha256(f"{seed}:{ids[i]}".encode()).hexdigest()

    return Criterion(f"lottery({seed})", key)


def chain(*criteria: Criterion) -> Chain:
    """Apply `criteria` in order; remaining ties go to the smaller project id."""
    return Chain(tuple(criteria))


def approval_counts(election: Election) -> Sequence[int]:
    """Number of voters listing each project (with positive points if cumulative)."""
    return election.compiled.approval_count


CRITERIA: dict[str, Callable[[], Criterion]] = {
    "lowest-cost": lowest_cost,
    "most-votes": most_votes,
}


class TieBreakError(ValueError):
    """An unknown tie-break specification."""


def parse(spec: str) -> Chain:
    """A tie-break from its command-line spelling: "lexico", or a comma-separated
    chain of "lowest-cost", "most-votes", "lottery:SEED" (ids settle what is left)."""
    if spec in {"lexico", "lexicographic", ""}:
        return lexicographic()
    criteria = []
    for part in spec.split(","):
        name, _, seed = part.strip().partition(":")
        if name == "lottery" and seed:
            criteria.append(lottery(seed=seed))
        elif name in CRITERIA and not seed:
            criteria.append(CRITERIA[name]())
        else:
            known = "lexico, lowest-cost, most-votes, lottery:SEED"
            raise TieBreakError(f"unknown tie-break {part!r} (known: {known})")
    return chain(*criteria)
