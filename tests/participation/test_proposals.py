"""Proposing an idea: the form, drafts, submission, the counter, permissions."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from carte.roles import Role
from carte.tenancy import Actor
from participation import workflow
from participation.models import Channel, CounterClaim, ModerationEvent, Proposal
from participation.permissions import proposals as permissions
from participation.phases import Phase
from participation.services.proposals import (
    ProposalInput,
    ResidentInput,
    proposal_save_draft,
    proposal_submit,
    proposal_submit_at_counter,
)
from participation.views import proposals as views
from tests.conftest import client_for
from tests.factories import (
    CycleFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives each test."""
    cache.clear()


def codes(error: ValidationError) -> set[str]:
    """Every code of a ValidationError, whether it holds a list or a dict."""
    if hasattr(error, "error_dict"):
        return {e.code for items in error.error_dict.values() for e in items}
    return {e.code for e in error.error_list}


def create_url(cycle):
    return reverse("participation:proposal-create", args=[cycle.slug])


def form_data(**overrides):
    data = {
        "title": "Un composteur partagé rue des Lilas",
        "description": "Un bac à compost pour les habitants.\n\nEntretenu par "
        "l'association du quartier.",
        "theme": "",
        "address": "",
        "latitude": "",
        "longitude": "",
        "estimated_cost": "",
        "action": "submit",
    }
    data.update(overrides)
    return data


# --- The form, online -------------------------------------------------------


def test_a_citizen_submits_an_idea_with_a_point_and_gets_its_district(
    organisation, mapped, cycle, theme, user
):
    client = client_for(organisation, user)
    response = client.post(
        create_url(cycle),
        form_data(
            theme=theme.pk,
            latitude="46.800000",
            longitude="1.720000",
            estimated_cost="1 500",
        ),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "participation:proposal-submit", args=[proposal.pk]
    )
    assert proposal.status == workflow.Status.DRAFT
    assert proposal.district == mapped["east"]
    assert proposal.estimated_cost_cents == 150_000
    response = client.post(response["Location"])
    proposal.refresh_from_db()
    assert response.status_code == 302
    assert proposal.status == workflow.Status.SUBMITTED
    assert proposal.submitted_at is not None
    event = ModerationEvent.objects.get(proposal=proposal)
    assert (event.action, event.from_status, event.to_status) == (
        "submit",
        "draft",
        "submitted",
    )
    assert event.actor == user
    assert event.organisation == organisation


def test_an_idea_for_the_whole_commune_has_no_place(organisation, cycle, user):
    client = client_for(organisation, user)
    client.post(
        create_url(cycle),
        form_data(whole_commune="on", address="ignored", latitude="46.8"),
    )
    proposal = Proposal.objects.get()
    assert (proposal.address, proposal.latitude, proposal.district) == ("", None, None)


def test_an_address_alone_is_kept(organisation, cycle, user):
    client = client_for(organisation, user)
    client.post(create_url(cycle), form_data(address="Place du Marché"))
    assert Proposal.objects.get().address == "Place du Marché"


def test_a_point_outside_the_commune_is_refused_and_the_input_kept(
    organisation, mapped, cycle, user
):
    client = client_for(organisation, user)
    response = client.post(
        create_url(cycle),
        form_data(latitude="48.856600", longitude="2.352200"),
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    content = response.content.decode()
    assert "hors de la commune" in content or "outside the commune" in content
    assert "Un composteur partagé rue des Lilas" in content
    assert "48.856600" in content


def test_a_missing_description_is_refused_on_submit_with_the_title_kept(
    organisation, cycle, user
):
    client = client_for(organisation, user)
    response = client.post(create_url(cycle), form_data(description=""))
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    assert "Un composteur partagé" in response.content.decode()
    assert response.context["form"].errors["description"]


def test_a_bad_amount_says_how_to_write_it(organisation, cycle, user):
    client = client_for(organisation, user)
    response = client.post(create_url(cycle), form_data(estimated_cost="beaucoup"))
    assert response.status_code == 400
    assert "1 500" in str(response.context["form"].errors["estimated_cost"])


def test_half_a_point_is_refused(organisation, cycle, user):
    client = client_for(organisation, user)
    response = client.post(create_url(cycle), form_data(latitude="46.8"))
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_a_theme_of_another_commune_is_refused(
    organisation, other_organisation, cycle, user
):
    foreign = ThemeFactory(organisation=other_organisation)
    client = client_for(organisation, user)
    response = client.post(create_url(cycle), form_data(theme=foreign.pk))
    assert response.status_code == 400
    assert not Proposal.objects.exists()


# --- Drafts ------------------------------------------------------------------


def test_a_draft_needs_only_a_title_and_stays_private(organisation, cycle, user):
    client = client_for(organisation, user)
    response = client.post(create_url(cycle), form_data(description="", action="draft"))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "participation:proposal-edit", args=[proposal.pk]
    )
    assert proposal.status == workflow.Status.DRAFT
    assert not ModerationEvent.objects.exists()
    url = proposal.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client_for(organisation).get(url).status_code == 404
    stranger = client_for(organisation, UserFactory())
    assert stranger.get(url).status_code == 404


def test_the_author_edits_the_draft_then_submits_it(organisation, cycle, user):
    draft = ProposalFactory(
        cycle=cycle, author=user, status=workflow.Status.DRAFT, published_at=None
    )
    client = client_for(organisation, user)
    edit = reverse("participation:proposal-edit", args=[draft.pk])
    page = client.get(edit)
    assert page.status_code == 200
    assert draft.title in page.content.decode()
    response = client.post(edit, form_data(title="Un nouveau titre", action="draft"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Un nouveau titre"
    client.post(reverse("participation:proposal-submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == workflow.Status.SUBMITTED


def test_a_submitted_idea_can_no_longer_be_edited(organisation, cycle, user):
    sent = ProposalFactory(cycle=cycle, author=user, status=workflow.Status.SUBMITTED)
    client = client_for(organisation, user)
    url = reverse("participation:proposal-edit", args=[sent.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403


def test_someone_else_cannot_edit_a_draft(organisation, cycle, user):
    draft = ProposalFactory(cycle=cycle, status=workflow.Status.DRAFT)
    client = client_for(organisation, user)
    url = reverse("participation:proposal-edit", args=[draft.pk])
    assert client.get(url).status_code == 404


def test_a_second_submit_is_refused(organisation, cycle, user):
    draft = ProposalFactory(cycle=cycle, author=user, status=workflow.Status.DRAFT)
    proposal_submit(organisation=organisation, proposal_id=draft.pk, author=user)
    with pytest.raises(ValidationError) as error:
        proposal_submit(organisation=organisation, proposal_id=draft.pk, author=user)
    assert codes(error.value) == {"transition_not_allowed"}
    assert ModerationEvent.objects.count() == 1


# --- Nothing typed is lost ------------------------------------------------


def test_an_anonymous_post_is_kept_through_the_login(organisation, cycle, user):
    client = client_for(organisation)
    response = client.post(create_url(cycle), form_data(address="Place du Marché"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Proposal.objects.exists()
    client.force_login(user)
    page = client.get(create_url(cycle))
    content = page.content.decode()
    assert "Un composteur partagé rue des Lilas" in content
    assert "Place du Marché" in content
    assert "Entretenu par" in content


def test_an_anonymous_visitor_can_open_the_form(organisation, cycle):
    response = client_for(organisation).get(create_url(cycle))
    assert response.status_code == 200
    assert 'name="title"' in response.content.decode()


# --- Similar ideas ------------------------------------------------------------


def test_similar_ideas_are_shown_as_a_step_before_sending(organisation, cycle, user):
    existing = ProposalFactory(cycle=cycle, title="Composteur collectif au parc")
    client = client_for(organisation, user)
    response = client.post(create_url(cycle), form_data(), follow=True)
    content = response.content.decode()
    assert existing.title in content
    draft = Proposal.objects.get(author=user)
    assert draft.status == workflow.Status.DRAFT
    client.post(reverse("participation:proposal-submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == workflow.Status.SUBMITTED


def test_the_similar_endpoint_lists_public_ideas_by_title_words(
    organisation, other_organisation, cycle
):
    ProposalFactory(cycle=cycle, title="Composteur collectif au parc")
    ProposalFactory(
        cycle=cycle, title="Composteur privé", status=workflow.Status.SUBMITTED
    )
    ProposalFactory(
        cycle=CycleFactory(organisation=other_organisation), title="Composteur ailleurs"
    )
    ProposalFactory(cycle=cycle, title="Piste cyclable")
    response = client_for(organisation).get(
        reverse("participation:proposal-similar"), {"titre": "un composteur"}
    )
    titles = [r["title"] for r in response.json()["results"]]
    assert titles == ["Composteur collectif au parc"]


# --- Phase -------------------------------------------------------------------


def test_proposing_outside_the_ideas_phase_is_refused(organisation, user):
    voting = CycleFactory(organisation=organisation, phase=Phase.VOTE)
    client = client_for(organisation, user)
    assert client.get(create_url(voting)).status_code == 403
    assert client.post(create_url(voting), form_data()).status_code == 403
    assert not Proposal.objects.exists()


def test_the_service_refuses_a_closed_phase(organisation, user):
    closed = CycleFactory(organisation=organisation, phase=False)
    with pytest.raises(ValidationError) as error:
        proposal_save_draft(
            organisation=organisation,
            cycle_id=closed.pk,
            author=user,
            data=ProposalInput(title="Titre", description="Texte"),
        )
    assert codes(error.value) == {"phase_closed"}


# --- Another commune --------------------------------------------------------


def test_another_communes_cycle_and_proposal_answer_404(
    organisation, other_organisation, user
):
    foreign_cycle = CycleFactory(organisation=other_organisation, slug="ailleurs")
    foreign = ProposalFactory(cycle=foreign_cycle)
    client = client_for(organisation, user)
    assert client.get(foreign.get_absolute_url()).status_code == 404
    assert client.get(create_url(foreign_cycle)).status_code == 404
    edit = reverse("participation:proposal-edit", args=[foreign.pk])
    assert client.get(edit).status_code == 404


def test_a_service_cannot_use_another_communes_cycle(
    organisation, other_organisation, user
):
    foreign_cycle = CycleFactory(organisation=other_organisation)
    with pytest.raises(foreign_cycle.DoesNotExist):
        proposal_save_draft(
            organisation=organisation,
            cycle_id=foreign_cycle.pk,
            author=user,
            data=ProposalInput(title="Titre", description="Texte"),
        )


# --- At the counter ---------------------------------------------------------


COUNTER_URL = "participation:counter-proposal-create"


def counter_data(cycle, **overrides):
    resident = {
        "cycle": cycle.pk,
        "resident_name": "Jeanne Martin",
        "resident_contact": "06 12 34 56 78",
        "resident_email": "",
    }
    return form_data(**(resident | overrides))


def test_a_counter_agent_enters_an_idea_for_a_resident_without_account(
    organisation, mapped, cycle, staff_of
):
    agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    response = client.post(
        reverse(COUNTER_URL),
        counter_data(cycle, latitude="46.790000", longitude="1.650000"),
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.channel == Channel.COUNTER
    assert proposal.entered_by == agent
    assert proposal.author is None
    assert proposal.resident_name == "Jeanne Martin"
    assert proposal.status == workflow.Status.SUBMITTED
    assert proposal.district == mapped["west"]
    event = ModerationEvent.objects.get(proposal=proposal)
    assert (event.actor, event.actor_role) == (agent, Role.COUNTER_AGENT)
    # Once published, the page says "at the counter" and never the resident's name.
    proposal.status = workflow.Status.PUBLISHED
    proposal.save()
    page = client_for(organisation).get(proposal.get_absolute_url())
    content = page.content.decode()
    assert "guichet" in content or "counter" in content
    assert "Jeanne Martin" not in content
    assert "06 12 34 56 78" not in content


def test_a_counter_idea_for_an_account_waits_for_its_owners_consent(
    organisation, cycle, staff_of
):
    # Issue 12: the account no longer becomes the author at once (the old
    # behaviour was the bug); see tests/participation/test_counter_claims.py.
    resident = UserFactory(email="paul@example.org", pseudonym="Paul du Moulin")
    _agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    client.post(
        reverse(COUNTER_URL),
        counter_data(cycle, resident_name="", resident_email="PAUL@example.org"),
    )
    proposal = Proposal.objects.get()
    assert proposal.author is None
    assert proposal.channel == Channel.COUNTER
    assert CounterClaim.objects.get().user == resident


def test_an_unknown_email_at_the_counter_is_accepted_like_a_known_one(
    organisation, cycle, staff_of
):
    # Issue 12: refusing it told the agent which addresses have an account.
    _agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    response = client.post(
        reverse(COUNTER_URL),
        counter_data(cycle, resident_name="", resident_email="nobody@example.org"),
    )
    assert response.status_code == 302
    assert Proposal.objects.get().resident_contact == "06 12 34 56 78"
    assert not CounterClaim.objects.exists()


def test_the_counter_needs_a_resident(organisation, cycle, user):
    agent = UserFactory()
    with pytest.raises(ValidationError) as error:
        proposal_submit_at_counter(
            organisation=organisation,
            cycle_id=cycle.pk,
            agent=Actor.for_user(agent, organisation),
            data=ProposalInput(title="Titre", description="Texte"),
            resident=ResidentInput(),
        )
    assert codes(error.value) == {"resident_missing"}


@pytest.mark.parametrize("role", [None, Role.MODERATOR, Role.REVIEWER, Role.ELECTED])
def test_only_counter_agents_and_admins_reach_the_counter(
    role, organisation, cycle, staff_of, user
):
    if role is None:
        client = client_for(organisation, user)
    else:
        _member, client = staff_of(organisation, role)
    assert client.get(reverse(COUNTER_URL)).status_code == 403
    assert client.post(reverse(COUNTER_URL), counter_data(cycle)).status_code == 403
    assert not Proposal.objects.exists()


def test_a_counter_agent_of_another_commune_gets_403(
    organisation, other_organisation, cycle, staff_of
):
    agent, _client = staff_of(other_organisation, Role.COUNTER_AGENT)
    home = client_for(organisation, agent)
    assert home.get(reverse(COUNTER_URL)).status_code == 403


# --- Permissions matrix -----------------------------------------------------

PROPOSERS = {None: set(), "citizen": {Phase.SUBMISSION}}


@pytest.mark.parametrize("role", ["anonymous", "citizen", *Role])
@pytest.mark.parametrize("phase", [None, *Phase])
def test_can_propose(role, phase, organisation):
    if role == "anonymous":
        actor = Actor.anonymous(organisation)
    else:
        actor = Actor.with_role(
            None if role == "citizen" else role, organisation=organisation
        )
    cycle = CycleFactory.build(organisation=organisation)
    expected = role != "anonymous" and phase == Phase.SUBMISSION
    assert permissions.can_propose(actor, cycle, phase=phase) is expected


COUNTER_ALLOWED = {
    Role.COUNTER_AGENT: {Phase.SUBMISSION},
    Role.ADMIN: {Phase.SUBMISSION},
}


@pytest.mark.parametrize("role", [None, *Role])
@pytest.mark.parametrize("phase", [None, *Phase])
def test_can_submit_at_counter(role, phase, organisation):
    actor = Actor.with_role(role, organisation=organisation)
    cycle = CycleFactory.build(organisation=organisation)
    expected = phase in COUNTER_ALLOWED.get(role, set())
    assert permissions.can_submit_at_counter(actor, cycle, phase=phase) is expected


def test_another_communes_actor_cannot_propose(organisation, other_organisation):
    actor = Actor.with_role(Role.ADMIN, organisation=other_organisation)
    cycle = CycleFactory.build(organisation=organisation)
    assert not permissions.can_propose(actor, cycle, phase=Phase.SUBMISSION)
    assert not permissions.can_submit_at_counter(actor, cycle, phase=Phase.SUBMISSION)


@pytest.mark.parametrize("status", list(workflow.Status))
@pytest.mark.parametrize("who", ["anonymous", "citizen", "author", *Role])
def test_can_view_proposal(status, who, organisation):
    proposal = Proposal(organisation=organisation, status=status)
    proposal.author_id = 7
    if who == "anonymous":
        actor = Actor.anonymous(organisation)
    elif who == "citizen":
        actor = Actor.with_role(None, organisation=organisation, user_id=8)
    elif who == "author":
        actor = Actor.with_role(None, organisation=organisation, user_id=7)
    else:
        actor = Actor.with_role(who, organisation=organisation, user_id=8)
    if status in workflow.PUBLIC_STATUSES or who == "author":
        expected = True
    else:
        expected = who in set(Role) and status != workflow.Status.DRAFT
    assert permissions.can_view_proposal(actor, proposal) is expected


def test_a_moderator_of_another_commune_sees_nothing(organisation, other_organisation):
    proposal = Proposal(organisation=organisation, status=workflow.Status.PUBLISHED)
    actor = Actor.with_role(Role.MODERATOR, organisation=other_organisation)
    assert not permissions.can_view_proposal(actor, proposal)


@pytest.mark.parametrize("status", list(workflow.Status))
@pytest.mark.parametrize("phase", [None, *Phase])
def test_only_the_author_edits_a_draft_while_ideas_are_open(
    status, phase, organisation
):
    proposal = Proposal(organisation=organisation, status=status)
    proposal.author_id = 7
    author = Actor.with_role(None, organisation=organisation, user_id=7)
    moderator = Actor.with_role(Role.MODERATOR, organisation=organisation, user_id=8)
    expected = phase == Phase.SUBMISSION and status in (
        workflow.Status.DRAFT,
        workflow.Status.CHANGES_REQUESTED,
    )
    assert permissions.can_edit_proposal(author, proposal, phase=phase) is expected
    assert permissions.can_edit_proposal(moderator, proposal, phase=phase) is False


def test_the_point_decides_the_district_in_the_service(
    organisation, mapped, cycle, user
):
    proposal = proposal_save_draft(
        organisation=organisation,
        cycle_id=cycle.pk,
        author=user,
        data=ProposalInput(
            title="Banc",
            description="Un banc",
            latitude=Decimal("46.81"),
            longitude=Decimal("1.65"),
        ),
    )
    assert proposal.district == mapped["west"]


def test_an_expired_session_on_the_draft_page_keeps_what_was_typed(
    organisation, cycle, user
):
    draft = ProposalFactory(
        cycle=cycle, author=user, status=workflow.Status.DRAFT, published_at=None
    )
    edit = reverse("participation:proposal-edit", args=[draft.pk])
    client = client_for(organisation)  # the session has expired
    response = client.post(edit, form_data(title="Titre retravaillé", action="draft"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    draft.refresh_from_db()
    assert draft.title != "Titre retravaillé"
    client.force_login(user)
    page = client.get(edit).content.decode()
    assert "Titre retravaillé" in page
    assert "Entretenu par" in page


def test_proposing_is_rate_limited(organisation, cycle, user):
    client = client_for(organisation, user)
    limit = views.PROPOSE_LIMIT[0]
    for _n in range(limit):
        client.post(create_url(cycle), form_data(action="draft"))
    response = client.post(create_url(cycle), form_data(action="draft"))
    assert response.status_code == 429
    assert Proposal.objects.count() == limit


def test_the_description_keeps_paragraphs_and_makes_links_safe(commune_client, cycle):
    proposal = ProposalFactory(
        cycle=cycle,
        description="Premier paragraphe <script>alert(1)</script>\n\n"
        "Voir https://example.org/plan et <a href='javascript:x'>ici</a>.",
    )
    content = commune_client.get(proposal.get_absolute_url()).content.decode()
    assert "<p>Premier paragraphe &lt;script&gt;alert(1)&lt;/script&gt;</p>" in content
    assert (
        '<a href="https://example.org/plan" rel="nofollow noopener">'
        "https://example.org/plan</a>" in content
    )
    assert "<a href='javascript:x'>" not in content
    assert "<script>alert(1)</script>" not in content


def test_without_javascript_a_typed_address_is_placed_by_the_geocoder(
    organisation, mapped, cycle, user
):
    client = client_for(organisation, user)
    client.post(create_url(cycle), form_data(address="12 rue de la Gare"))
    proposal = Proposal.objects.get()
    assert (proposal.latitude, proposal.longitude) == (
        Decimal("46.792000"),
        Decimal("1.712000"),
    )
    assert proposal.district == mapped["east"]


def test_an_address_the_geocoder_does_not_know_is_kept_without_a_point(
    organisation, mapped, cycle, user
):
    client = client_for(organisation, user)
    client.post(create_url(cycle), form_data(address="Lieu-dit Inconnu"))
    proposal = Proposal.objects.get()
    assert proposal.address == "Lieu-dit Inconnu"
    assert not proposal.has_point
