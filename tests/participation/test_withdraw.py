"""An author withdraws their idea; the counter withdraws a paper one (issue 6)."""

import pytest
from django.urls import reverse

from carte.roles import Role
from participation.models import Channel, ModerationEvent, Notification, Proposal
from participation.services import follows
from tests.conftest import client_for
from tests.factories import CycleFactory, ProposalFactory, UserFactory

WITHDRAW = "participation:proposal-withdraw"


@pytest.fixture
def author_client(organisation, proposal):
    return client_for(organisation, proposal.author)


def test_the_confirmation_page_says_what_will_happen(author_client, proposal):
    response = author_client.get(reverse(WITHDRAW, args=[proposal.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Retirer une idée" in html
    assert "C'est définitif" in html
    assert Proposal.objects.get(pk=proposal.pk).status == "published"


def test_the_author_sees_a_link_to_withdraw(author_client, proposal, commune_client):
    url = reverse(WITHDRAW, args=[proposal.pk])
    assert url in author_client.get(proposal.get_absolute_url()).content.decode()
    assert url not in commune_client.get(proposal.get_absolute_url()).content.decode()


def test_withdrawing_writes_one_event_and_shows_the_banner(
    author_client, proposal, organisation, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    follows.follow_add(
        organisation=organisation, proposal_id=proposal.pk, user=follower
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            reverse(WITHDRAW, args=[proposal.pk]),
            {"reason": "Le projet a été fait par l'association."},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    event = ModerationEvent.objects.get(proposal=proposal)
    assert (event.action, event.actor_role, event.reason) == (
        "withdraw",
        "author",
        "Le projet a été fait par l'association.",
    )
    assert list(
        Notification.objects.filter(proposal=proposal).values_list("user", flat=True)
    ) == [follower.pk]
    html = client_for(organisation).get(proposal.get_absolute_url()).content.decode()
    assert "Retirée par son auteur" in html
    assert "Le projet a été fait par l&#x27;association." in html
    assert reverse("participation:support-add", args=[proposal.pk]) not in html


def test_the_explanation_is_optional(author_client, proposal):
    response = author_client.post(reverse(WITHDRAW, args=[proposal.pk]), {})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == "withdrawn"


def test_a_withdrawn_idea_cannot_be_withdrawn_again(author_client, proposal):
    url = reverse(WITHDRAW, args=[proposal.pk])
    author_client.post(url, {})
    response = author_client.post(url, {"reason": "Encore"})
    assert response.status_code == 400
    assert "ne peut plus être retirée" in response.content.decode()
    assert ModerationEvent.objects.filter(proposal=proposal).count() == 1


def test_a_too_long_explanation_keeps_the_input(author_client, proposal):
    response = author_client.post(
        reverse(WITHDRAW, args=[proposal.pk]), {"reason": "x" * 5001}
    )
    assert response.status_code == 400
    assert "x" * 5001 in response.content.decode()
    assert not ModerationEvent.objects.exists()


def test_a_submitted_idea_can_be_withdrawn_by_its_author(organisation):
    proposal = ProposalFactory(
        cycle=CycleFactory(organisation=organisation),
        status="submitted",
        published_at=None,
    )
    client = client_for(organisation, proposal.author)
    assert client.post(reverse(WITHDRAW, args=[proposal.pk])).status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == "withdrawn"


@pytest.mark.parametrize(
    "role", [None, Role.MODERATOR, Role.REVIEWER, Role.ELECTED, Role.ADMIN]
)
def test_others_may_not_withdraw_an_online_idea(proposal, organisation, staff_of, role):
    if role is None:
        client = client_for(organisation, UserFactory())
    else:
        _user, client = staff_of(organisation, role)
    url = reverse(WITHDRAW, args=[proposal.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).status == "published"
    assert not ModerationEvent.objects.exists()


def test_a_counter_agent_withdraws_a_paper_idea_but_not_an_online_one(
    proposal, organisation, staff_of
):
    agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    paper = ProposalFactory(
        cycle=proposal.cycle, author=None, channel=Channel.COUNTER, entered_by=agent
    )
    assert client.post(reverse(WITHDRAW, args=[proposal.pk]), {}).status_code == 403
    response = client.post(reverse(WITHDRAW, args=[paper.pk]), {"reason": "Appel."})
    assert response.status_code == 302
    event = ModerationEvent.objects.get(proposal=paper)
    assert event.actor_role == "counter_agent"
    html = client_for(organisation).get(paper.get_absolute_url()).content.decode()
    assert "<strong>Retirée</strong> au guichet" in html


def test_a_counter_agent_without_two_step_login_is_sent_to_set_it_up(
    proposal, organisation, staff_of
):
    agent, client = staff_of(organisation, Role.COUNTER_AGENT, mfa=False)
    paper = ProposalFactory(
        cycle=proposal.cycle, author=None, channel=Channel.COUNTER, entered_by=agent
    )
    response = client.post(reverse(WITHDRAW, args=[paper.pk]), {})
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert not ModerationEvent.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(proposal, commune_client):
    response = commune_client.get(reverse(WITHDRAW, args=[proposal.pk]))
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


def test_another_communes_idea_is_404(proposal, other_organisation):
    client = client_for(other_organisation, proposal.author)
    assert client.get(reverse(WITHDRAW, args=[proposal.pk])).status_code == 404
    assert client.post(reverse(WITHDRAW, args=[proposal.pk]), {}).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).status == "published"
