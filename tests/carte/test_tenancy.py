"""Several communes on one installation: each host shows its own organisation."""

import pytest
from django.urls import reverse

from carte.models import AuditEvent, Membership
from carte.roles import Role
from tests.conftest import client_for
from tests.factories import DistrictFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_each_host_shows_its_own_home_page(organisation, other_organisation):
    first = client_for(organisation).get("/")
    second = client_for(other_organisation).get("/")
    assert first.status_code == second.status_code == 200
    assert "Villeneuve-sur-Lys" in first.content.decode()
    assert "Saint-Aubin" not in first.content.decode()
    assert "Saint-Aubin" in second.content.decode()
    assert first.wsgi_request.organisation == organisation
    assert second.wsgi_request.organisation == other_organisation


def test_unknown_host_gets_the_default_site_of_a_single_commune_install(db):
    only = OrganisationFactory(name="Commune seule", is_default_site=True)
    response = client_for_host("inconnu.example").get("/")
    assert response.status_code == 200
    assert response.wsgi_request.organisation == only


def client_for_host(host):
    from django.test import Client

    return Client(HTTP_HOST=host)


def test_home_page_is_in_french_by_default(commune_client):
    response = commune_client.get("/")
    assert '<html lang="fr">' in response.content.decode()
    assert "Aller au contenu" in response.content.decode()


def test_language_switch_uses_the_session_and_sets_no_extra_cookie(commune_client):
    response = commune_client.post(
        reverse("language-set"), {"language": "en", "next": "/"}
    )
    assert response.status_code == 302
    assert set(response.cookies) <= {"agora_session", "csrftoken"}
    page = commune_client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Skip to content" in page


def test_language_switch_refuses_an_outside_redirect(commune_client):
    response = commune_client.post(
        reverse("language-set"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("role", list(Role))
def test_staff_of_a_commune_reach_its_back_office(organisation, staff_of, role):
    _, client = staff_of(organisation, role)
    assert client.get(reverse("carte:backoffice-home")).status_code == 200


def test_citizen_is_refused_the_back_office(organisation, user):
    response = client_for(organisation, user).get(reverse("carte:backoffice-home"))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(commune_client):
    response = commune_client.get(reverse("carte:backoffice-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_moderator_of_another_commune_is_refused_its_back_office(
    organisation, other_organisation, staff_of
):
    moderator, _ = staff_of(organisation, Role.MODERATOR)
    response = client_for(other_organisation, moderator).get(
        reverse("carte:backoffice-home")
    )
    assert response.status_code == 403


def test_admin_of_another_commune_cannot_see_nor_change_its_team(
    organisation, other_organisation, staff_of
):
    admin, _ = staff_of(organisation, Role.ADMIN)
    foreign = MembershipFactory(organisation=other_organisation, role=Role.MODERATOR)
    client = client_for(other_organisation, admin)
    assert client.get(reverse("carte:membership-list")).status_code == 403
    url = reverse("carte:membership-edit", args=[foreign.pk])
    assert client.post(url, {"role": "admin"}).status_code == 403
    foreign.refresh_from_db()
    assert foreign.role == Role.MODERATOR


def test_another_communes_object_answers_404_on_ones_own_host(
    organisation, other_organisation, staff_of
):
    _, client = staff_of(organisation, Role.ADMIN)
    foreign = MembershipFactory(organisation=other_organisation, role=Role.MODERATOR)
    foreign_district = DistrictFactory(organisation=other_organisation)
    url = reverse("carte:membership-edit", args=[foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"role": "admin"}).status_code == 404
    district_url = reverse("carte:district-detail", args=[foreign_district.pk])
    assert client.get(district_url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == Role.MODERATOR


def test_team_list_shows_only_the_communes_staff(
    organisation, other_organisation, staff_of
):
    _, client = staff_of(organisation, Role.ADMIN)
    foreign = MembershipFactory(organisation=other_organisation)
    page = client.get(reverse("carte:membership-list")).content.decode()
    assert foreign.user.pseudonym not in page


def test_admin_changes_a_role_with_an_audit_row(organisation, staff_of):
    admin, client = staff_of(organisation, Role.ADMIN)
    member = MembershipFactory(organisation=organisation, role=Role.MODERATOR)
    url = reverse("carte:membership-edit", args=[member.pk])
    response = client.post(url, {"role": Role.COUNTER_AGENT})
    assert response.status_code == 302
    assert set(response.cookies) <= {"agora_session", "csrftoken"}  # no messages one
    member.refresh_from_db()
    assert member.role == Role.COUNTER_AGENT
    event = AuditEvent.objects.for_organisation(organisation).get(
        action="membership_set", target=f"user:{member.user.pk}"
    )
    assert event.actor == admin
    assert event.data == {"from": "moderator", "to": "counter_agent"}


def test_the_last_administrator_cannot_be_removed(organisation, staff_of):
    admin, client = staff_of(organisation, Role.ADMIN)
    own = Membership.objects.get(user=admin)
    url = reverse("carte:membership-edit", args=[own.pk])
    response = client.post(url, {"role": ""})
    assert response.status_code == 400
    assert "au moins un administrateur" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_moderator_cannot_manage_the_team(organisation, staff_of):
    _, client = staff_of(organisation, Role.MODERATOR)
    assert client.get(reverse("carte:membership-list")).status_code == 403


def test_team_list_runs_a_bounded_number_of_queries(
    organisation, staff_of, django_assert_max_num_queries
):
    _, client = staff_of(organisation, Role.ADMIN)
    MembershipFactory.create_batch(20, organisation=organisation)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("carte:membership-list")).status_code == 200
