"""The back-office home: staff land on it after logging in, and it counts what
waits for their role, right and in a bounded number of queries."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from carte.roles import Role
from participation.models import Report
from participation.phases import Phase
from tests.carte.test_mfa import totp_code
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    CycleFactory,
    DepartmentFactory,
    ProjectFactory,
    ProposalFactory,
    ReviewFactory,
    UserFactory,
    add_totp,
)

pytestmark = pytest.mark.django_db

HOME = reverse("carte:backoffice-home")
PASSWORD = "correct-horse-battery"
FIGURES = {
    "to_moderate",
    "reported",
    "to_assign",
    "studies_due",
    "studies_overdue",
    "projects_to_decide",
}
BY_ROLE = {
    Role.MODERATOR: {"to_moderate", "reported", "to_assign"},
    Role.REVIEWER: {"studies_due", "studies_overdue"},
    Role.COUNTER_AGENT: set(),
    Role.ELECTED: {"projects_to_decide"},
    Role.ADMIN: FIGURES,
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # login rate limits
    yield
    cache.clear()


def log_in(client, user, next_path=""):
    data = {"login": user.email, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post(reverse("account_login"), data)


# Landing after login ----------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_staff_land_on_the_back_office_after_logging_in(organisation, staff_of, role):
    member, _client = staff_of(organisation, role, mfa=False)
    client = client_for(organisation)
    response = log_in(client, member)
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_the_platform_operator_lands_on_the_back_office(organisation):
    operator = UserFactory(is_superuser=True)
    response = log_in(client_for(organisation), operator)
    assert response["Location"] == HOME


def test_staff_with_two_factors_land_there_after_the_code(organisation, staff_of):
    member, _client = staff_of(organisation, Role.MODERATOR, mfa=False)
    secret = add_totp(member)
    client = client_for(organisation)
    assert log_in(client, member)["Location"] == reverse("mfa_authenticate")
    # The landing page is decided once the second factor is given.
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == HOME


def test_residents_keep_the_public_landing(organisation, user):
    response = log_in(client_for(organisation), user)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_another_communes_staff_land_on_the_public_site(
    organisation, other_organisation, staff_of
):
    member, _client = staff_of(other_organisation, Role.ADMIN, mfa=False)
    response = log_in(client_for(organisation), member)
    assert response["Location"] == "/"


def test_an_explicit_next_page_wins(organisation, staff_of):
    member, _client = staff_of(organisation, Role.ADMIN, mfa=False)
    response = log_in(client_for(organisation), member, next_path="/projets/")
    assert response["Location"] == "/projets/"


# The figures ------------------------------------------------------------------------


def populate(organisation, size, department):
    """`size` items of each kind the home page counts, and items it must not."""
    today = timezone.localdate()
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    ProposalFactory.create_batch(size, cycle=cycle, status="submitted")
    ProposalFactory.create_batch(size, cycle=cycle, status="published")
    base = ProposalFactory(cycle=cycle, status="rejected")
    reporter = UserFactory()
    for comment in CommentFactory.create_batch(size, proposal=base):
        Report.objects.create(
            organisation=organisation, comment=comment, reporter=reporter, reason="spam"
        )
    handled = CommentFactory(proposal=base)
    Report.objects.create(
        organisation=organisation,
        comment=handled,
        reporter=reporter,
        reason="spam",
        resolved_at=timezone.now(),
    )
    for due_on in [today - timedelta(days=1)] * size + [
        today + timedelta(days=3)
    ] * size:
        ReviewFactory(proposal__cycle=cycle, department=department, due_on=due_on)
    ReviewFactory(
        proposal__cycle=cycle, department=department, due_on=today + timedelta(days=30)
    )
    ReviewFactory(
        proposal__cycle=cycle,
        department=department,
        due_on=today - timedelta(days=5),
        completed_at=timezone.now(),
    )
    ProjectFactory.create_batch(size, cycle=cycle)
    ProjectFactory(cycle=cycle, status="on_ballot")


def figures(page) -> dict[str, int]:
    html = page.content.decode()
    return {
        key: int(number)
        for key, number in re.findall(r'data-figure="([\w-]+)">(\d+)<', html)
    }


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_figures_and_each_count_matches_the_data(
    organisation, other_organisation, staff_of, role
):
    user, client = staff_of(organisation, role)
    department = DepartmentFactory(organisation=organisation)
    department.members.add(user)
    populate(organisation, 4, department)
    populate(other_organisation, 2, DepartmentFactory(organisation=other_organisation))
    page = client.get(HOME)
    assert page.status_code == 200
    assert figures(page) == dict.fromkeys(BY_ROLE[role], 4)


def test_a_reviewer_counts_only_the_studies_of_their_services(organisation, staff_of):
    _user, client = staff_of(organisation, Role.REVIEWER)
    populate(organisation, 3, DepartmentFactory(organisation=organisation))
    assert figures(client.get(HOME)) == {"studies_due": 0, "studies_overdue": 0}


def test_each_figure_links_to_the_page_handling_it(organisation, staff_of):
    _user, client = staff_of(organisation, Role.ADMIN)
    html = client.get(HOME).content.decode()
    for name in (
        "participation:moderation-queue",
        "budget:review-to-assign",
        "budget:review-list",
        "budget:ballot-list-validate",
    ):
        link = f'<th scope="row"><a href="{reverse(name)}'
        assert link in html, name
        assert client.get(reverse(name)).status_code == 200


def test_the_home_shows_each_cycles_current_phase_and_dates(organisation, staff_of):
    _user, client = staff_of(organisation, Role.COUNTER_AGENT)
    CycleFactory(organisation=organisation, title="Budget 2031", phase=Phase.VOTE)
    CycleFactory(organisation=organisation, title="Budget 2030", phase=False)
    html = client.get(HOME).content.decode()
    assert "Budget 2031" in html and "Budget 2030" in html
    start = timezone.localdate() - timedelta(days=10)
    assert str(start.year) in html
    assert re.search(r"Budget 2031.*?vote", html, re.S)


@pytest.mark.parametrize("size", [3, 60])
def test_the_home_queries_are_bounded(
    organisation, staff_of, django_assert_max_num_queries, size
):
    _user, client = staff_of(organisation, Role.ADMIN)
    department = DepartmentFactory(organisation=organisation)
    populate(organisation, size, department)
    for _ in range(size // 3):
        CycleFactory(organisation=organisation, phase=Phase.SUBMISSION)
    with django_assert_max_num_queries(20):  # the same limit at both sizes
        page = client.get(HOME)
    assert figures(page)["to_moderate"] == size
