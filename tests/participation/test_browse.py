"""Browsing ideas: filters, sorts, a stable random order, pages, bounded queries."""

import re

import pytest
from django.urls import reverse

from carte.roles import Role
from participation import workflow
from participation.models import Proposal
from tests.conftest import client_for
from tests.factories import (
    CycleFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LIST = "participation:proposal-list"


def titles(response) -> list[str]:
    return [p.title for p in response.context["proposals"]]


def test_the_public_list_shows_published_ideas_only(commune_client, cycle):
    ProposalFactory(cycle=cycle, title="Publiée")
    ProposalFactory(cycle=cycle, title="Envoyée", status=workflow.Status.SUBMITTED)
    ProposalFactory(cycle=cycle, title="Brouillon", status=workflow.Status.DRAFT)
    response = commune_client.get(reverse(LIST))
    assert titles(response) == ["Publiée"]
    # Asking for another status does not reveal it.
    response = commune_client.get(reverse(LIST), {"status": "submitted"})
    assert titles(response) == ["Publiée"]


def test_a_moderator_can_filter_submitted_ideas_but_never_drafts(
    organisation, cycle, staff_of
):
    ProposalFactory(cycle=cycle, title="Envoyée", status=workflow.Status.SUBMITTED)
    ProposalFactory(cycle=cycle, title="Brouillon", status=workflow.Status.DRAFT)
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    response = client.get(reverse(LIST), {"status": "submitted"})
    assert titles(response) == ["Envoyée"]
    response = client.get(reverse(LIST), {"status": "draft"})
    assert "Brouillon" not in titles(response)


def test_another_communes_ideas_are_not_listed(
    commune_client, cycle, other_organisation
):
    ProposalFactory(
        cycle=CycleFactory(organisation=other_organisation), title="Ailleurs"
    )
    ProposalFactory(cycle=cycle, title="Ici")
    assert titles(commune_client.get(reverse(LIST))) == ["Ici"]


def test_filters_by_district_theme_and_text(
    commune_client, organisation, cycle, mapped
):
    nature = ThemeFactory(organisation=organisation, name="Nature")
    ProposalFactory(
        cycle=cycle, title="Arbres rue Haute", theme=nature, district=mapped["west"]
    )
    ProposalFactory(cycle=cycle, title="Arbres à la gare", district=mapped["east"])
    ProposalFactory(cycle=cycle, title="Piste cyclable", description="Des arbres aussi")
    url = reverse(LIST)
    assert titles(commune_client.get(url, {"district": mapped["west"].pk})) == [
        "Arbres rue Haute"
    ]
    assert titles(commune_client.get(url, {"theme": nature.pk})) == ["Arbres rue Haute"]
    found = titles(commune_client.get(url, {"q": "ARBRES"}))
    assert sorted(found) == ["Arbres rue Haute", "Arbres à la gare", "Piste cyclable"]
    assert titles(commune_client.get(url, {"q": "arbres gare"})) == ["Arbres à la gare"]


def test_an_invalid_filter_is_ignored_not_an_error(commune_client, cycle):
    ProposalFactory(cycle=cycle, title="Une idée")
    response = commune_client.get(
        reverse(LIST),
        {"district": "abc", "theme": "999999", "sort": "nope", "page": "x"},
    )
    assert response.status_code == 200


def test_most_supported_first(commune_client, cycle):
    ProposalFactory(cycle=cycle, title="Peu", support_count=1)
    ProposalFactory(cycle=cycle, title="Beaucoup", support_count=40)
    ProposalFactory(cycle=cycle, title="Moyen", support_count=7)
    response = commune_client.get(reverse(LIST), {"sort": "supports"})
    assert titles(response) == ["Beaucoup", "Moyen", "Peu"]


def test_most_recent_first_by_default(commune_client, cycle):
    ProposalFactory(cycle=cycle, title="Ancienne")
    ProposalFactory(cycle=cycle, title="Récente")
    assert titles(commune_client.get(reverse(LIST))) == ["Récente", "Ancienne"]


def test_the_random_order_is_stable_for_a_visitor_and_differs_between_visitors(
    organisation, cycle
):
    ProposalFactory.create_batch(15, cycle=cycle)
    orders = []
    for _visitor in range(4):
        client = client_for(organisation)
        first = titles(client.get(reverse(LIST), {"sort": "random"}))
        again = titles(client.get(reverse(LIST), {"sort": "random"}))
        assert first == again
        assert sorted(first) == sorted(p.title for p in Proposal.objects.all())
        orders.append(tuple(first))
    assert len(set(orders)) > 1


def test_the_random_order_covers_every_idea_across_pages(organisation, cycle):
    ProposalFactory.create_batch(45, cycle=cycle)
    client = client_for(organisation)
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse(LIST), {"sort": "random", "page": page})
        seen += titles(response)
    assert len(seen) == 45 == len(set(seen))


def test_twenty_ideas_per_page_with_links_keeping_the_filters(commune_client, cycle):
    ProposalFactory.create_batch(25, cycle=cycle)
    response = commune_client.get(reverse(LIST), {"sort": "supports"})
    assert len(titles(response)) == 20
    content = response.content.decode()
    assert "sort=supports&amp;page=2" in content
    second = commune_client.get(reverse(LIST), {"sort": "supports", "page": 2})
    assert len(titles(second)) == 5


def test_the_map_page_has_the_same_list_and_a_link_to_it(commune_client, cycle):
    ProposalFactory(cycle=cycle, title="Sur la carte")
    response = commune_client.get(reverse("participation:proposal-map"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sur la carte" in content
    assert 'id="liste"' in content


# --- GeoJSON --------------------------------------------------------------

GEOJSON = "participation:proposal-geojson"


def test_the_geojson_lists_points_in_the_bbox_as_lon_lat(commune_client, cycle, mapped):
    inside = ProposalFactory(cycle=cycle, latitude="46.800000", longitude="1.700000")
    ProposalFactory(cycle=cycle, latitude="45.000000", longitude="1.700000")
    ProposalFactory(cycle=cycle)  # no point
    ProposalFactory(
        cycle=cycle,
        latitude="46.800000",
        longitude="1.700000",
        status=workflow.Status.SUBMITTED,
    )
    response = commune_client.get(reverse(GEOJSON), {"bbox": "1.64,46.76,1.76,46.84"})
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [1.7, 46.8]}
    assert feature["properties"] == {
        "id": inside.pk,
        "title": inside.title,
        "status": "published",
        "url": inside.get_absolute_url(),
    }


@pytest.mark.parametrize(
    "bbox", ["", "1,2,3", "a,b,c,d", "1.76,46.76,1.64,46.84", "1,100,2,101"]
)
def test_a_bad_bbox_answers_400_with_a_message(commune_client, bbox):
    response = commune_client.get(reverse(GEOJSON), {"bbox": bbox})
    assert response.status_code == 400
    assert "bbox" in response.json()["message"]


# --- Bounded queries with 5,000 ideas --------------------------------------


@pytest.fixture
def many(organisation, cycle, mapped):
    theme = ThemeFactory(organisation=organisation)
    authors = [UserFactory() for _ in range(5)]
    Proposal.objects.bulk_create(
        [
            Proposal(
                organisation=organisation,
                cycle=cycle,
                author=authors[n % 5],
                title=f"Idée {n}",
                description="Texte " * 20,
                theme=theme,
                district=mapped["west" if n % 2 else "east"],
                latitude=f"46.{760001 + n * 13:06d}"[:9],
                longitude="1.700000",
                status=workflow.Status.PUBLISHED,
                support_count=n % 97,
            )
            for n in range(5000)
        ],
        batch_size=500,
    )
    return Proposal.objects.order_by("pk").last()


@pytest.mark.parametrize("sort", ["recent", "supports", "random"])
def test_the_list_runs_a_bounded_number_of_queries_with_5000_ideas(
    organisation, many, sort, django_assert_max_num_queries
):
    client = client_for(organisation, UserFactory())
    with django_assert_max_num_queries(14):
        response = client.get(reverse(LIST), {"sort": sort, "page": 3})
    assert response.status_code == 200
    assert len(response.context["proposals"]) == 20


def test_the_map_page_runs_a_bounded_number_of_queries_with_5000_ideas(
    commune_client, many, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = commune_client.get(reverse("participation:proposal-map"))
    assert response.status_code == 200


def test_the_geojson_is_bounded_with_5000_ideas(
    commune_client, many, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = commune_client.get(
            reverse(GEOJSON), {"bbox": "1.64,46.76,1.76,46.84"}
        )
    data = response.json()
    assert len(data["features"]) == 500
    assert data["truncated"] is True


def test_the_proposal_page_is_bounded_with_5000_ideas(
    commune_client, many, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = commune_client.get(many.get_absolute_url())
    assert response.status_code == 200
    assert re.search(r"Idée 4999", response.content.decode())


def test_the_cycle_link_lists_that_cycles_ideas_only(
    commune_client, organisation, cycle
):
    other = CycleFactory(organisation=organisation, slug="boite")
    ProposalFactory(cycle=cycle, title="Du budget", latitude="46.8", longitude="1.7")
    ProposalFactory(cycle=other, title="De la boîte", latitude="46.8", longitude="1.7")
    response = commune_client.get(reverse(LIST), {"cycle": cycle.pk})
    assert titles(response) == ["Du budget"]
    assert f'name="cycle" value="{cycle.pk}"' in response.content.decode()
    data = commune_client.get(
        reverse(GEOJSON), {"bbox": "1,46,2,47", "cycle": other.pk}
    ).json()
    assert [f["properties"]["title"] for f in data["features"]] == ["De la boîte"]
