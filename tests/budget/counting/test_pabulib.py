"""The Pabulib reader and writer: the format's corners, errors, round trips."""

from decimal import Decimal

import pytest

from budget.counting.pabulib import (
    PabulibError,
    format_units,
    parse_cents,
    read_path,
    read_text,
    write_text,
)
from budget.counting.types import Ballot, Election, Project, VoteType
from tests.budget.counting.support import INSTANCES, instance_names, instance_param
from tests.budget.counting.support import load as load_instance

APPROVAL = """META
key;value
description;"Budget participatif; quartier Nord"
num_projects;3
num_votes;4
budget;1000.50
vote_type;approval
currency;EUR
comment;
PROJECTS
project_id;cost;votes;name;selected
OGM/01;400.0;3;"Parc ""des Lilas""; étape 2";1
b2;500;2;Piste cyclable;2
c13;100.5;0;;0
VOTES
voter_id;vote;age
v1;OGM/01,b2;31
v2;b2,OGM/01,OGM/01;
v3;;40
v4;OGM/01;
"""


def test_reader_handles_quotes_floats_string_ids_and_duplicates():
    election = read_text(APPROVAL)
    assert election.budget == 100050  # cents
    assert election.vote_type is VoteType.APPROVAL
    assert [p.id for p in election.projects] == ["OGM/01", "b2", "c13"]
    assert election.project("OGM/01").cost == 40000
    assert election.project("c13").cost == 10050
    assert election.project("OGM/01").fields["name"] == 'Parc "des Lilas"; étape 2'
    assert election.project("b2").fields["selected"] == "2"
    assert "name" not in election.project("c13").fields  # empty fields are absent
    assert election.meta["description"] == "Budget participatif; quartier Nord"
    assert election.meta["comment"] == ""
    assert election.num_voters == 4
    # v1 and v2 are the same approval ballot once the duplicate is dropped
    assert election.ballots == (
        Ballot((), (), 1),
        Ballot(("OGM/01",), (), 1),
        Ballot(("OGM/01", "b2"), (), 2),
    )


def test_crlf_and_bom_read_the_same():
    crlf = "\ufeff" + APPROVAL.replace("\n", "\r\n")
    assert read_text(crlf) == read_text(APPROVAL)


def test_section_names_are_case_insensitive_and_blank_lines_skipped():
    text = APPROVAL.replace("PROJECTS", "projects\n\n").replace("VOTES", "Votes")
    assert read_text(text) == read_text(APPROVAL)


CUMULATIVE = """META
key;value
budget;100
vote_type;cumulative
max_sum_points;10
PROJECTS
project_id;cost
1;60
2;40
3;50
VOTES
voter_id;vote;points
a;1,2,1;3,2,5
b;3,2;0,4
"""


def test_cumulative_keeps_the_last_points_and_zero_points():
    election = read_text(CUMULATIVE)
    assert election.ballots == (
        Ballot(("1", "2"), (5, 2), 1),
        Ballot(("2", "3"), (4, 0), 1),
    )


def test_ordinal_keeps_the_ranking_and_the_first_place_of_a_repeat():
    text = CUMULATIVE.replace("cumulative", "ordinal").replace(";points", "")
    text = text.replace("a;1,2,1;3,2,5", "a;2,1,2").replace("b;3,2;0,4", "b;3")
    election = read_text(text)
    assert election.ballots == (Ballot(("2", "1"), (), 1), Ballot(("3",), (), 1))


def test_choose_one_counts_as_approval():
    text = APPROVAL.replace("vote_type;approval", "vote_type;choose-1")
    assert read_text(text).vote_type is VoteType.CHOOSE_1


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("META\n", "METADATA\n"), 1, "start with META"),
        (("budget;1000.50", "budget;12.345"), 6, "fraction of a cent"),
        (("budget;1000.50", "budget;lots"), 6, "not a number"),
        (("budget;1000.50", "budget;-5"), 6, "negative"),
        (("budget;1000.50", "budget;inf"), 6, "not a usable amount"),
        (("budget;1000.50\n", ""), 9, "lacks 'budget'"),
        (("vote_type;approval", "vote_type;scoring"), 7, "scoring"),
        (("b2;500;", "OGM/01;500;"), 13, "given twice"),
        (("c13;100.5", "c13;1e999999"), 14, "not a usable amount"),
        (("v4;OGM/01;", "v4;zz;"), 20, "unknown project 'zz'"),
        (("project_id;cost;", "project_id;price;"), 11, "lacks 'cost'"),
        (("v3;;40", "v3;;40;1;2"), 19, "fields but the header has"),
        (("VOTES\n", ""), 15, "'vote' is not a number"),
    ],
)
def test_malformed_files_raise_pabulib_error_with_the_line(change, line, message):
    text = APPROVAL.replace(*change)
    with pytest.raises(PabulibError) as info:
        read_text(text)
    assert message in str(info.value)
    assert info.value.line == line


def test_missing_votes_section_is_an_error():
    with pytest.raises(PabulibError, match="META, PROJECTS and VOTES"):
        read_text(APPROVAL.split("VOTES")[0])


def test_cumulative_points_must_match_the_projects():
    with pytest.raises(PabulibError, match="2 projects but 1 points") as info:
        read_text(CUMULATIVE.replace("0,4", "4"))
    assert info.value.line == 14


def test_not_utf8_is_a_pabulib_error(tmp_path):
    path = tmp_path / "latin1.pb"
    path.write_bytes(APPROVAL.replace("étape", "\xe9tape").encode("latin-1"))
    with pytest.raises(PabulibError, match="UTF-8"):
        read_path(path)


def test_amounts_are_exact():
    assert parse_cents("4000.0", "cost") == 400000
    assert parse_cents("0.10", "cost") == 10
    assert parse_cents("999999999", "cost") == 99999999900
    assert format_units(9920000) == "99200"
    assert format_units(123450) == "1234.5"
    assert format_units(5) == "0.05"
    assert Decimal(format_units(123456789)) * 100 == 123456789


def test_writer_gives_a_sorted_canonical_text_that_reads_back():
    election = read_text(APPROVAL)
    text = write_text(election)
    assert text.splitlines()[:3] == [
        "META",
        "key,value".replace(",", ";"),
        "budget;1000.50",
    ]
    assert read_text(text) == election
    assert write_text(read_text(text)) == text
    assert '"Parc ""des Lilas""; étape 2"' in text


def test_writer_sets_budget_and_vote_type_from_the_election():
    election = Election(
        budget=1234,
        vote_type=VoteType.CUMULATIVE,
        projects=(Project("x", 1000), Project("y", 5)),
        ballots=(Ballot(("x", "y"), (2, 1), 3),),
        meta={"budget": "99"},
    )
    again = read_text(write_text(election))
    assert again.budget == 1234 and again.meta["budget"] == "12.34"
    assert again.ballots == election.ballots


@pytest.mark.parametrize("name", [instance_param(n) for n in instance_names()])
def test_every_sample_reads_and_round_trips(name):
    election = load_instance(name)
    assert read_text(write_text(election)) == election
    assert election.meta["vote_type"] == election.vote_type
    assert (INSTANCES / f"{name}.pb").is_file()
