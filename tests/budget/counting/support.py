"""Helpers for the counting tests: where the Pabulib samples live, and naive
reference implementations written straight from the rules' definitions.

The data sits beside the repository (`../shared/pabulib`, as CI clones it) or
where PABULIB_DIR points. Missing data skips locally and fails in CI.
"""

import functools
import json
import os
from fractions import Fraction
from pathlib import Path

import pytest

from budget.counting.pabulib import read_path
from budget.counting.types import Ballot, Election, Project, VoteType

ROOT = Path(__file__).resolve().parents[3]
PABULIB = Path(os.environ.get("PABULIB_DIR") or ROOT.parent / "shared" / "pabulib")
EXPECTED = PABULIB / "expected.json"
INSTANCES = PABULIB / "instances"

# Instances with more than 10,000 voters: marked slow (they run in CI).
LARGE = {
    "France_Toulouse_2022",
    "Hungary_Budapest_2024",
    "Poland_Czestochowa_2020",
    "Poland_Katowice_2020",
    "Poland_Krakow_2024",
    "Poland_Lodz_2022",
    "Poland_Warszawa_2026",
    "syn_approval_m100_n100000_s1",
    "syn_approval_m200_n20000_s5",
    "syn_cumulative_m50_n50000_s3",
    "syn_ordinal_m100_n50000_s4",
}


def require_data() -> None:
    """Skip when the Pabulib samples are missing, or fail if running in CI."""
    if EXPECTED.is_file() and INSTANCES.is_dir():
        return
    message = f"Pabulib samples not found in {PABULIB} (set PABULIB_DIR)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def expected() -> dict:
    """expected.json, or {} when missing (the tests then skip or fail)."""
    if not EXPECTED.is_file():
        return {}
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def instance_names() -> list[str]:
    """Every instance of the samples, or one placeholder that skips or fails."""
    names = sorted(expected())
    return names or ["<missing data>"]


def instance_param(name: str):
    marks = [pytest.mark.slow] if name in LARGE else []
    return pytest.param(name, marks=marks, id=name)


@functools.lru_cache(maxsize=4)
def load(name: str) -> Election:
    """An instance, parsed once per test session (the last few are kept)."""
    require_data()
    return read_path(INSTANCES / f"{name}.pb")


def voters(election: Election) -> list[dict[str, int]]:
    """One utility map per voter (project id -> points; 1 for an approval)."""
    result = []
    for ballot in election.ballots:
        if election.vote_type is VoteType.CUMULATIVE:
            pairs = zip(ballot.projects, ballot.points, strict=True)
            utility = {p: v for p, v in pairs if v > 0}
        else:
            utility = dict.fromkeys(ballot.projects, 1)
        result += [utility] * ballot.count
    return result


def naive_mes(
    election: Election, *, card: bool = False, per_voter: Fraction | None = None
) -> list[str]:
    """MES from its definition, voter by voter, with plain Fractions.

    Utility: the cost (approval), 1 (card), the points (cumulative). Ties by id.
    """
    people = voters(election)
    if not people:
        return []
    budget = [per_voter or Fraction(election.budget, len(people))] * len(people)
    cost = {p.id: p.cost for p in election.projects}
    chosen = sorted(p for p in cost if cost[p] == 0 and any(p in u for u in people))
    left = {p for p in cost if cost[p] > 0 and any(p in u for u in people)}

    def utility(u: dict[str, int], p: str) -> int:
        if election.vote_type is VoteType.CUMULATIVE:
            return u[p]
        return 1 if card else cost[p]

    while True:
        best = None
        for p in sorted(left):
            supporters = [i for i, u in enumerate(people) if p in u]
            if sum(budget[i] for i in supporters) < cost[p]:
                continue
            order = sorted(supporters, key=lambda i: budget[i] / utility(people[i], p))
            rest, weight = Fraction(cost[p]), sum(utility(people[i], p) for i in order)
            for i in order:
                rho = rest / weight
                if rho * utility(people[i], p) <= budget[i]:
                    break
                rest -= budget[i]
                weight -= utility(people[i], p)
            if best is None or rho < best[0]:
                best = (rho, p, supporters)
        if best is None:
            return chosen
        rho, p, supporters = best
        for i in supporters:
            budget[i] -= min(budget[i], rho * utility(people[i], p))
        chosen.append(p)
        left.discard(p)


def election_of(
    budget: int,
    vote_type: VoteType,
    costs: dict[str, int],
    ballots: list[tuple[tuple[str, ...], tuple[int, ...], int]],
    **meta: str,
) -> Election:
    """An election written compactly: costs by project id (in that order), each
    ballot as (project ids, points, count)."""
    return Election(
        budget=budget,
        vote_type=vote_type,
        projects=tuple(Project(pid, cost) for pid, cost in costs.items()),
        ballots=tuple(Ballot(*ballot) for ballot in ballots),
        meta=meta,
    )
