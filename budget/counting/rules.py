"""The counting rules by name, the contract shared by the CLI and the site.

`tally(election, rule, tie_break=...)` runs one rule and returns its `Outcome`.
Rule names: greedy, greedy-per-cost, mes, mes-card, mes-add1, mes-add1-greedy,
phragmen (see /work/shared/pabulib/README.md for their exact definitions).
`greedy-per-cost` is not offered for ordinal ballots, `mes-card` not for cumulative.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from budget.counting.add1 import add1, add1_greedy
from budget.counting.greedy import greedy
from budget.counting.mes import mes
from budget.counting.phragmen import phragmen
from budget.counting.tiebreak import TieBreak
from budget.counting.types import Election, Outcome, VoteType

Rule = Callable[..., Outcome]


def _greedy_per_cost(election: Election, *, tie_break: TieBreak) -> Outcome:
    return greedy(election, tie_break=tie_break, per_cost=True)


def _mes_card(election: Election, *, tie_break: TieBreak) -> Outcome:
    return mes(election, tie_break=tie_break, rule="mes-card")


RULES: Mapping[str, Rule] = MappingProxyType(
    {
        "greedy": greedy,
        "greedy-per-cost": _greedy_per_cost,
        "mes": mes,
        "mes-card": _mes_card,
        "mes-add1": add1,
        "mes-add1-greedy": add1_greedy,
        "phragmen": phragmen,
    }
)

NOT_OFFERED: Mapping[VoteType, frozenset[str]] = MappingProxyType(
    {
        VoteType.ORDINAL: frozenset({"greedy-per-cost"}),
        VoteType.CUMULATIVE: frozenset({"mes-card"}),
    }
)


class UnknownRuleError(ValueError):
    """A rule name that does not exist, or is not offered for the vote type."""


def check_known(rule: str) -> None:
    """Raise `UnknownRuleError` if no rule has this name."""
    if rule not in RULES:
        known = ", ".join(RULES)
        raise UnknownRuleError(f"unknown rule {rule!r} (known rules: {known})")


def offered(vote_type: VoteType) -> tuple[str, ...]:
    """The rules offered for a vote type, in the order of `RULES`."""
    return tuple(r for r in RULES if r not in NOT_OFFERED.get(vote_type, frozenset()))


def tally(election: Election, rule: str, *, tie_break: TieBreak) -> Outcome:
    """Count `election` with `rule`, ties broken by `tie_break`."""
    check_known(rule)
    if rule not in offered(election.vote_type):
        raise UnknownRuleError(
            f"rule {rule!r} is not offered for {election.vote_type} ballots"
        )
    return RULES[rule](election, tie_break=tie_break)
