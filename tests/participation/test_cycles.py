"""Cycles: the public list and page, and their management by administrators."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from carte.models import AuditEvent
from carte.roles import Role
from participation.models import Cycle, CyclePhase
from participation.phases import Phase
from tests.conftest import client_for
from tests.factories import CycleFactory, CyclePhaseFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def dated_cycle(organisation, title, slug, *periods):
    cycle = CycleFactory(organisation=organisation, title=title, slug=slug, phase=False)
    for phase, start, end in periods:
        CyclePhaseFactory(cycle=cycle, phase=phase, starts_at=start, ends_at=end)
    return cycle


def test_the_list_shows_current_cycles_first_then_upcoming_then_past(
    commune_client, organisation
):
    now = timezone.now()
    day = timedelta(days=1)
    dated_cycle(
        organisation,
        "Passé",
        "passe",
        (Phase.SUBMISSION, now - 90 * day, now - 60 * day),
    )
    dated_cycle(
        organisation, "À venir", "a-venir", (Phase.SUBMISSION, now + 10 * day, None)
    )
    dated_cycle(
        organisation, "En cours", "en-cours", (Phase.VOTE, now - day, now + day)
    )
    response = commune_client.get(reverse("participation:cycle-list"))
    titles = [row.cycle.title for row in response.context["rows"]]
    assert titles == ["En cours", "À venir", "Passé"]


def test_dates_are_written_the_french_way_with_the_last_day_included(
    commune_client, organisation
):
    dated_cycle(
        organisation,
        "Budget 2026",
        "budget-2026",
        (
            Phase.SUBMISSION,
            datetime(2026, 3, 3, tzinfo=PARIS),
            datetime(2026, 7, 1, tzinfo=PARIS),  # ends "le 30 juin à minuit"
        ),
    )
    page = commune_client.get(reverse("participation:cycle-list")).content.decode()
    assert "Du 3 mars 2026 au 30 juin 2026" in page
    detail = commune_client.get(
        reverse("participation:cycle-detail", args=["budget-2026"])
    ).content.decode()
    assert "3 mars 2026" in detail and "30 juin 2026" in detail


def test_the_cycle_page_shows_its_calendar_and_links(commune_client, organisation):
    cycle = CycleFactory(organisation=organisation, slug="idees")
    page = commune_client.get(reverse("participation:cycle-detail", args=["idees"]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "<caption>" in content
    assert reverse("participation:proposal-create", args=["idees"]) in content
    assert f"?cycle={cycle.pk}" in content


def test_another_communes_cycle_answers_404(commune_client, other_organisation):
    CycleFactory(organisation=other_organisation, slug="ailleurs")
    url = reverse("participation:cycle-detail", args=["ailleurs"])
    assert commune_client.get(url).status_code == 404


def test_the_cycle_list_is_bounded(
    commune_client, organisation, django_assert_max_num_queries
):
    for n in range(20):
        CycleFactory(organisation=organisation, slug=f"c{n}")
    with django_assert_max_num_queries(8):
        assert (
            commune_client.get(reverse("participation:cycle-list")).status_code == 200
        )


# --- Management ------------------------------------------------------------

CREATE = "participation:cycle-manage-create"


def cycle_form(**overrides):
    data = {
        "title": "Budget participatif 2028",
        "slug": "budget-2028",
        "presentation": "Proposez vos idées.",
        "submission_start": "2028-03-01",
        "submission_end": "2028-04-30",
        "review_start": "2028-05-01",
        "review_end": "2028-05-31",
        "vote_start": "2028-06-01",
        "vote_end": "2028-06-30",
    }
    data.update(overrides)
    return data


def test_an_administrator_creates_a_cycle_with_its_calendar(organisation, staff_of):
    admin, client = staff_of(organisation, Role.ADMIN)
    response = client.post(reverse(CREATE), cycle_form())
    assert response.status_code == 302
    cycle = Cycle.objects.get(slug="budget-2028")
    assert cycle.organisation == organisation
    vote = CyclePhase.objects.get(cycle=cycle, phase=Phase.VOTE)
    # The vote closes "le 30 juin à minuit": 1 July 00:00 in Paris.
    assert vote.ends_at == datetime(2028, 7, 1, tzinfo=PARIS)
    assert vote.starts_at == datetime(2028, 6, 1, tzinfo=PARIS)
    audit = AuditEvent.objects.get(action="cycle.create")
    assert (audit.actor, audit.organisation) == (admin, organisation)


def test_overlapping_phases_are_refused_and_the_input_kept(organisation, staff_of):
    _admin, client = staff_of(organisation, Role.ADMIN)
    response = client.post(reverse(CREATE), cycle_form(review_start="2028-04-15"))
    assert response.status_code == 400
    assert not Cycle.objects.exists()
    content = response.content.decode()
    assert "Budget participatif 2028" in content
    assert "2028-04-15" in content


def test_a_permanent_idea_box_has_only_an_open_ideas_phase(organisation, staff_of):
    _admin, client = staff_of(organisation, Role.ADMIN)
    refused = client.post(reverse(CREATE), cycle_form(is_permanent="on"))
    assert refused.status_code == 400
    box = {
        "title": "Boîte à idées",
        "slug": "boite",
        "is_permanent": "on",
        "submission_start": "2026-01-01",
    }
    assert client.post(reverse(CREATE), box).status_code == 302
    cycle = Cycle.objects.get(slug="boite")
    assert [p.end for p in cycle.periods()] == [None]


def test_a_slug_already_used_is_refused(organisation, staff_of):
    CycleFactory(organisation=organisation, slug="budget-2028")
    _admin, client = staff_of(organisation, Role.ADMIN)
    response = client.post(reverse(CREATE), cycle_form())
    assert response.status_code == 400
    assert Cycle.objects.count() == 1


def test_an_administrator_changes_the_calendar(organisation, staff_of):
    cycle = CycleFactory(organisation=organisation, slug="budget-2028")
    _admin, client = staff_of(organisation, Role.ADMIN)
    url = reverse("participation:cycle-manage-edit", args=[cycle.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, cycle_form(title="Nouveau titre")).status_code == 302
    cycle.refresh_from_db()
    assert cycle.title == "Nouveau titre"
    assert len(cycle.periods()) == 3


@pytest.mark.parametrize(
    "role", [Role.MODERATOR, Role.REVIEWER, Role.COUNTER_AGENT, Role.ELECTED]
)
def test_other_roles_cannot_manage_cycles(role, organisation, staff_of):
    _member, client = staff_of(organisation, role)
    assert client.get(reverse("participation:cycle-manage-list")).status_code == 403
    assert client.post(reverse(CREATE), cycle_form()).status_code == 403
    assert not Cycle.objects.exists()


def test_a_citizen_cannot_manage_cycles(organisation, user):
    client = client_for(organisation, user)
    assert client.post(reverse(CREATE), cycle_form()).status_code == 403


def test_an_administrator_of_another_commune_gets_404_on_a_cycle(
    organisation, other_organisation, staff_of
):
    cycle = CycleFactory(organisation=other_organisation)
    _admin, client = staff_of(organisation, Role.ADMIN)
    url = reverse("participation:cycle-manage-edit", args=[cycle.pk])
    assert client.get(url).status_code == 404
