"""The list put to the vote: decided in the review phase only, after a
confirmation showing what is pending, and reopened until the vote starts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budget import lifecycle
from budget.models import BallotListDecision, Project
from budget.services.decisions import (
    ProjectDecision,
    ballot_list_decide,
    ballot_list_reopen,
)
from carte.models import AuditEvent
from carte.roles import Role
from carte.tenancy import Actor
from participation.models import CyclePhase
from participation.phases import Phase
from tests.conftest import client_for
from tests.factories import CycleFactory, ProjectFactory, ProposalFactory

pytestmark = pytest.mark.django_db

VALIDATE = reverse("budget:ballot-list-validate")
REOPEN = reverse("budget:ballot-list-reopen")
OUTSIDE_REVIEW = [None, *(p for p in Phase if p != Phase.REVIEW)]


def decision_form(kept, dropped, **more):
    return {
        f"decision_{kept.pk}": "put_on_ballot",
        f"decision_{dropped.pk}": "set_aside",
        f"reason_{dropped.pk}": "Trop coûteuse cette année.",
        "note": "Conseil du 3 mars.",
        **more,
    }


@pytest.fixture
def elected(organisation, staff_of):
    return staff_of(organisation, Role.ELECTED)


def decided(organisation, cycle, user):
    """A list decided through the service while the cycle is in review."""
    project = ProjectFactory(cycle=cycle, title="Bancs")
    ballot_list_decide(
        organisation=organisation,
        cycle_id=cycle.pk,
        decisions={project.pk: ProjectDecision(lifecycle.Action.PUT_ON_BALLOT)},
        actor=Actor.for_user(user, organisation),
    )
    return project


def move_to(cycle, phase):
    """The cycle's current period becomes `phase` (the vote starts, say)."""
    CyclePhase.objects.filter(cycle=cycle).update(phase=phase)


@pytest.mark.parametrize("phase", OUTSIDE_REVIEW)
def test_the_list_is_refused_outside_the_review_phase(phase, organisation, elected):
    _user, client = elected
    cycle = CycleFactory(organisation=organisation, phase=phase or False)
    kept, dropped = ProjectFactory(cycle=cycle), ProjectFactory(cycle=cycle)
    url = f"{VALIDATE}?cycle={cycle.pk}"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "pendant la phase d’instruction" in text or "review phase" in text
    assert f'name="decision_{kept.pk}"' not in text
    response = client.post(url, decision_form(kept, dropped, confirm="1"))
    assert response.status_code == 403
    assert not BallotListDecision.objects.exists()
    assert set(Project.objects.values_list("status", flat=True)) == {"in_preparation"}


@pytest.mark.parametrize("phase", OUTSIDE_REVIEW)
def test_the_service_refuses_the_list_outside_review(phase, organisation, elected):
    user, _client = elected
    cycle = CycleFactory(organisation=organisation, phase=phase or False)
    project = ProjectFactory(cycle=cycle)
    with pytest.raises(ValidationError) as error:
        ballot_list_decide(
            organisation=organisation,
            cycle_id=cycle.pk,
            decisions={project.pk: ProjectDecision(lifecycle.Action.PUT_ON_BALLOT)},
            actor=Actor.for_user(user, organisation),
        )
    assert error.value.code == "phase_closed"
    assert not BallotListDecision.objects.exists()


def test_the_form_shows_ideas_still_pending(organisation, elected):
    _user, client = elected
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    ProjectFactory(cycle=cycle)
    ProposalFactory(cycle=cycle, title="Idée en attente", status="published")
    ProposalFactory(cycle=cycle, title="Idée à l’étude", status="under_study")
    ProposalFactory(cycle=cycle, title="Idée réalisable", status="feasible")
    ProposalFactory(cycle=cycle, title="Idée refusée", status="rejected")
    text = client.get(f"{VALIDATE}?cycle={cycle.pk}").content.decode()
    for title in ("Idée en attente", "Idée à l’étude", "Idée réalisable"):
        assert title in text
    assert "Idée refusée" not in text


def test_the_first_post_only_shows_a_confirmation(organisation, elected):
    _user, client = elected
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    kept = ProjectFactory(cycle=cycle, title="Bancs", cost_cents=150_000)
    dropped = ProjectFactory(cycle=cycle, title="Fontaine")
    ProposalFactory(cycle=cycle, title="Idée pas encore étudiée", status="published")
    response = client.post(f"{VALIDATE}?cycle={cycle.pk}", decision_form(kept, dropped))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="confirm"' in text and 'name="edit"' in text
    assert "Bancs" in text and "Trop coûteuse cette année." in text
    assert "Idée pas encore étudiée" in text
    # The choices travel in hidden fields, so the page needs no script.
    assert f'type="hidden" name="decision_{kept.pk}" value="put_on_ballot"' in text
    assert not BallotListDecision.objects.exists()
    assert set(Project.objects.values_list("status", flat=True)) == {"in_preparation"}


def test_going_back_from_the_confirmation_keeps_the_input(organisation, elected):
    _user, client = elected
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    kept, dropped = ProjectFactory(cycle=cycle), ProjectFactory(cycle=cycle)
    response = client.post(
        f"{VALIDATE}?cycle={cycle.pk}", decision_form(kept, dropped, edit="1")
    )
    text = response.content.decode()
    assert response.status_code == 200 and 'name="confirm"' not in text
    assert "Trop coûteuse cette année." in text and "Conseil du 3 mars." in text
    assert not BallotListDecision.objects.exists()


def test_confirming_saves_and_publishes_the_list(organisation, elected):
    user, client = elected
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    kept, dropped = ProjectFactory(cycle=cycle), ProjectFactory(cycle=cycle)
    response = client.post(
        f"{VALIDATE}?cycle={cycle.pk}", decision_form(kept, dropped, confirm="1")
    )
    assert response.status_code == 302
    assert BallotListDecision.objects.get().decided_by == user
    kept.refresh_from_db()
    assert kept.status == "on_ballot"


def test_the_list_is_reopened_in_review_after_a_confirmation(organisation, elected):
    user, client = elected
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    project = decided(organisation, cycle, user)
    public = reverse("budget:project-list")
    assert "Liste validée le" in client_for(organisation).get(public).content.decode()
    url = f"{REOPEN}?cycle={cycle.pk}"
    page = client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    project.refresh_from_db()
    assert project.status == "on_ballot"  # the GET changed nothing
    response = client.post(url)
    assert response.status_code == 302
    project.refresh_from_db()
    decision = BallotListDecision.objects.get()
    assert project.status == "in_preparation"
    assert decision.reopened_at is not None and decision.reopened_by == user
    audit = AuditEvent.objects.get(action="ballot_list.reopen")
    assert audit.actor == user and audit.data["projects"] == [project.pk]
    assert (
        "Liste validée le" not in client_for(organisation).get(public).content.decode()
    )
    # ...and it can be decided again.
    response = client.post(
        f"{VALIDATE}?cycle={cycle.pk}",
        {f"decision_{project.pk}": "put_on_ballot", "confirm": "1"},
    )
    assert response.status_code == 302
    assert BallotListDecision.objects.filter(reopened_at__isnull=True).count() == 1


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.RESULTS, Phase.FOLLOW_UP])
def test_the_list_cannot_be_reopened_once_the_vote_started(
    phase, organisation, elected
):
    user, client = elected
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    project = decided(organisation, cycle, user)
    move_to(cycle, phase)
    url = f"{REOPEN}?cycle={cycle.pk}"
    page = client.get(url)  # says why, with nothing to submit
    assert page.status_code == 200
    main = page.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert 'method="post"' not in main
    assert "phase d’instruction" in page.content.decode() or (
        "review phase" in page.content.decode()
    )
    assert client.post(url).status_code == 403
    with pytest.raises(ValidationError) as error:
        ballot_list_reopen(
            organisation=organisation,
            cycle_id=cycle.pk,
            actor=Actor.for_user(user, organisation),
        )
    assert error.value.code == "phase_closed"
    project.refresh_from_db()
    assert project.status == "on_ballot"
    assert BallotListDecision.objects.get().reopened_at is None
    assert not AuditEvent.objects.filter(action="ballot_list.reopen").exists()


def test_reopening_without_a_decision_is_refused_with_a_message(organisation, elected):
    _user, client = elected
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    response = client.post(f"{REOPEN}?cycle={cycle.pk}")
    assert response.status_code == 400
    assert "rien à rouvrir" in response.content.decode() or "nothing to reopen" in (
        response.content.decode()
    )


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.REVIEWER, Role.COUNTER_AGENT])
def test_other_roles_cannot_reopen(role, organisation, staff_of, elected):
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    decided(organisation, cycle, elected[0])
    _user, client = staff_of(organisation, role)
    assert client.post(f"{REOPEN}?cycle={cycle.pk}").status_code == 403
    assert BallotListDecision.objects.get().reopened_at is None


def test_another_communes_elected_cannot_reopen(
    organisation, other_organisation, staff_of, elected
):
    cycle = CycleFactory(organisation=organisation, phase=Phase.REVIEW)
    decided(organisation, cycle, elected[0])
    stranger, _client = staff_of(other_organisation, Role.ELECTED)
    response = client_for(organisation, stranger).post(f"{REOPEN}?cycle={cycle.pk}")
    assert response.status_code == 403
    assert BallotListDecision.objects.get().reopened_at is None
