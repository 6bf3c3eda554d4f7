"""Hypothesis strategies: small random elections of every vote type."""

from hypothesis import strategies as st

from budget.counting.pabulib import format_units
from budget.counting.types import Ballot, Election, Project, VoteType


@st.composite
def elections(
    draw,
    *,
    max_projects: int = 6,
    max_voters: int = 10,
    max_budget_units: int = 100,
    vote_types=tuple(VoteType),
) -> Election:
    """Costs and budget in whole currency units (so Add1 steps are meaningful),
    a few cents sometimes; ties are frequent on purpose."""
    vote_type = draw(st.sampled_from(vote_types))
    count = draw(st.integers(1, max_projects))
    ids = draw(
        st.lists(
            st.sampled_from(["1", "2", "3", "10", "9", "a", "b/2", "c13", "Z"]),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    cents = st.integers(0, max_budget_units).map(lambda units: units * 100)
    costs = draw(st.lists(cents | st.integers(0, 5000), min_size=count, max_size=count))
    projects = tuple(Project(pid, cost) for pid, cost in zip(ids, costs, strict=True))
    budget = draw(cents)
    ballots = []
    for _ in range(draw(st.integers(0, max_voters))):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=count))
        if vote_type is VoteType.CHOOSE_1:
            chosen = chosen[:1]
        points = ()
        if vote_type is VoteType.CUMULATIVE:
            points = tuple(
                draw(
                    st.lists(
                        st.integers(0, 5), min_size=len(chosen), max_size=len(chosen)
                    )
                )
            )
        ballots.append(Ballot(tuple(chosen), points, draw(st.integers(1, 3))))
    # As read from a file, META holds the budget and the vote type.
    meta = {"currency": "EUR", "budget": format_units(budget), "vote_type": vote_type}
    return Election(budget, vote_type, projects, tuple(ballots), meta)
