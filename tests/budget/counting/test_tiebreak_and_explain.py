"""Tie-breaks (explicit, composable, published) and the French explanation."""

import ast
import hashlib
from fractions import Fraction
from pathlib import Path

import pytest

from budget.counting import tiebreak
from budget.counting.explain import explain, format_amount
from budget.counting.rules import RULES, UnknownRuleError, offered, tally
from budget.counting.types import Ballot, Election, Project, VoteType
from tests.budget.counting.support import election_of

# Four projects; "b" and "a" tie on votes, "c" and "d" on votes and cost.
ELECTION = election_of(
    900,
    VoteType.APPROVAL,
    {"a": 600, "b": 400, "c": 300, "d": 300},
    [(("a", "b"), (), 3), (("c", "d"), (), 2)],
    currency="EUR",
)


def test_lexicographic_compares_ids_as_strings():
    election = Election(
        100,
        VoteType.APPROVAL,
        (Project("9", 1), Project("10", 1), Project("c2", 1)),
        (),
    )
    ranks = tiebreak.lexicographic().ranks(election)
    order = sorted(election.projects, key=lambda p: ranks[election.projects.index(p)])
    assert [p.id for p in order] == ["10", "9", "c2"]


def test_greedy_tie_goes_to_the_smaller_id_by_default():
    outcome = tally(ELECTION, "greedy", tie_break=tiebreak.lexicographic())
    assert outcome.selected == ("a", "c")
    tie = next(s for s in outcome.steps if s.code == "tie_broken")
    assert (tie.project, tie.detail["against"]) == ("a", "b")


def test_a_chain_decides_by_cost_then_votes_then_lot():
    chain = tiebreak.chain(
        tiebreak.lowest_cost(), tiebreak.most_votes(), tiebreak.lottery(seed="2026")
    )
    outcome = tally(ELECTION, "greedy", tie_break=chain)
    assert outcome.selected[0] == "b"  # cheaper than "a" at equal votes
    digest = {p: hashlib.sha256(f"2026:{p}".encode()).hexdigest() for p in "cd"}
    first = min("cd", key=digest.__getitem__)
    assert outcome.selected[1] == first  # same cost and votes: the lot decides
    assert outcome.tie_break == "lowest_cost>most_votes>lottery(2026)"
    assert "départage publié (lowest_cost>most_votes>lottery(2026))" in "\n".join(
        explain(outcome, ELECTION)
    )


def test_most_votes_prefers_the_more_approved_project():
    election = Election(
        100,
        VoteType.APPROVAL,
        (Project("a", 10), Project("b", 10)),
        (Ballot(("b",), (), 2), Ballot(("a",), (), 1)),
    )
    ranks = tiebreak.chain(tiebreak.most_votes()).ranks(election)
    assert ranks == (1, 0)


def test_the_tie_break_parses_from_its_command_line_spelling():
    assert tiebreak.parse("lexico") == tiebreak.lexicographic()
    chain = tiebreak.parse("lowest-cost,most-votes,lottery:abc")
    assert [c.name for c in chain.criteria] == [
        "lowest_cost",
        "most_votes",
        "lottery(abc)",
    ]
    with pytest.raises(tiebreak.TieBreakError, match="unknown tie-break 'dice'"):
        tiebreak.parse("dice")


def test_unknown_or_unoffered_rules_are_refused_with_a_clear_message():
    with pytest.raises(UnknownRuleError, match="unknown rule 'borda'"):
        tally(ELECTION, "borda", tie_break=tiebreak.lexicographic())
    ordinal = Election(10, VoteType.ORDINAL, (Project("a", 1),), ())
    with pytest.raises(UnknownRuleError, match="not offered for ordinal"):
        tally(ordinal, "greedy-per-cost", tie_break=tiebreak.lexicographic())
    assert "mes-card" not in offered(VoteType.CUMULATIVE)
    assert set(offered(VoteType.APPROVAL)) == set(RULES)


def test_amounts_are_written_the_french_way():
    assert format_amount(123450) == "1\u202f234,50\u00a0€"
    assert format_amount(100000000, "PLN") == "1\u202f000\u202f000\u00a0zł"
    assert format_amount(1001) == "10,01\u00a0€"
    assert format_amount(Fraction(1, 3)) == "environ 0\u00a0€"


def test_explanation_says_what_each_rule_did_in_french():
    lines = explain(
        tally(ELECTION, "mes", tie_break=tiebreak.lexicographic()), ELECTION
    )
    assert lines[0].startswith("Le projet a ne peut plus être retenu")
    assert "Le projet b est retenu : ses 3 soutiens le financent" in lines[1]
    assert lines[-1].startswith("Résultat (mes) :")
    greedy = explain(
        tally(ELECTION, "greedy", tie_break=tiebreak.lexicographic()), ELECTION
    )
    assert greedy[0] == (
        "Égalité entre le projet a et b : le départage publié (lexico) donne la "
        "priorité au projet a."
    )
    assert (
        greedy[1]
        == "Le projet a est retenu : 3 voix, coût 6\u00a0€ ; il reste 3\u00a0€."
    )
    assert any("n'est pas retenu : son coût" in line for line in greedy)
    add1 = explain(
        tally(ELECTION, "mes-add1", tie_break=tiebreak.lexicographic()), ELECTION
    )
    assert add1[0].startswith("La part de chaque votant vaut")
    phragmen = explain(
        tally(ELECTION, "phragmen", tie_break=tiebreak.lexicographic()), ELECTION
    )
    assert any("la charge de ses votants passe à" in line for line in phragmen)


def test_the_counting_package_imports_only_the_standard_library():
    package = Path(__file__).resolve().parents[3] / "budget" / "counting"
    assert (package / "__init__.py").read_text(encoding="utf-8") == ""
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names.append(node.module or "")
            for name in names:
                top = name.split(".")[0]
                assert top not in {"django", "rest_framework", "wagtail", "carte"}, path
                assert top not in {"participation", "cms"}, path
                if top == "budget":
                    assert name.startswith("budget.counting"), (path, name)
