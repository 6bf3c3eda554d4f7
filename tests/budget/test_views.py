"""Back-office and public pages of reviews and projects: roles, communes, queries."""

from functools import partial

import pytest
from django.urls import reverse
from django.utils import timezone

from budget import lifecycle
from budget.models import BallotListDecision, Project, ProjectComment, Review
from carte.formats import NARROW_NBSP, NBSP
from carte.models import AccountBlock
from carte.roles import Role
from participation.models import ModerationEvent
from participation.phases import Phase
from tests.conftest import client_for
from tests.factories import (
    CycleFactory,
    DepartmentFactory,
    ProjectCommentFactory,
    ProjectFactory,
    ProposalFactory,
    ReviewFactory,
    UserFactory,
    feasible_proposal,
)

ROLES = [None, "citizen", *Role]  # None: anonymous

PAGES = {
    "budget:department-list": {Role.ADMIN},
    "budget:department-create": {Role.ADMIN},
    "budget:review-to-assign": {Role.MODERATOR, Role.ADMIN},
    "budget:review-list": {Role.REVIEWER, Role.ADMIN},
    "budget:project-manage-list": {Role.REVIEWER, Role.ADMIN},
    "budget:project-create": {Role.REVIEWER, Role.ADMIN},
    "budget:ballot-list-validate": {Role.ELECTED, Role.ADMIN},
}


@pytest.fixture
def cycle(organisation):
    return CycleFactory(organisation=organisation)


def client_with(organisation, role, staff_of):
    if role is None:
        return None, client_for(organisation)
    if role == "citizen":
        user = UserFactory()
        return user, client_for(organisation, user)
    return staff_of(organisation, role)


def assert_refused_with_the_input(response, typed, model):
    """A refused form: 400, the `typed` value shown again, no `model` row saved."""
    assert response.status_code == 400
    assert f'value="{typed}"' in response.content.decode()
    assert not model.objects.exists()


def euros(text: str) -> str:
    return text.replace(" ", NARROW_NBSP) + NBSP + "€"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_back_office_pages_by_role(organisation, cycle, staff_of, role, name):
    _user, client = client_with(organisation, role, staff_of)
    response = client.get(reverse(name))
    if role is None:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    elif role in PAGES[name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
@pytest.mark.parametrize("name", PAGES)
def test_another_communes_staff_is_refused(
    organisation, other_organisation, staff_of, role, name
):
    user, _client = staff_of(other_organisation, role)
    response = client_for(organisation, user).get(reverse(name))
    assert response.status_code == 403


def test_another_communes_ids_answer_404(organisation, other_organisation, staff_of):
    _admin, client = staff_of(organisation, Role.ADMIN)
    foreign_cycle = CycleFactory(organisation=other_organisation)
    review = ReviewFactory(proposal__cycle=foreign_cycle)
    project = ProjectFactory(cycle=foreign_cycle)
    urls = [
        reverse("budget:review-edit", args=[review.pk]),
        reverse("budget:review-assign", args=[review.proposal_id]),
        reverse("budget:department-edit", args=[review.department_id]),
        reverse("budget:project-edit", args=[project.pk]),
        reverse("budget:project-detail", args=[project.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"body": "x"}).status_code in (404, 405), url


# Assignment and study ---------------------------------------------------------------


def test_a_moderator_assigns_a_proposal_from_the_waiting_list(
    organisation, cycle, staff_of
):
    proposal = ProposalFactory(cycle=cycle, title="Bancs du mail")
    department = DepartmentFactory(organisation=organisation)
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    page = client.get(reverse("budget:review-to-assign")).content.decode()
    assert "Bancs du mail" in page
    url = reverse("budget:review-assign", args=[proposal.pk])
    response = client.post(url, {"department": department.pk, "due_on": "2099-06-30"})
    assert response.status_code == 302
    review = Review.objects.get(proposal=proposal)
    assert str(review.due_on) == "2099-06-30"
    assert ModerationEvent.objects.filter(proposal=proposal).count() == 1


def test_a_reviewer_cannot_assign_and_nothing_is_written(organisation, cycle, staff_of):
    proposal = ProposalFactory(cycle=cycle)
    department = DepartmentFactory(organisation=organisation)
    _reviewer, client = staff_of(organisation, Role.REVIEWER)
    url = reverse("budget:review-assign", args=[proposal.pk])
    assert client.post(url, {"department": department.pk}).status_code == 403
    assert not Review.objects.exists() and not ModerationEvent.objects.exists()


def test_a_past_due_date_re_renders_the_form_with_the_input(
    organisation, cycle, staff_of
):
    proposal = ProposalFactory(cycle=cycle)
    department = DepartmentFactory(organisation=organisation)
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    url = reverse("budget:review-assign", args=[proposal.pk])
    response = client.post(url, {"department": department.pk, "due_on": "2001-01-01"})
    assert_refused_with_the_input(response, "2001-01-01", Review)


def test_the_worklist_shows_the_reviewers_services_and_flags_overdue_in_text(
    organisation, cycle, staff_of
):
    reviewer, client = staff_of(organisation, Role.REVIEWER)
    mine = DepartmentFactory(organisation=organisation)
    mine.members.add(reviewer)
    late = ReviewFactory(
        proposal__cycle=cycle,
        proposal__title="Trottoir abîmé",
        department=mine,
        due_on=timezone.localdate() - timezone.timedelta(days=2),
    )
    ReviewFactory(proposal__cycle=cycle, proposal__title="Pas pour moi")
    page = client.get(reverse("budget:review-list")).content.decode()
    assert "Trottoir abîmé" in page and "Pas pour moi" not in page
    assert "En retard" in page
    assert reverse("budget:review-edit", args=[late.pk]) in page


def test_a_reviewer_records_a_feasible_study_in_euros(organisation, cycle, staff_of):
    reviewer, client = staff_of(organisation, Role.REVIEWER)
    review = ReviewFactory(proposal__cycle=cycle)
    review.department.members.add(reviewer)
    url = reverse("budget:review-edit", args=[review.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "feasible": "yes",
            "cost": "12 500,50",
            "duration_weeks": "8",
            "internal_notes": "Devis à demander.",
            "public_explanation": "Faisable par la voirie.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.cost_cents == 1_250_050
    page = client_for(organisation).get(review.proposal.get_absolute_url())
    text = page.content.decode()
    assert euros("12 500,50") in text and "8 semaines" in text
    assert "Devis à demander" not in text


def test_a_wrong_amount_says_how_to_fix_it_and_keeps_the_input(
    organisation, cycle, staff_of
):
    reviewer, client = staff_of(organisation, Role.REVIEWER)
    review = ReviewFactory(proposal__cycle=cycle)
    review.department.members.add(reviewer)
    response = client.post(
        reverse("budget:review-edit", args=[review.pk]),
        {
            "feasible": "yes",
            "cost": "beaucoup",
            "duration_weeks": "8",
            "public_explanation": "Explication gardée.",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Indiquez un montant en euros, par exemple 1 500." in text
    assert "Explication gardée." in text and 'value="beaucoup"' in text
    review.refresh_from_db()
    assert review.completed_at is None


def test_a_reviewer_of_another_service_gets_403(organisation, cycle, staff_of):
    _reviewer, client = staff_of(organisation, Role.REVIEWER)
    review = ReviewFactory(proposal__cycle=cycle)
    url = reverse("budget:review-edit", args=[review.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"feasible": "no", "public_explanation": "Non"}).status_code
        == 403
    )
    assert not ModerationEvent.objects.exists()


# Projects -----------------------------------------------------------------------------


feasible = partial(feasible_proposal, study={"duration_weeks": 2})


def test_a_reviewer_builds_a_project_and_both_pages_link(organisation, cycle, staff_of):
    _reviewer, client = staff_of(organisation, Role.REVIEWER)
    first = feasible(cycle, 100_000, title="Bancs")
    second = feasible(cycle, 50_050, title="Arbres")
    url = reverse("budget:project-create") + f"?cycle={cycle.pk}"
    page = client.get(url).content.decode()
    assert "Bancs" in page and "Arbres" in page
    response = client.post(
        url,
        {
            "proposals": [first.pk, second.pk],
            "title": "Square vert",
            "description": "Des bancs et des arbres.",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.cost_cents == 150_050
    public = client_for(organisation).get(project.get_absolute_url()).content.decode()
    assert euros("1 500,50") in public
    assert first.get_absolute_url() in public
    proposal_page = client_for(organisation).get(first.get_absolute_url())
    assert project.get_absolute_url() in proposal_page.content.decode()


def test_a_project_form_error_keeps_the_input(organisation, cycle, staff_of):
    _reviewer, client = staff_of(organisation, Role.REVIEWER)
    proposal = feasible(cycle, 100)
    url = reverse("budget:project-create") + f"?cycle={cycle.pk}"
    response = client.post(
        url,
        {
            "proposals": [proposal.pk],
            "title": "Mon titre",
            "description": "",
            "cost": "x",
        },
    )
    assert_refused_with_the_input(response, "Mon titre", Project)


def test_a_project_is_no_longer_editable_after_the_decision(
    organisation, cycle, staff_of
):
    _reviewer, client = staff_of(organisation, Role.REVIEWER)
    project = ProjectFactory(cycle=cycle, status=lifecycle.Status.ON_BALLOT)
    url = reverse("budget:project-edit", args=[project.pk])
    assert client.get(url).status_code == 403


def test_residents_comment_and_grouped_authors_are_marked(organisation, cycle):
    proposal = feasible(cycle, 100)
    project = ProjectFactory(cycle=cycle)
    project.proposals.add(proposal)
    author_client = client_for(organisation, proposal.author)
    url = reverse("budget:project-comment", args=[project.pk])
    response = author_client.post(url, {"body": "Merci de l'avoir retenue."})
    assert response.status_code == 302
    client_for(organisation, UserFactory(pseudonym="Voisine")).post(
        url, {"body": "Et un abri vélo ?"}
    )
    page = client_for(organisation).get(project.get_absolute_url()).content.decode()
    assert page.count("auteur d’une idée regroupée") == 1
    assert "Voisine" in page and proposal.author.email not in page


def test_anonymous_blocked_and_closed_comments_write_nothing(organisation, cycle):
    project = ProjectFactory(cycle=cycle)
    url = reverse("budget:project-comment", args=[project.pk])
    assert client_for(organisation).post(url, {"body": "x"}).status_code == 302
    blocked = UserFactory()
    AccountBlock.objects.create(organisation=organisation, user=blocked, reason="x")
    assert client_for(organisation, blocked).post(url, {"body": "x"}).status_code == 403
    closed = ProjectFactory(cycle=cycle, status=lifecycle.Status.ON_BALLOT)
    closed_url = reverse("budget:project-comment", args=[closed.pk])
    assert (
        client_for(organisation, UserFactory())
        .post(closed_url, {"body": "x"})
        .status_code
        == 403
    )
    assert not ProjectComment.objects.exists()


def test_project_comments_are_rate_limited(organisation, cycle, settings):
    settings.AGORA_RATE_LIMITS = {"comment": [[2, 60]]}
    project = ProjectFactory(cycle=cycle)
    client = client_for(organisation, UserFactory())
    url = reverse("budget:project-comment", args=[project.pk])
    codes = [client.post(url, {"body": f"Avis {n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert ProjectComment.objects.count() == 2


# The elected officials' decision --------------------------------------------------


def test_the_elected_officials_validate_the_list_and_it_is_public(
    organisation, staff_of
):
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    elected, client = staff_of(organisation, Role.ELECTED)
    kept = ProjectFactory(cycle=cycle, title="Bancs")
    dropped = ProjectFactory(cycle=cycle, title="Fontaine")
    url = reverse("budget:ballot-list-validate") + f"?cycle={cycle.pk}"
    response = client.post(
        url,
        {
            f"decision_{kept.pk}": "put_on_ballot",
            f"decision_{dropped.pk}": "set_aside",
            f"reason_{dropped.pk}": "Trop coûteuse cette année.",
            "note": "Conseil du 3 mars.",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    decision = BallotListDecision.objects.get()
    assert decision.decided_by == elected
    page = client_for(organisation).get(reverse("budget:project-list")).content.decode()
    assert "Liste validée le" in page and "Trop coûteuse cette année." in page


def test_a_set_aside_without_reason_re_renders_the_form(organisation, staff_of):
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    _elected, client = staff_of(organisation, Role.ELECTED)
    project = ProjectFactory(cycle=cycle)
    url = reverse("budget:ballot-list-validate") + f"?cycle={cycle.pk}"
    response = client.post(
        url, {f"decision_{project.pk}": "set_aside", "note": "Note gardée"}
    )
    assert response.status_code == 400
    assert "Note gardée" in response.content.decode()
    assert not BallotListDecision.objects.exists()


# Bounded queries ----------------------------------------------------------------------


def test_the_worklist_queries_are_bounded(
    organisation, cycle, staff_of, django_assert_max_num_queries
):
    reviewer, client = staff_of(organisation, Role.REVIEWER)
    department = DepartmentFactory(organisation=organisation)
    department.members.add(reviewer)
    for _ in range(50):
        ReviewFactory(proposal__cycle=cycle, department=department)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("budget:review-list"))
    assert len(response.context["reviews"]) == 50


def test_the_project_list_queries_are_bounded(
    organisation, cycle, django_assert_max_num_queries
):
    ProjectFactory.create_batch(50, cycle=cycle)
    with django_assert_max_num_queries(8):
        response = client_for(organisation).get(reverse("budget:project-list"))
    assert response.status_code == 200


def test_the_project_page_queries_are_bounded(
    organisation, cycle, django_assert_max_num_queries
):
    project = ProjectFactory(cycle=cycle)
    for _ in range(5):
        project.proposals.add(feasible(cycle, 100))
    ProjectCommentFactory.create_batch(100, project=project)
    client = client_for(organisation, UserFactory())
    with django_assert_max_num_queries(14):
        response = client.get(project.get_absolute_url())
    assert len(response.context["comments"]) == 100


def test_the_back_office_project_list_queries_are_bounded(
    organisation, cycle, staff_of, django_assert_max_num_queries
):
    _reviewer, client = staff_of(organisation, Role.REVIEWER)
    ProjectFactory.create_batch(50, cycle=cycle)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("budget:project-manage-list"))
    assert response.status_code == 200
