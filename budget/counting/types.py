"""The data the counting rules read and write: elections, ballots, outcomes, steps.

Money is integer cents, shares and ratios are `fractions.Fraction`; nothing here is a
float. Every class is a frozen dataclass, so an `Election` can be hashed, compared and
shared between rules; identical ballots are merged into one `Ballot` with a `count`.

Besides its public fields, an `Election` carries a compact view built once when it is
created (project indices, ballots as index tuples) that the rules use to stay fast;
it takes no part in equality.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any


class VoteType(StrEnum):
    """The ballot formats of Pabulib that Agora counts."""

    APPROVAL = "approval"
    CHOOSE_1 = "choose-1"  # one project per ballot, counted as approval
    CUMULATIVE = "cumulative"  # points spread over projects
    ORDINAL = "ordinal"  # a ranking, best first


def _frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class Project:
    """A project put to the vote.

    `id` is a string (never a number: "OGM/0015", "c13"); `cost` is in cents;
    `fields` keeps the other non-empty PROJECTS columns (name, category...) verbatim.
    """

    id: str
    cost: int
    fields: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not self.id or self.id != self.id.strip() or "," in self.id:
            raise ValueError(f"project id {self.id!r}: empty, padded or with a comma")
        if self.cost < 0:
            raise ValueError(f"project {self.id!r}: negative cost")
        object.__setattr__(self, "fields", _frozen_mapping(self.fields))


@dataclass(frozen=True, order=True)
class Ballot:
    """One distinct ballot and how many voters cast it.

    `projects` is the set of approved projects sorted by id (approval, choose-1), the
    ranking best first (ordinal), or the projects given points sorted by id
    (cumulative), with `points` aligned to them; a project appears at most once.
    """

    projects: tuple[str, ...]
    points: tuple[int, ...] = ()
    count: int = 1


@dataclass(frozen=True)
class Compiled:
    """Index view of an election, built once when it is created, for the rules.

    Projects are numbered in `ids` order (sorted by id). `groups` holds one entry
    per distinct ballot: (count, project indices, points), points being () except
    for cumulative ballots. The approval view (what `phragmen` and `mes` read) keeps
    the projects a group ranks, approves, or gives points above 0. `expanded[p]`
    repeats each supporting group once per voter, so that counting voters by some
    group property is one `collections.Counter` call; `weights[p]` is aligned with
    it and holds the points given (cumulative only, else empty).
    """

    ids: tuple[str, ...]
    costs: tuple[int, ...]
    index: Mapping[str, int]
    groups: tuple[tuple[int, tuple[int, ...], tuple[int, ...]], ...]
    counts: tuple[int, ...]  # voters per group
    num_voters: int
    approvals: tuple[tuple[int, ...], ...]  # approval view of each group
    supporters: tuple[tuple[int, ...], ...]  # groups approving each project
    supporter_weights: tuple[tuple[int, ...], ...]  # points, aligned; () if none
    approval_count: tuple[int, ...]  # voters approving each project
    expanded: tuple[tuple[int, ...], ...]
    weights: tuple[tuple[int, ...], ...]
    total_weight: tuple[int, ...]  # points given to it, or its approval count


def _compile(
    projects: tuple[Project, ...], ballots: tuple[Ballot, ...], points: bool
) -> Compiled:
    ids = tuple(p.id for p in projects)
    index = {pid: i for i, pid in enumerate(ids)}
    groups = tuple(
        (b.count, tuple(index[p] for p in b.projects), b.points) for b in ballots
    )
    counts = tuple(b.count for b in ballots)
    approvals = tuple(
        tuple(p for j, p in enumerate(members) if pts[j] > 0) if pts else members
        for _, members, pts in groups
    )
    supporters: list[list[int]] = [[] for _ in ids]
    given: list[list[int]] = [[] for _ in ids]
    for g, (_, members, pts) in enumerate(groups):
        for j, p in enumerate(members):
            if not pts:
                supporters[p].append(g)
            elif pts[j] > 0:
                supporters[p].append(g)
                given[p].append(pts[j])
    expanded = tuple(tuple(g for g in s for _ in range(counts[g])) for s in supporters)
    weights: tuple[tuple[int, ...], ...] = tuple(() for _ in ids)
    approval_count = tuple(map(len, expanded))
    total_weight = approval_count
    if points:
        weights = tuple(
            tuple(w for g, w in zip(s, ws, strict=True) for _ in range(counts[g]))
            for s, ws in zip(supporters, given, strict=True)
        )
        total_weight = tuple(map(sum, weights))
    return Compiled(
        ids=ids,
        costs=tuple(p.cost for p in projects),
        index=MappingProxyType(index),
        groups=groups,
        counts=counts,
        num_voters=sum(counts),
        approvals=approvals,
        supporters=tuple(map(tuple, supporters)),
        supporter_weights=tuple(map(tuple, given)) if points else weights,
        approval_count=approval_count,
        expanded=expanded,
        weights=weights,
        total_weight=total_weight,
    )


@dataclass(frozen=True)
class Election:
    """A participatory budgeting vote, ready to count.

    `budget` is in cents; `projects` sorted by id; `ballots` merged and sorted, so two
    elections with the same votes in another order are equal. `meta` keeps every
    META key of a Pabulib file verbatim (informative only: the rules read `budget`,
    `vote_type`, `projects` and `ballots`).
    """

    budget: int
    vote_type: VoteType
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    meta: Mapping[str, str] = field(default_factory=dict, hash=False)
    compiled: Compiled = field(init=False, repr=False, compare=False, hash=False)
    cache: dict[Any, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "vote_type", VoteType(self.vote_type))
        if self.budget < 0:
            raise ValueError("negative budget")
        projects = tuple(sorted(self.projects, key=lambda p: p.id))
        ids = tuple(p.id for p in projects)
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate project id")
        index = {pid: i for i, pid in enumerate(ids)}
        merged: dict[tuple[tuple[str, ...], tuple[int, ...]], int] = {}
        for ballot in self.ballots:
            key = _normalise(ballot, self.vote_type, index)
            if ballot.count < 0:
                raise ValueError("negative ballot count")
            if ballot.count:
                merged[key] = merged.get(key, 0) + ballot.count
        ballots = tuple(
            sorted(Ballot(p, pts, c) for (p, pts), c in merged.items() if c)
        )
        object.__setattr__(self, "projects", projects)
        object.__setattr__(self, "ballots", ballots)
        object.__setattr__(self, "meta", _frozen_mapping(self.meta))
        points = self.vote_type is VoteType.CUMULATIVE
        object.__setattr__(self, "compiled", _compile(projects, ballots, points))

    @property
    def num_voters(self) -> int:
        """Number of ballots cast, empty ones included (MES divides B by it)."""
        return self.compiled.num_voters

    def project(self, project_id: str) -> Project:
        return self.projects[self.compiled.index[project_id]]


def _normalise(
    ballot: Ballot, vote_type: VoteType, index: Mapping[str, int]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Canonical (projects, points) of a ballot; refuse unknown or repeated projects."""
    for pid in ballot.projects:
        if pid not in index:
            raise ValueError(f"ballot names unknown project {pid!r}")
    if len(set(ballot.projects)) != len(ballot.projects):
        raise ValueError("a ballot names a project twice")
    if vote_type is VoteType.CUMULATIVE:
        if len(ballot.points) != len(ballot.projects):
            raise ValueError("cumulative ballot: points and projects differ in length")
        if any(p < 0 for p in ballot.points):
            raise ValueError("cumulative ballot: negative points")
        pairs = sorted(zip(ballot.projects, ballot.points, strict=True))
        return tuple(p for p, _ in pairs), tuple(v for _, v in pairs)
    if ballot.points:
        raise ValueError(f"{vote_type} ballot with points")
    if vote_type is VoteType.ORDINAL:
        return tuple(ballot.projects), ()
    return tuple(sorted(ballot.projects)), ()


@dataclass(frozen=True)
class Step:
    """One decision of a rule, for the published explanation.

    `code` says what happened (see `STEP_CODES`); `project` is the project concerned
    ("" when none); `remaining` is the money left in cents after the step; `detail`
    holds the numbers behind the decision (never sentences): see `explain.py`.
    """

    code: str
    project: str
    remaining: int
    detail: Mapping[str, int | str | Fraction] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", MappingProxyType(dict(self.detail)))


# The step codes the rules emit, and the keys their `detail` may hold.
STEP_CODES: Mapping[str, str] = MappingProxyType(
    {
        # greedy, greedy-per-cost, greedy completion
        "selected": "funded; detail: score (votes or points), cost, [per_cost]",
        "skipped": "does not fit in what is left; detail: score, cost",
        # mes, mes-card, mes-add1
        "mes_selected": (
            "bought by its supporters; detail: cost, rho (price per unit of "
            "utility), price (what a supporter paying in full pays), supporters, "
            "paid_in_full, paid_all_left (supporters giving all they had left)"
        ),
        "zero_cost": "a supported project of cost 0, taken first; detail: cost",
        "mes_unaffordable": (
            "its supporters cannot pay for it any more; detail: cost, supporters_money"
        ),
        "add1_budget": (
            "final per-voter budget of Add1; detail: per_voter (cents), increments, "
            "runs (MES runs computed)"
        ),
        "completion": "start of the greedy completion; detail: none",
        # phragmen
        "phragmen_selected": "funded; detail: cost, load (new load of its voters)",
        "phragmen_stop": "the next project does not fit; detail: cost, load",
        # any rule
        "tie_broken": (
            "the tie-break decided between equal projects; detail: against "
            "(comma-separated ids), tie_break (its name)"
        ),
    }
)


@dataclass(frozen=True)
class Outcome:
    """What a rule decided: the selected project ids in selection order, their total
    cost in cents, and the trace of steps explaining it."""

    rule: str
    selected: tuple[str, ...]
    total_cost: int
    steps: tuple[Step, ...] = ()
    tie_break: str = "lexicographic"
