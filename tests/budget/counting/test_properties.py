"""Properties of every rule on random small elections (hypothesis), and parser
fuzzing: malformed input gives PabulibError and nothing else."""

import random
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.counting.pabulib import PabulibError, read_text, write_text
from budget.counting.rules import offered, tally
from budget.counting.tiebreak import lexicographic
from budget.counting.types import Ballot, Election, VoteType
from tests.budget.counting.strategies import elections
from tests.budget.counting.support import naive_mes, voters

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(elections())
def test_every_outcome_is_feasible_and_its_trace_adds_up(election):
    for rule in offered(election.vote_type):
        outcome = tally(election, rule, tie_break=lexicographic())
        costs = [election.project(pid).cost for pid in outcome.selected]
        assert len(set(outcome.selected)) == len(outcome.selected)
        assert sum(costs) == outcome.total_cost <= election.budget
        chosen = [s.project for s in outcome.steps if s.code.endswith("selected")]
        chosen += [s.project for s in outcome.steps if s.code == "zero_cost"]
        assert sorted(chosen) == sorted(outcome.selected)


@SETTINGS
@given(elections())
def test_greedy_is_exhaustive(election):
    rules = {"greedy", "greedy-per-cost", "mes-add1-greedy"}
    for rule in rules & set(offered(election.vote_type)):
        outcome = tally(election, rule, tie_break=lexicographic())
        left = election.budget - outcome.total_cost
        for project in election.projects:
            if project.id not in outcome.selected:
                assert project.cost > left, (rule, project.id)


@SETTINGS
@given(elections())
def test_mes_equals_the_definition_voter_by_voter(election):
    for rule in {"mes", "mes-card"} & set(offered(election.vote_type)):
        outcome = tally(election, rule, tie_break=lexicographic())
        assert list(outcome.selected) == naive_mes(election, card=rule == "mes-card")


@SETTINGS
@given(elections(vote_types=(VoteType.APPROVAL, VoteType.CUMULATIVE)))
def test_mes_payments_follow_equal_shares(election):
    """Replaying the trace: each project bought costs exactly what its
    supporters pay, min(money left, price x utility) each, nobody pays more
    than they hold; at the end no remaining project is affordable."""
    outcome = tally(election, "mes", tie_break=lexicographic())
    people = voters(election)
    if not people:
        return
    money = [Fraction(election.budget, len(people))] * len(people)
    cumulative = election.vote_type is VoteType.CUMULATIVE
    for step in outcome.steps:
        if step.code != "mes_selected":
            continue
        cost = election.project(step.project).cost
        price = step.detail["price"]  # cents per unit of utility
        paid = Fraction(0)
        for i, utility in enumerate(people):
            if step.project in utility:
                due = price * (utility[step.project] if cumulative else 1)
                pay = min(money[i], due)
                money[i] -= pay
                paid += pay
        assert paid == cost
        assert all(m >= 0 for m in money)
    for project in election.projects:
        if project.id in outcome.selected or project.cost == 0:
            continue
        held = sum(m for m, u in zip(money, people, strict=True) if project.id in u)
        assert held < project.cost


@SETTINGS
@given(elections(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_ballot_or_project_order(election, rng):
    singles = [
        Ballot(b.projects, b.points) for b in election.ballots for _ in range(b.count)
    ]
    rng.shuffle(singles)
    projects = list(election.projects)
    rng.shuffle(projects)
    shuffled = Election(
        election.budget, election.vote_type, tuple(projects), tuple(singles)
    )
    assert shuffled.ballots == election.ballots
    for rule in offered(election.vote_type):
        a = tally(election, rule, tie_break=lexicographic())
        b = tally(shuffled, rule, tie_break=lexicographic())
        assert a.selected == b.selected and a.total_cost == b.total_cost


@SETTINGS
@given(elections())
def test_writer_then_reader_gives_back_the_same_election(election):
    text = write_text(election)
    again = read_text(text)
    assert again == election
    assert write_text(again) == text


def _parse_only_pabulib_errors(text: str) -> None:
    try:
        read_text(text)
    except PabulibError as error:
        assert error.line is None or error.line >= 1
        assert str(error)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_fuzzed_text_gives_only_pabulib_errors(text):
    _parse_only_pabulib_errors(text)


PIECES = [
    "META",
    "PROJECTS",
    "VOTES",
    "key;value",
    "budget;100",
    "budget;1e3",
    "budget;NaN",
    "vote_type;approval",
    "vote_type;cumulative",
    "vote_type;ordinal",
    "project_id;cost",
    "project_id;cost;name",
    "1;10",
    "2;20.5",
    "3;-1",
    "3;1.001",
    'x;5;"a;b"',
    '"unterminated',
    "voter_id;vote",
    "voter_id;vote;points",
    "v;1,2",
    "v;1,2;3,4",
    "v;1;x",
    "v;9",
    "v;",
    ";;;",
    "\x00",
    "é;ü",
    "1;10;extra",
    "v;1,,2",
    "v;1,2;3",
    "budget;99999999999999999999999",
    "cost;1",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.sampled_from(["\n", "\r\n"]))
def test_fuzzed_pabulib_like_files_give_only_pabulib_errors(lines, end):
    _parse_only_pabulib_errors(end.join(lines))


@settings(max_examples=300, deadline=None)
@given(elections(), st.data())
def test_mutated_valid_files_give_only_pabulib_errors(election, data):
    lines = write_text(election).splitlines()
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    for _ in range(data.draw(st.integers(1, 4))):
        i = rng.randrange(len(lines))
        action = rng.choice(["drop", "dup", "cut", "junk"])
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        else:
            lines[i] += rng.choice([";", ",", '"', ";x", ",zz", ";-3", ";1.005"])
        if not lines:
            break
    _parse_only_pabulib_errors("\n".join(lines))
