"""Run one counting rule with pabutools 1.2.3 and print one JSON line.

Run by the benchmark's own virtualenv (``benchmarks/.venv-pabutools``), never by
the project's Python: pabutools is not a dependency of Agora. The calls are the
ones that produced ``shared/pabulib/expected.json`` (see "How the expected
outcomes were produced" in its README): ``parse_pabulib``, rules on
``profile.as_multiprofile()``, default lexicographic tie-breaking, exact
(gmpy2) fractions.

    python pabutools_runner.py FILE.pb --rule mes

``mes-add1`` and ``mes-add1-greedy`` come from one Add1 run (the completion
starts from its outcome): asking for either reports both, the completion's
seconds including the Add1 run's.
"""

import argparse
import sys
from importlib.metadata import version

from measure import ADD1, RULES, Timings, emit, stopwatch
from pabutools.election import (
    Additive_Cardinal_Sat,
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    Cardinality_Sat,
    Cost_Sat,
    parse_pabulib,
)
from pabutools.fractions import frac
from pabutools.rules import (
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)
from pabutools.rules.mes import mes_rule

# Above this many ballots the README's Add1 baseline limited the MES memo.
MEMO_LIMIT_VOTERS = 10_000


class PointsTimesCostSat(AdditiveSatisfaction):
    """Cumulative points x cost: greedy then sorts by total points."""

    def __init__(self, instance, profile, ballot):
        AdditiveSatisfaction.__init__(
            self,
            instance,
            profile,
            ballot,
            lambda _inst, _prof, ballot, project, _pre: (
                ballot.get(project, 0) * project.cost
            ),
        )


def borda_times_cost(_inst, _prof, ballot, project, _pre):
    if project not in ballot:
        return 0
    return (len(ballot) - ballot.position(project)) * project.cost


class BordaTimesCostSat(AdditiveSatisfaction):
    """(len(ballot) - position) x cost: greedy then sorts by total Borda points."""

    def __init__(self, instance, profile, ballot):
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, borda_times_cost)


# vote type -> satisfaction of each rule ("add1" is MES Add1, "completion" the
# greedy walk after it)
SATISFACTIONS: dict[str, dict[str, type]] = {
    "approval": {
        "greedy": Cost_Sat,
        "greedy-per-cost": Cardinality_Sat,
        "mes": Cost_Sat,
        "mes-card": Cardinality_Sat,
        "add1": Cost_Sat,
        "completion": Cost_Sat,
    },
    "cumulative": {
        "greedy": PointsTimesCostSat,
        "greedy-per-cost": Additive_Cardinal_Sat,
        "mes": Additive_Cardinal_Sat,
        "add1": Additive_Cardinal_Sat,
        "completion": PointsTimesCostSat,
    },
    "ordinal": {
        "greedy": BordaTimesCostSat,
        "mes": Cost_Sat,
        "mes-card": Cardinality_Sat,
        "add1": Cost_Sat,
        "completion": Cost_Sat,
    },
}


def limit_mes_memo() -> None:
    """Keep pabutools' MES memo for each voter's current budget only.

    ``MESVoter.budget_over_sat_map`` caches budget / satisfaction under the key
    (project, budget) and is never cleared. A voter's budget only falls during
    one MES run and every Add1 step restarts from a budget never seen before, so
    entries for another budget are never read again: keeping only the current
    budget's entries returns the very values the unpatched code returns (same
    outcome), while the memo stops growing at each Add1 step.
    """

    def budget_over_sat_project(self, proj):
        budget = self.budget
        # mpq values are immutable: a budget that changed is another object
        if self.memo_budget is not budget:
            self.budget_over_sat_map = {}
            self.memo_budget = budget
        res = self.budget_over_sat_map.get(proj)
        if res is None:
            res = frac(budget, self.sat.sat_project(proj))
            self.budget_over_sat_map[proj] = res
        return res

    mes_rule.MESVoter.memo_budget = None
    mes_rule.MESVoter.budget_over_sat_project = budget_over_sat_project


def vote_type(instance) -> str:
    kind = instance.meta["vote_type"]
    return "approval" if kind == "choose-1" else kind


def approval_view(instance, profile) -> ApprovalProfile:
    """Approval ballots for phragmen: ranked projects, or projects given points."""
    if vote_type(instance) == "cumulative":
        ballots = [
            ApprovalBallot(p for p, points in b.items() if points > 0) for b in profile
        ]
    else:
        ballots = [ApprovalBallot(b) for b in profile]
    return ApprovalProfile(ballots, instance=instance)


def outcome(allocation) -> tuple[list[str], str]:
    total = sum((p.cost for p in allocation), 0)
    return [p.name for p in allocation], str(total)


def run_rule(rule: str, instance, profile) -> Timings:
    """Time one rule (both Add1 outcomes for an Add1 rule)."""
    sats = SATISFACTIONS[vote_type(instance)]
    if rule not in {"phragmen", *ADD1, *sats}:
        sys.exit(f"{rule} is not offered for {vote_type(instance)} ballots")
    if rule == "phragmen":
        calls = {rule: lambda: sequential_phragmen(instance, profile)}
    elif rule in ADD1:
        add1, add1_seconds = stopwatch(
            lambda: method_of_equal_shares(
                instance, profile, sat_class=sats["add1"], voter_budget_increment=1
            )
        )
        completed, completion_seconds = stopwatch(
            lambda: greedy_utilitarian_welfare(
                instance,
                profile,
                sat_class=sats["completion"],
                initial_budget_allocation=add1,
            )
        )
        return {
            "mes-add1": (*outcome(add1), add1_seconds),
            "mes-add1-greedy": (
                *outcome(completed),
                add1_seconds + completion_seconds,
            ),
        }
    elif rule.startswith("greedy"):
        calls = {
            rule: lambda: greedy_utilitarian_welfare(
                instance, profile, sat_class=sats[rule]
            )
        }
    else:
        calls = {
            rule: lambda: method_of_equal_shares(
                instance, profile, sat_class=sats[rule]
            )
        }
    timings: Timings = {}
    for name, call in calls.items():
        allocation, seconds = stopwatch(call)
        timings[name] = (*outcome(allocation), seconds)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path")
    parser.add_argument("--rule", required=True, choices=RULES)
    parser.add_argument(
        "--memo",
        choices=("auto", "limited", "unlimited"),
        default="auto",
        help="MES memo for Add1: auto limits it above 10,000 ballots (README)",
    )
    args = parser.parse_args(argv)

    instance, profile = parse_pabulib(args.path)
    if args.rule == "phragmen" and vote_type(instance) != "approval":
        profile = approval_view(instance, profile)
    voters = len(profile)
    profile = profile.as_multiprofile()
    memo_limited = args.rule in ADD1 and (
        args.memo == "limited" or (args.memo == "auto" and voters > MEMO_LIMIT_VOTERS)
    )
    if memo_limited:
        limit_mes_memo()
    timings = run_rule(args.rule, instance, profile)
    emit(
        timings,
        engine="pabutools",
        version=version("pabutools"),
        python=sys.version.split()[0],
        memo_limited=memo_limited,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
