"""Blocking an account of the commune (issue 6): moderators and administrators
block and unblock, with the reason kept and audited; staff are never blocked; a
blocked account reads a clear French message when it tries to contribute."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carte.models import AccountBlock, AuditEvent
from carte.roles import Role
from participation.models import Comment, Report, Support
from participation.services.reports import account_block, account_unblock
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    CycleFactory,
    ProposalFactory,
    UserFactory,
)
from tests.participation.test_moderation_queue import WHO, client_of

MODERATORS = {Role.MODERATOR, Role.ADMIN}


@pytest.fixture
def author(cycle):
    """A citizen who wrote a proposal in the commune."""
    return ProposalFactory(cycle=cycle, title="Des bancs").author


def account_url(user):
    return reverse("participation:moderation-account", args=[user.pk])


@pytest.mark.parametrize("who", WHO)
def test_blocking_is_for_the_communes_moderators(
    who, author, organisation, other_organisation, staff_of
):
    _user, client = client_of(who, organisation, other_organisation, staff_of)
    allowed = who in MODERATORS
    get = client.get(account_url(author))
    assert get.status_code == (200 if allowed else 302 if who is None else 403)
    post = client.post(
        account_url(author), {"reason": "Insultes répétées.", "confirm": "on"}
    )
    assert post.status_code == (302 if allowed or who is None else 403)
    assert AccountBlock.objects.exists() is allowed
    if not allowed:
        assert not AuditEvent.objects.exists()


def test_a_block_keeps_its_reason_and_is_audited(author, organisation, staff_of):
    moderator, client = staff_of(organisation, Role.MODERATOR)
    client.post(account_url(author), {"reason": "Insultes répétées.", "confirm": "on"})
    block = AccountBlock.objects.get()
    assert (block.organisation, block.user, block.blocked_by) == (
        organisation,
        author,
        moderator,
    )
    assert block.reason == "Insultes répétées."
    audit = AuditEvent.objects.get(action="account_block")
    assert (audit.target, audit.actor) == (f"user:{author.pk}", moderator)
    assert "Insultes répétées." in client.get(account_url(author)).content.decode()


def test_a_block_needs_a_reason_and_keeps_the_form(author, organisation, staff_of):
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    response = client.post(account_url(author), {"reason": ""})
    assert response.status_code == 400
    assert not AccountBlock.objects.exists()


def test_unblocking_lifts_the_block_and_keeps_it_in_the_history(
    author, organisation, staff_of
):
    moderator, client = staff_of(organisation, Role.ADMIN)
    account_block(
        organisation=organisation, user_id=author.pk, actor=moderator, reason="Spam"
    )
    url = reverse("participation:moderation-unblock", args=[author.pk])
    assert client.post(url).status_code == 302
    block = AccountBlock.objects.get()
    assert block.lifted_at is not None and block.lifted_by == moderator
    assert AuditEvent.objects.filter(action="account_unblock").count() == 1
    with pytest.raises(ValidationError) as error:
        account_unblock(organisation=organisation, user_id=author.pk, actor=moderator)
    assert error.value.code == "not_blocked"


def test_staff_and_oneself_are_never_blocked(organisation, staff_of):
    moderator, _client = staff_of(organisation, Role.MODERATOR)
    reviewer, _client = staff_of(organisation, Role.REVIEWER)
    for target in (reviewer, moderator):
        with pytest.raises(ValidationError) as error:
            account_block(
                organisation=organisation,
                user_id=target.pk,
                actor=moderator,
                reason="Non.",
            )
        assert error.value.code == "staff_not_blocked"
    assert not AccountBlock.objects.exists()


def test_an_account_is_blocked_once(author, organisation, staff_of):
    moderator, _client = staff_of(organisation, Role.MODERATOR)
    account_block(
        organisation=organisation, user_id=author.pk, actor=moderator, reason="A"
    )
    with pytest.raises(ValidationError) as error:
        account_block(
            organisation=organisation, user_id=author.pk, actor=moderator, reason="B"
        )
    assert error.value.code == "already_blocked"


def test_an_account_never_seen_in_the_commune_answers_404(organisation, staff_of):
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    stranger = UserFactory()
    assert client.get(account_url(stranger)).status_code == 404
    assert client.post(account_url(stranger), {"reason": "x"}).status_code == 404
    assert not AccountBlock.objects.exists()


def test_a_block_in_one_commune_leaves_the_other_alone(
    author, organisation, other_organisation, staff_of
):
    moderator, _client = staff_of(organisation, Role.MODERATOR)
    account_block(
        organisation=organisation, user_id=author.pk, actor=moderator, reason="A"
    )
    theirs = ProposalFactory(cycle=CycleFactory(organisation=other_organisation))
    client = client_for(other_organisation, author)
    url = reverse("participation:support-add", args=[theirs.pk])
    client.post(url)
    assert Support.objects.filter(user=author).count() == 1


def test_a_blocked_account_reads_why_it_cannot_contribute(
    author, organisation, cycle, staff_of
):
    moderator, _client = staff_of(organisation, Role.MODERATOR)
    account_block(
        organisation=organisation, user_id=author.pk, actor=moderator, reason="A"
    )
    proposal = ProposalFactory(cycle=cycle)
    comment = CommentFactory(proposal=proposal)
    client = client_for(organisation, author)
    expected = "bloqué"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert expected in page
    for url, data in (
        (reverse("participation:support-add", args=[proposal.pk]), {}),
        (
            reverse("participation:comment-create", args=[proposal.pk]),
            {"body": "Bonjour"},
        ),
        (
            reverse("participation:report-create", args=["commentaire", comment.pk]),
            {"reason": "spam"},
        ),
        (
            reverse("participation:proposal-create", args=[cycle.slug]),
            {"title": "Encore"},
        ),
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code in {200, 400}, url
        assert expected in response.content.decode(), url
    assert not Support.objects.exists()
    assert Comment.objects.count() == 1
    assert not Report.objects.exists()
