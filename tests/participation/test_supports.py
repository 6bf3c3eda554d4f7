"""Supports ("soutenir"): one per account, withdrawable, only while the phase allows."""

from datetime import timedelta
from functools import partial

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carte.roles import Role
from carte.tenancy import Actor
from participation import ratelimit
from participation.models import Support
from participation.permissions.supports import can_support
from participation.phases import FEATURES, Feature, Phase
from participation.services.supports import (
    proposal_counts_recompute,
    support_add,
    support_withdraw,
)
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    CycleFactory,
    CyclePhaseFactory,
    ProposalFactory,
    build_proposal,
    proposal_of,
)
from tests.participation.conftest import (
    assert_back_at,
    assert_open_in_phases,
    url_of,
)

support_url = partial(url_of, "support-add")
withdraw_url = partial(url_of, "support-withdraw")


def messages_of(response) -> list[str]:
    """The messages this response added (earlier ones wait in the session)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def test_supporting_counts_one_support(proposal, user):
    client = client_for(proposal.organisation, user)
    response = client.post(support_url(proposal))
    assert_back_at(response, proposal, "soutiens")
    assert Support.objects.filter(proposal=proposal, user=user).count() == 1
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert messages_of(response) == ["Merci : votre soutien est compté."]


def test_an_account_supports_a_proposal_only_once(proposal, user):
    client = client_for(proposal.organisation, user)
    client.post(support_url(proposal))
    response = client.post(support_url(proposal))
    assert messages_of(response) == ["Vous soutenez déjà cette idée."]
    assert Support.objects.filter(proposal=proposal).count() == 1
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_the_service_refuses_a_second_support_with_a_code(proposal, user):
    support_add(organisation=proposal.organisation, proposal_id=proposal.pk, user=user)
    with pytest.raises(ValidationError) as error:
        support_add(
            organisation=proposal.organisation, proposal_id=proposal.pk, user=user
        )
    assert error.value.code == "already_supported"


def test_withdrawing_removes_the_support_and_the_count(proposal, user):
    client = client_for(proposal.organisation, user)
    client.post(support_url(proposal))
    response = client.post(withdraw_url(proposal))
    assert messages_of(response) == ["Votre soutien a été retiré."]
    assert not Support.objects.filter(proposal=proposal).exists()
    proposal.refresh_from_db()
    assert proposal.support_count == 0


def test_withdrawing_a_support_never_given_is_refused(proposal, user):
    with pytest.raises(ValidationError) as error:
        support_withdraw(
            organisation=proposal.organisation, proposal_id=proposal.pk, user=user
        )
    assert error.value.code == "not_supported"
    proposal.refresh_from_db()
    assert proposal.support_count == 0


def test_the_count_stays_exact_with_many_accounts(proposal, make_user):
    users = make_user.create_batch(5)
    for user in users:
        support_add(
            organisation=proposal.organisation, proposal_id=proposal.pk, user=user
        )
    for user in users[:2]:
        support_withdraw(
            organisation=proposal.organisation, proposal_id=proposal.pk, user=user
        )
    proposal.refresh_from_db()
    assert proposal.support_count == Support.objects.filter(proposal=proposal).count()
    assert proposal.support_count == 3


@pytest.mark.parametrize("phase", [None, *Phase])
def test_supports_follow_the_phase_table_through_the_view(organisation, user, phase):
    cycle = CycleFactory(organisation=organisation, phase=phase or False)
    proposal = ProposalFactory(cycle=cycle)
    client = client_for(organisation, user)
    response = client.post(support_url(proposal))
    assert response.status_code == 302
    proposal.refresh_from_db()
    if phase is not None and Feature.SUPPORT in FEATURES[phase]:
        assert Support.objects.filter(proposal=proposal, user=user).exists()
        assert proposal.support_count == 1
    else:
        assert not Support.objects.exists()
        assert proposal.support_count == 0
        [message] = messages_of(response)
        assert message.startswith("Les soutiens ")
        assert "fermés" in message or "pas ouverts" in message


@pytest.mark.parametrize("phase", [None, *Phase])
def test_withdrawing_follows_the_phase_table_through_the_view(
    organisation, user, phase
):
    cycle = CycleFactory(organisation=organisation, phase=phase or False)
    proposal = ProposalFactory(cycle=cycle, support_count=1)
    Support.objects.create(organisation=organisation, proposal=proposal, user=user)
    client_for(organisation, user).post(withdraw_url(proposal))
    proposal.refresh_from_db()
    if phase is not None and Feature.SUPPORT in FEATURES[phase]:
        assert proposal.support_count == 0
        assert not Support.objects.exists()
    else:
        assert proposal.support_count == 1
        assert Support.objects.count() == 1


def test_closed_supports_say_when_they_open(organisation, user):
    cycle = CycleFactory(organisation=organisation, phase=False)
    start = timezone.localtime() + timedelta(days=3)
    CyclePhaseFactory(cycle=cycle, phase=Phase.SUBMISSION, starts_at=start)
    proposal = ProposalFactory(cycle=cycle)
    response = client_for(organisation, user).post(support_url(proposal))
    [message] = messages_of(response)
    assert "Ils ouvrent le" in message
    assert str(start.day) in message
    assert not Support.objects.exists()


def test_ended_supports_say_when_they_closed(organisation, user):
    cycle = CycleFactory(organisation=organisation, phase=False)
    now = timezone.now()
    CyclePhaseFactory(
        cycle=cycle,
        phase=Phase.SUBMISSION,
        starts_at=now - timedelta(days=20),
        ends_at=now - timedelta(days=10),
    )
    CyclePhaseFactory(
        cycle=cycle, phase=Phase.REVIEW, starts_at=now - timedelta(days=10)
    )
    proposal = ProposalFactory(cycle=cycle)
    response = client_for(organisation, user).post(support_url(proposal))
    [message] = messages_of(response)
    assert message.startswith("Les soutiens sont fermés : la phase « ")
    assert "s'est terminée le" in message


def test_an_anonymous_visitor_is_sent_to_log_in_then_back(proposal):
    response = client_for(proposal.organisation).post(support_url(proposal))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" + proposal.get_absolute_url().replace("/", "%2F") in response.url
    assert not Support.objects.exists()


def test_another_communes_proposal_answers_404(proposal, other_organisation, user):
    response = client_for(other_organisation, user).post(support_url(proposal))
    assert response.status_code == 404
    assert not Support.objects.exists()


def test_an_unpublished_proposal_cannot_be_supported(organisation, user):
    proposal = proposal_of(organisation, status="submitted")
    response = client_for(organisation, user).post(support_url(proposal))
    assert response.status_code == 404
    assert not Support.objects.exists()


def test_supporting_needs_a_post(proposal, user):
    response = client_for(proposal.organisation, user).get(support_url(proposal))
    assert response.status_code == 405


def test_supporting_too_fast_is_refused(proposal, make_user, settings):
    settings.AGORA_RATE_LIMITS = {"support": [[2, 60]]}
    user = make_user()
    client = client_for(proposal.organisation, user)
    client.post(support_url(proposal))
    client.post(withdraw_url(proposal))
    response = client.post(support_url(proposal))
    assert messages_of(response) == [
        "Vous allez trop vite. Attendez une minute, puis réessayez."
    ]
    assert not Support.objects.exists()


# The predicate, role × phase, and the object cases ---------------------------------


@pytest.mark.parametrize("role", [None, *Role])
@pytest.mark.parametrize("phase", [None, *Phase])
def test_can_support_follows_the_phase_for_every_account(role, phase, organisation):
    assert_open_in_phases(can_support, Feature.SUPPORT, role, phase, organisation)


def test_an_anonymous_visitor_cannot_support(organisation):
    proposal = build_proposal(organisation)
    actor = Actor.anonymous(organisation)
    assert can_support(actor, proposal, phase=Phase.SUBMISSION) is False


def test_an_account_on_another_communes_site_cannot_support(
    organisation, other_organisation
):
    proposal = build_proposal(organisation)
    actor = Actor.with_role(None, organisation=other_organisation)
    assert can_support(actor, proposal, phase=Phase.SUBMISSION) is False


def test_an_unpublished_proposal_cannot_be_supported_by_its_author(organisation):
    proposal = build_proposal(organisation, status="submitted", author=None)
    actor = Actor.with_role(None, organisation=organisation)
    assert can_support(actor, proposal, phase=Phase.SUBMISSION) is False


def test_rate_limits_count_per_account_and_per_commune(settings):
    settings.AGORA_RATE_LIMITS = {"support": [[1, 60]]}
    ratelimit.hit("support", organisation_id=1, user_id=1)
    with pytest.raises(ratelimit.RateLimitExceeded) as error:
        ratelimit.hit("support", organisation_id=1, user_id=1)
    assert error.value.retry_after == 60
    ratelimit.hit("support", organisation_id=2, user_id=1)  # another commune
    ratelimit.hit("support", organisation_id=1, user_id=2)  # another account
    ratelimit.hit("comment", organisation_id=1, user_id=1)  # another action


def test_counts_are_recomputed_after_rows_vanish(proposal, make_user):
    users = make_user.create_batch(3)
    for user in users:
        support_add(
            organisation=proposal.organisation, proposal_id=proposal.pk, user=user
        )
    CommentFactory(proposal=proposal, author=users[0])
    CommentFactory(proposal=proposal, author=users[1], deleted_at=timezone.now())
    users[2].delete()  # an erased account: its support cascades away
    untouched = ProposalFactory(cycle=proposal.cycle)
    org = proposal.organisation
    assert proposal_counts_recompute(organisation=org) == 1
    proposal.refresh_from_db()
    assert (proposal.support_count, proposal.comment_count) == (2, 1)
    untouched.refresh_from_db()
    assert (untouched.support_count, untouched.comment_count) == (0, 0)
    assert proposal_counts_recompute(organisation=org) == 0
