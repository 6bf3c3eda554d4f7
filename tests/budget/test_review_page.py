"""The study page shows what the reviewer studies (the idea's place, as a map and
as text, and its photos); finished studies stay on the worklist."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.services.reviews import review_complete
from carte.roles import Role
from carte.tenancy import Actor
from participation.models import ProposalPhoto
from tests.factories import CycleFactory, DepartmentFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(organisation):
    return CycleFactory(organisation=organisation)


@pytest.fixture
def reviewer(organisation, staff_of):
    user, client = staff_of(organisation, Role.REVIEWER)
    department = DepartmentFactory(organisation=organisation)
    department.members.add(user)
    return user, client, department


def complete(review, user):
    return review_complete(
        organisation=review.organisation,
        review_id=review.pk,
        feasible=True,
        cost_cents=150_000,
        duration_weeks=6,
        public_explanation="Faisable par la voirie.",
        actor=Actor.for_user(user, review.organisation),
    )


def test_the_study_page_shows_the_ideas_map_its_text_equivalent_and_photos(
    cycle, reviewer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _user, client, department = reviewer
    review = ReviewFactory(
        proposal__cycle=cycle,
        proposal__title="Banc place du Marché",
        proposal__latitude=Decimal("48.801"),
        proposal__longitude=Decimal("2.305"),
        proposal__address="Place du Marché",
        department=department,
    )
    ProposalPhoto.objects.create(
        proposal=review.proposal, image="1/proposals/banc.jpg", alt_text="Le vieux banc"
    )
    response = client.get(reverse("budget:review-edit", args=[review.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    config = response.context["map"]["config"]
    point = config["features"]["features"][0]["geometry"]["coordinates"]
    assert point == [2.305, 48.801]
    assert 'id="carte-idee"' in page
    assert 'href="#lieu"' in page  # the skip link, to the list below
    assert 'id="lieu"' in page and "48.801" in page and "2.305" in page
    assert 'alt="Le vieux banc"' in page
    assert json.dumps("Banc place du Marché")[1:-1] in page


def test_a_study_without_a_point_shows_no_map(cycle, reviewer):
    _user, client, department = reviewer
    review = ReviewFactory(proposal__cycle=cycle, department=department)
    response = client.get(reverse("budget:review-edit", args=[review.pk]))
    assert response.context["map"] is None
    assert 'id="carte-idee"' not in response.content.decode()


def test_finished_studies_stay_listed_as_completed(cycle, reviewer):
    user, client, department = reviewer
    done = ReviewFactory(
        proposal__cycle=cycle, proposal__title="Abri vélo", department=department
    )
    ReviewFactory(
        proposal__cycle=cycle, proposal__title="Fontaine", department=department
    )
    ReviewFactory(proposal__cycle=cycle, proposal__title="Pas mon service")
    complete(done, user)
    response = client.get(reverse("budget:review-list"))
    assert [r.proposal.title for r in response.context["reviews"]] == ["Fontaine"]
    assert [r.proposal.title for r in response.context["completed"]] == ["Abri vélo"]
    page = response.content.decode()
    completed_part = page.split("<h2>", 1)[1]
    assert reverse("budget:review-edit", args=[done.pk]) in completed_part
    assert "Pas mon service" not in page
    # The finished study still opens, read only.
    assert client.get(reverse("budget:review-edit", args=[done.pk])).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_the_worklist_with_finished_studies_runs_bounded_queries(
    cycle, reviewer, count, django_assert_max_num_queries
):
    user, client, department = reviewer
    reviews = ReviewFactory.create_batch(
        count, proposal__cycle=cycle, department=department
    )
    for review in reviews[: count // 2]:
        complete(review, user)
    with django_assert_max_num_queries(15):  # the same for 5 studies or 50
        response = client.get(reverse("budget:review-list"))
    assert len(response.context["completed"]) == count // 2
