"""Merging duplicates and carrying supports over (issue 6)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carte.roles import Role
from carte.tenancy import Actor
from participation import workflow
from participation.models import (
    Comment,
    CyclePhase,
    ModerationEvent,
    Notification,
    Proposal,
    Support,
)
from participation.services import merging, supports
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    CycleFactory,
    ProposalFactory,
    UserFactory,
)

MERGE = "participation:proposal-merge"
CARRY = "participation:support-carry-over"


@pytest.fixture
def cycle(organisation):
    return CycleFactory(organisation=organisation)


@pytest.fixture
def moderator(organisation, staff_of):
    return staff_of(organisation, Role.MODERATOR)


@pytest.fixture
def pair(cycle):
    """A duplicate and the proposal it will be merged into."""
    original = ProposalFactory(cycle=cycle, title="Des bancs sur la promenade")
    target = ProposalFactory(cycle=cycle, title="Installer des bancs promenade")
    return original, target


def support(proposal, user=None):
    user = user or UserFactory()
    supports.support_add(
        organisation=proposal.organisation, proposal_id=proposal.pk, user=user
    )
    return user


def merge(original, target, actor, reason="Les deux idées demandent des bancs."):
    return merging.proposal_merge(
        organisation=original.organisation,
        proposal_id=original.pk,
        into_id=target.pk,
        actor=Actor.for_user(actor, original.organisation),
        reason=reason,
    )


def reload(*proposals):
    return [Proposal.objects.get(pk=p.pk) for p in proposals]


# The merge -----------------------------------------------------------------------


def test_merge_keeps_the_original_readable_with_a_banner(
    pair, moderator, commune_client
):
    original, target = pair
    CommentFactory(proposal=original, body="Oui, près du kiosque.")
    merge(original, target, moderator[0])
    (original,) = reload(original)
    assert original.status == workflow.Status.MERGED
    assert original.merged_into_id == target.pk
    page = commune_client.get(original.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cette proposition a été fusionnée avec" in html
    assert f"« {target.title} » (n° {target.pk})" in html
    assert target.get_absolute_url() in html
    assert "Oui, près du kiosque." in html  # comments stay where written
    assert Comment.objects.filter(proposal=original).count() == 1


def test_the_target_lists_the_proposals_merged_into_it(pair, moderator, commune_client):
    original, target = pair
    merge(original, target, moderator[0])
    html = commune_client.get(target.get_absolute_url()).content.decode()
    assert "Fusionne les propositions" in html
    assert original.get_absolute_url() in html
    assert f"(n° {original.pk})" in html


def test_merge_notifies_author_and_supporters_and_emails_after_commit(
    pair, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    original, target = pair
    supporters = [support(original) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        merge(original, target, moderator[0])
    notified = Notification.objects.filter(proposal=original)
    assert set(notified.filter(kind="merged").values_list("user", flat=True)) == {
        u.pk for u in supporters
    }
    assert notified.filter(user=original.author).exists()
    assert not notified.filter(user=moderator[0]).exists()
    assert len(callbacks) >= 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [original.author.email, *(u.email for u in supporters)]
    )
    to_supporter = next(m for m in mailoutbox if m.to[0] == supporters[0].email)
    assert "fusionnée" in to_supporter.subject
    assert "reporter votre soutien" in to_supporter.body
    assert "commenté" not in to_supporter.body


def test_a_supporter_reads_the_merge_in_the_notification_list(
    pair, moderator, commune_client
):
    original, target = pair
    supporter = support(original)
    merge(original, target, moderator[0])
    commune_client.force_login(supporter)
    page = commune_client.get(reverse("participation:notification-list"))
    assert "reporter votre soutien" in page.content.decode()


def test_no_mail_leaves_before_commit(pair, moderator, mailoutbox):
    original, target = pair
    support(original)
    merge(original, target, moderator[0])  # the test transaction never commits
    assert mailoutbox == []
    assert Notification.objects.filter(proposal=original).count() == 2


def test_merge_moves_no_support(pair, moderator):
    original, target = pair
    supporters = [support(original) for _ in range(3)]
    support(target)
    merge(original, target, moderator[0])
    original, target = reload(original, target)
    assert set(
        Support.objects.filter(proposal=original).values_list("user", flat=True)
    ) == {u.pk for u in supporters}
    assert (original.support_count, target.support_count) == (3, 1)
    assert Support.objects.filter(proposal=target).count() == 1


def test_merge_writes_exactly_one_event_with_the_explanation(pair, moderator):
    original, target = pair
    merge(original, target, moderator[0], reason="Même lieu, même besoin.")
    event = ModerationEvent.objects.get(proposal=original)
    assert (event.action, event.from_status, event.to_status) == (
        "merge",
        "published",
        "merged",
    )
    assert (event.actor_role, event.reason) == ("moderator", "Même lieu, même besoin.")
    assert not ModerationEvent.objects.filter(proposal=target).exists()


@pytest.mark.parametrize(
    "target_fields",
    [
        {"status": "rejected"},
        {"status": "submitted"},
        {"status": "published", "hidden_at": timezone.now()},
        {"status": "published", "other_cycle": True},
    ],
)
def test_an_invalid_target_writes_nothing(pair, moderator, cycle, target_fields):
    original, _target = pair
    support(original)
    fields = dict(target_fields)
    if fields.pop("other_cycle", False):
        fields["cycle"] = CycleFactory(organisation=cycle.organisation)
    else:
        fields["cycle"] = cycle
    bad = ProposalFactory(**fields)
    with pytest.raises(ValidationError) as error:
        merge(original, bad, moderator[0])
    assert "encore ouverte" in error.value.message_dict["merged_into"][0]
    (original,) = reload(original)
    assert original.status == "published" and original.merged_into is None
    assert not ModerationEvent.objects.exists()
    assert not Notification.objects.exists()


def test_a_failure_after_the_transition_leaves_nothing_half_done(
    pair, moderator, monkeypatch
):
    original, target = pair
    support(original)

    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(merging, "notifications_send", broken)
    with pytest.raises(RuntimeError):
        merge(original, target, moderator[0])
    (original,) = reload(original)
    assert original.status == "published"
    assert not ModerationEvent.objects.exists()
    assert not Notification.objects.exists()


def test_merge_needs_a_public_explanation(pair, moderator):
    original, target = pair
    with pytest.raises(ValidationError) as error:
        merge(original, target, moderator[0], reason="  ")
    assert "reason" in error.value.error_dict
    assert not ModerationEvent.objects.exists()


# The merge page --------------------------------------------------------------------


def test_the_merge_page_lists_candidates_and_searches_by_number_or_title(
    pair, moderator, cycle
):
    original, target = pair
    unrelated = ProposalFactory(cycle=cycle, title="Un composteur collectif")
    other_cycle = ProposalFactory(
        cycle=CycleFactory(organisation=cycle.organisation), title="Des bancs ailleurs"
    )
    client = moderator[1]
    url = reverse(MERGE, args=[original.pk])
    page = client.get(url)
    assert page.status_code == 200
    candidates = page.context["candidates"]
    assert candidates[0] == target  # shares title words
    assert other_cycle not in candidates and original not in candidates
    by_number = client.get(url, {"q": str(unrelated.pk)}).context["candidates"]
    assert by_number == [unrelated]
    by_title = client.get(url, {"q": "composteur"}).context["candidates"]
    assert by_title == [unrelated]


def merge_post(moderator, original, data):
    """The moderator's client posts `data` to the merge page of `original`."""
    return moderator[1].post(reverse(MERGE, args=[original.pk]), data)


def test_merging_through_the_page(pair, moderator):
    original, target = pair
    data = {"into": target.pk, "reason": "Doublon.", "q": ""}
    response = merge_post(moderator, original, data)
    assert response.status_code == 302
    (original,) = reload(original)
    assert original.merged_into_id == target.pk


def test_a_refused_merge_re_renders_the_form_with_the_input_kept(pair, moderator):
    original, target = pair
    data = {"into": target.pk, "reason": "", "q": "bancs"}
    response = merge_post(moderator, original, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Il y a un problème" in html
    assert 'value="bancs"' in html
    assert response.context["form"]["into"].value() == str(target.pk)
    assert not ModerationEvent.objects.exists()


def test_a_target_that_is_not_a_candidate_is_refused(pair, moderator, cycle):
    original, _target = pair
    closed = ProposalFactory(cycle=cycle, status="withdrawn")
    response = merge_post(
        moderator, original, {"into": closed.pk, "reason": "Doublon."}
    )
    assert response.status_code == 400
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    "role,expected",
    [
        (None, 403),
        (Role.REVIEWER, 403),
        (Role.COUNTER_AGENT, 403),
        (Role.ELECTED, 403),
        (Role.MODERATOR, 200),
        (Role.ADMIN, 200),
    ],
)
def test_who_may_merge(pair, organisation, staff_of, role, expected):
    original, target = pair
    if role is None:
        user = UserFactory()
        client = client_for(organisation, user)
    else:
        user, client = staff_of(organisation, role)
    url = reverse(MERGE, args=[original.pk])
    assert client.get(url).status_code == expected
    response = client.post(url, {"into": target.pk, "reason": "Doublon."})
    assert response.status_code == (302 if expected == 200 else 403)
    merged = ModerationEvent.objects.filter(proposal=original).exists()
    assert merged is (expected == 200)


def test_anonymous_visitors_are_sent_to_log_in(pair, commune_client):
    original, _target = pair
    response = commune_client.get(reverse(MERGE, args=[original.pk]))
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


def test_a_moderator_of_another_commune_gets_404(
    pair, other_organisation, staff_of, organisation
):
    original, target = pair
    _user, other_client = staff_of(other_organisation, Role.MODERATOR)
    url = reverse(MERGE, args=[original.pk])
    assert other_client.get(url).status_code == 404
    assert other_client.post(url, {"into": target.pk, "reason": "x"}).status_code == 404
    assert not ModerationEvent.objects.exists()


# Carrying a support over -----------------------------------------------------------


@pytest.fixture
def merged(pair, moderator):
    original, target = pair
    supporters = [support(original) for _ in range(3)]
    merge(original, target, moderator[0])
    return original, target, supporters


def test_the_supporter_sees_the_carry_over_button(merged, organisation):
    original, target, supporters = merged
    html = (
        client_for(organisation, supporters[0])
        .get(original.get_absolute_url())
        .content.decode()
    )
    assert f"Reporter mon soutien sur la proposition n° {target.pk}" in html
    other = client_for(organisation, UserFactory()).get(original.get_absolute_url())
    assert "Reporter mon soutien" not in other.content.decode()


def test_carry_over_moves_exactly_that_supporters_support(merged, organisation):
    original, target, supporters = merged
    client = client_for(organisation, supporters[0])
    response = client.post(reverse(CARRY, args=[original.pk]))
    assert response.status_code == 302
    assert response["Location"] == target.get_absolute_url() + "#soutiens"
    original, target = reload(original, target)
    assert (original.support_count, target.support_count) == (2, 1)
    assert list(
        Support.objects.filter(proposal=target).values_list("user", flat=True)
    ) == [supporters[0].pk]
    assert set(
        Support.objects.filter(proposal=original).values_list("user", flat=True)
    ) == {supporters[1].pk, supporters[2].pk}


def test_carry_over_twice_is_harmless(merged):
    original, target, supporters = merged
    for _ in range(2):
        merging.support_carry_over(
            organisation=original.organisation,
            proposal_id=original.pk,
            user=supporters[0],
        )
    original, target = reload(original, target)
    assert (original.support_count, target.support_count) == (2, 1)
    assert Support.objects.count() == 3


def test_a_supporter_of_both_keeps_one_support(merged):
    original, target, supporters = merged
    support(target, supporters[1])
    merging.support_carry_over(
        organisation=original.organisation, proposal_id=original.pk, user=supporters[1]
    )
    original, target = reload(original, target)
    assert (original.support_count, target.support_count) == (2, 1)
    assert Support.objects.filter(user=supporters[1]).count() == 1


def test_carry_over_is_refused_to_a_non_supporter(merged, organisation):
    original, target, _supporters = merged
    stranger = UserFactory()
    with pytest.raises(ValidationError) as error:
        merging.support_carry_over(
            organisation=organisation, proposal_id=original.pk, user=stranger
        )
    assert error.value.code == "not_supported"
    response = client_for(organisation, stranger).post(
        reverse(CARRY, args=[original.pk]), follow=True
    )
    assert "Vous ne soutenez pas cette proposition" in response.content.decode()
    original, target = reload(original, target)
    assert (original.support_count, target.support_count) == (3, 0)


def test_carry_over_is_refused_when_supports_are_closed(merged, cycle):
    original, target, supporters = merged
    now = timezone.now()
    CyclePhase.objects.filter(cycle=cycle).update(
        starts_at=now - timezone.timedelta(days=10),
        ends_at=now - timezone.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        merging.support_carry_over(
            organisation=original.organisation,
            proposal_id=original.pk,
            user=supporters[0],
        )
    assert error.value.code == "phase_closed"
    assert "fermés" in error.value.messages[0]
    original, target = reload(original, target)
    assert (original.support_count, target.support_count) == (3, 0)


def test_carry_over_follows_a_target_merged_in_turn(merged, moderator, cycle):
    original, target, supporters = merged
    final = ProposalFactory(cycle=cycle, title="Bancs et tables")
    merge(target, final, moderator[0])
    support_row = merging.support_carry_over(
        organisation=original.organisation, proposal_id=original.pk, user=supporters[0]
    )
    assert support_row.proposal_id == final.pk


def test_carry_over_is_refused_on_a_proposal_that_was_not_merged(pair, organisation):
    original, _target = pair
    user = support(original)
    with pytest.raises(ValidationError) as error:
        merging.support_carry_over(
            organisation=organisation, proposal_id=original.pk, user=user
        )
    assert error.value.code == "not_merged"


def test_carry_over_needs_a_post_and_an_account(merged, commune_client):
    original, _target, _supporters = merged
    url = reverse(CARRY, args=[original.pk])
    assert commune_client.get(url).status_code == 405
    response = commune_client.post(url)
    assert response.status_code == 302 and "/compte/" in response["Location"]


def test_carry_over_of_another_communes_proposal_is_404(merged, other_organisation):
    original, _target, supporters = merged
    client = client_for(other_organisation, supporters[0])
    assert client.post(reverse(CARRY, args=[original.pk])).status_code == 404
    assert Support.objects.filter(proposal=original).count() == 3


def test_a_merged_original_says_it_takes_no_more_supports(
    pair, moderator, commune_client
):
    original, target = pair
    merge(original, target, moderator[0])
    page = commune_client.get(original.get_absolute_url()).content.decode()
    assert "ne reçoit plus de soutiens" in page
    assert "Les soutiens sont ouverts" not in page
    assert "Connectez-vous pour soutenir" not in page
    # The target, still open, says so (the check above can fail).
    open_page = commune_client.get(target.get_absolute_url()).content.decode()
    assert "Les soutiens sont ouverts" in open_page
