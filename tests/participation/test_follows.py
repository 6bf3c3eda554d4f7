"""Following a proposal: told of its status changes and of new comments."""

from functools import partial

import pytest
from django.urls import reverse

from carte.roles import Role
from carte.tenancy import Actor
from participation.models import Follow, Notification
from participation.permissions.follows import can_follow
from participation.services.comments import comment_post
from participation.services.follows import follow_add
from tests.conftest import client_for
from tests.factories import build_proposal, proposal_of
from tests.participation.conftest import assert_back_at, url_of

follow_url = partial(url_of, "follow")
unfollow_url = partial(url_of, "unfollow")


def test_following_and_unfollowing(proposal, user):
    client = client_for(proposal.organisation, user)
    response = client.post(follow_url(proposal))
    assert_back_at(response, proposal, "suivre")
    assert Follow.objects.filter(proposal=proposal, user=user).count() == 1
    client.post(unfollow_url(proposal))
    assert not Follow.objects.exists()


def test_following_twice_changes_nothing(proposal, user):
    client = client_for(proposal.organisation, user)
    client.post(follow_url(proposal))
    client.post(follow_url(proposal))
    assert Follow.objects.count() == 1


def test_a_follower_is_told_of_new_comments(proposal, user, make_user):
    follow_add(organisation=proposal.organisation, proposal_id=proposal.pk, user=user)
    commenter = make_user()
    comment_post(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        author=commenter,
        body="Un avis",
    )
    notification = Notification.objects.get(user=user)
    assert notification.kind == Notification.Kind.COMMENT
    assert notification.proposal == proposal
    assert not Notification.objects.filter(user=commenter).exists()


def test_an_unfollower_is_no_longer_told(proposal, user, make_user):
    client = client_for(proposal.organisation, user)
    client.post(follow_url(proposal))
    client.post(unfollow_url(proposal))
    comment_post(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        author=make_user(),
        body="Un avis",
    )
    assert not Notification.objects.filter(user=user).exists()


def test_an_author_follows_their_unpublished_proposal(organisation, user):
    proposal = proposal_of(organisation, author=user, status="submitted")
    client_for(organisation, user).post(follow_url(proposal))
    assert Follow.objects.filter(user=user).exists()


def test_others_cannot_follow_an_unpublished_proposal(organisation, user):
    proposal = proposal_of(organisation, status="submitted")
    response = client_for(organisation, user).post(follow_url(proposal))
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_another_communes_proposal_answers_404(proposal, user, other_organisation):
    response = client_for(other_organisation, user).post(follow_url(proposal))
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(proposal):
    response = client_for(proposal.organisation).post(follow_url(proposal))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Follow.objects.exists()


def test_following_needs_a_post(proposal, user):
    response = client_for(proposal.organisation, user).get(follow_url(proposal))
    assert response.status_code == 405


@pytest.mark.parametrize("role", [None, *Role])
def test_any_account_may_follow_a_public_proposal(role, organisation):
    actor = Actor.with_role(role, organisation=organisation, user_id=1)
    proposal = build_proposal(organisation, author_id=2)
    assert can_follow(actor, proposal, phase=None) is True
    proposal.status = "submitted"
    assert can_follow(actor, proposal, phase=None) is False
    proposal.author_id = 1
    assert can_follow(actor, proposal, phase=None) is True
    assert can_follow(Actor.anonymous(organisation), proposal, phase=None) is False
