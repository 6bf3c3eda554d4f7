"""The public history of a proposal and its banners (issue 6)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from carte.roles import Role
from carte.tenancy import Actor
from participation import workflow
from participation.models import StandardReply
from participation.selectors.history import actor_label, step_label
from participation.services.moderation import proposal_transition
from tests.conftest import client_for
from tests.factories import (
    CycleFactory,
    MembershipFactory,
    ModerationEventFactory,
    ProposalFactory,
    UserFactory,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def cycle(organisation):
    return CycleFactory(organisation=organisation)


def staff(organisation, role, **names):
    return MembershipFactory(
        organisation=organisation,
        role=role,
        user=UserFactory(
            first_name="Camille",
            last_name="Durand",
            email=f"camille.{role}@mairie.example",
            pseudonym=f"Agent {role}",
            **names,
        ),
    ).user


def act(proposal, action, actor, **fields):
    return proposal_transition(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        action=action,
        actor=Actor.for_user(actor, proposal.organisation),
        **fields,
    )


def test_every_step_shows_with_its_date_reason_and_role(
    organisation, cycle, commune_client
):
    author = UserFactory()
    proposal = ProposalFactory(
        cycle=cycle, author=author, status="draft", published_at=None
    )
    moderator = staff(organisation, Role.MODERATOR)
    reviewer = staff(organisation, Role.REVIEWER)
    day = datetime(2026, 3, 3, 10, tzinfo=PARIS)
    act(proposal, "submit", author, now=day)
    act(proposal, "publish", moderator, now=day)
    act(proposal, "start_study", moderator, now=day)
    act(
        proposal,
        "mark_feasible",
        reviewer,
        reason="Le terrain appartient à la commune.",
        now=day,
    )
    html = commune_client.get(proposal.get_absolute_url()).content.decode()
    history = html[html.index('id="historique"') :]
    for text in (
        "3 mars 2026",
        "<strong>Déposée</strong> par son auteur",
        "<strong>Publiée</strong> par la modération",
        "<strong>Envoyée à l&#x27;étude</strong> par la modération",
        "<strong>Déclarée réalisable</strong> par un service de la ville",
        "Le terrain appartient à la commune.",
    ):
        assert text in history, text
    positions = [
        history.index(step)
        for step in ("Déposée", "Publiée", "Envoyée", "Déclarée réalisable")
    ]
    assert positions == sorted(positions)


def test_the_history_never_names_the_staff_member(organisation, cycle, commune_client):
    proposal = ProposalFactory(cycle=cycle, status="submitted", published_at=None)
    StandardReply.objects.create(
        organisation=organisation,
        use="reject",
        title="Hors compétence communale",
        body="La voirie départementale relève du département.",
    )
    moderator = staff(organisation, Role.MODERATOR)
    act(
        proposal,
        "reject",
        moderator,
        reason_label="Hors compétence communale",
        reason="La voirie départementale relève du département.",
    )
    html = commune_client.get(proposal.get_absolute_url()).content.decode()
    assert "Refusée : Hors compétence communale" in html  # the banner
    assert "Motif : Hors compétence communale" in html  # the history
    assert "La voirie départementale relève du département." in html
    assert "par la modération" in html
    for private in ("Camille", "Durand", "mairie.example", moderator.pseudonym):
        assert private not in html


def test_a_forwarded_proposal_says_to_whom(organisation, cycle, commune_client):
    proposal = ProposalFactory(cycle=cycle)
    act(
        proposal,
        "forward",
        staff(organisation, Role.ADMIN),
        forwarded_to="le département du Nord",
        reason="Les collèges relèvent du département.",
    )
    html = commune_client.get(proposal.get_absolute_url()).content.decode()
    assert "Transmise à le département du Nord" in html
    assert "Les collèges relèvent du département." in html


def test_a_counter_submission_reads_at_the_counter(organisation, cycle):
    proposal = ProposalFactory(cycle=cycle, channel="counter", author=None)
    ModerationEventFactory(
        proposal=proposal,
        actor_role="counter_agent",
        action="submit",
        from_status="draft",
        to_status="submitted",
    )
    ModerationEventFactory(proposal=proposal)
    html = client_for(organisation).get(proposal.get_absolute_url()).content.decode()
    assert "<strong>Déposée</strong> au guichet" in html


def test_a_proposal_without_events_shows_no_history(commune_client, cycle):
    proposal = ProposalFactory(cycle=cycle)
    html = commune_client.get(proposal.get_absolute_url()).content.decode()
    assert 'id="historique"' not in html


def test_the_page_is_bounded_with_30_events(
    commune_client, cycle, django_assert_max_num_queries
):
    proposal = ProposalFactory(cycle=cycle)
    for number in range(30):
        ModerationEventFactory(proposal=proposal, reason=f"Étape numéro {number}.")
    originals = ProposalFactory.create_batch(
        5, cycle=cycle, status="merged", merged_into=proposal
    )
    with django_assert_max_num_queries(16):
        response = commune_client.get(proposal.get_absolute_url())
    html = response.content.decode()
    assert html.count("Étape numéro") == 30
    assert all(o.get_absolute_url() in html for o in originals)


@pytest.mark.parametrize(
    "role,action,expected",
    [
        ("author", "submit", "par son auteur"),
        ("counter_agent", "submit", "au guichet"),
        ("admin", "submit", "au guichet"),
        ("moderator", "publish", "par la modération"),
        ("admin", "reject", "par la modération"),
        ("reviewer", "mark_feasible", "par un service de la ville"),
        ("admin", "mark_not_feasible", "par un service de la ville"),
        ("elected", "group", "par les élus"),
        ("", "publish", "par la commune"),
    ],
)
def test_who_acted_is_said_by_role(role, action, expected):
    assert actor_label(role, action) == expected


def test_each_action_has_a_plain_french_step():
    labels = {step_label(action) for action in workflow.Action}
    assert len(labels) == len(workflow.Action)
    assert step_label("submit", "changes_requested") == (
        "Déposée à nouveau après modification"
    )


def test_a_hidden_merge_target_is_not_linked(organisation, cycle, commune_client):
    target = ProposalFactory(cycle=cycle, title="Cible masquée")
    original = ProposalFactory(cycle=cycle, status="merged", merged_into=target)
    target.hidden_at = timezone.now()
    target.save(update_fields=["hidden_at"])
    html = commune_client.get(original.get_absolute_url()).content.decode()
    assert "fusionnée avec une autre proposition" in html
    assert "Cible masquée" not in html
