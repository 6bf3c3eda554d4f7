"""The moderation queue and the per-proposal moderation page (issue 6).

Who may open them and act (the permission matrix), each action writing exactly
one ModerationEvent and notifying the author, bulk publication being all or
nothing, the sections, filters and order of the queue, its bounded queries, and
the commune's standard replies.
"""

import pytest
from django.urls import reverse

from carte.roles import Role
from carte.tenancy import Actor
from participation import workflow
from participation.models import (
    ModerationEvent,
    Notification,
    Proposal,
    StandardReply,
)
from participation.services.moderation import (
    proposal_transition,
    proposals_publish,
    standard_replies_seed,
)
from tests.conftest import client_for
from tests.factories import (
    CycleFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)

S = workflow.Status
QUEUE = reverse("participation:moderation-queue")
MODERATORS = {Role.MODERATOR, Role.ADMIN}
# Who asks: anonymous, a citizen, each staff role, a moderator of another commune.
WHO = [None, "citizen", *Role, "other_moderator"]


def submitted(cycle, **fields):
    return ProposalFactory(cycle=cycle, status=S.SUBMITTED, published_at=None, **fields)


def client_of(who, organisation, other_organisation, staff_of):
    """(user or None, client on the commune's host) for one row of `WHO`."""
    if who is None:
        return None, client_for(organisation)
    if who == "citizen":
        user = UserFactory()
        return user, client_for(organisation, user)
    if who == "other_moderator":
        user, _client = staff_of(other_organisation, Role.MODERATOR)
        return user, client_for(organisation, user)
    return staff_of(organisation, who)


@pytest.fixture
def client_as(organisation, other_organisation, staff_of):
    """client_as(who) -> (user or None, client on the commune's host)."""
    return lambda who: client_of(who, organisation, other_organisation, staff_of)


def expected_status(who, allowed=200):
    if who is None:
        return 302  # to the login page
    return allowed if who in MODERATORS else 403


# Permission matrix -------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_queue_is_for_the_communes_moderators(who, client_as, cycle):
    submitted(cycle)
    _user, client = client_as(who)
    response = client.get(QUEUE)
    assert response.status_code == expected_status(who)
    if who is None:
        assert reverse("account_login") in response.url


@pytest.mark.parametrize("who", WHO)
def test_moderation_page_is_for_the_communes_moderators(who, client_as, cycle):
    proposal = submitted(cycle)
    _user, client = client_as(who)
    url = reverse("participation:moderation-proposal", args=[proposal.pk])
    assert client.get(url).status_code == expected_status(who)


ACTIONS = {
    workflow.Action.PUBLISH: {},
    workflow.Action.REQUEST_CHANGES: {"reason": "Précisez le lieu."},
    workflow.Action.REJECT: {
        "reason": "Hors compétence de la commune.",
        "confirm": "on",
    },
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_post_is_refused_to_others_and_writes_nothing(
    who, action, client_as, cycle
):
    proposal = submitted(cycle)
    _user, client = client_as(who)
    url = reverse("participation:moderation-action", args=[proposal.pk, action])
    response = client.post(url, ACTIONS[action])
    assert response.status_code == expected_status(who, allowed=302)
    proposal.refresh_from_db()
    if who in MODERATORS:
        assert ModerationEvent.objects.filter(proposal=proposal).count() == 1
    else:
        assert proposal.status == S.SUBMITTED
        assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize("who", WHO)
def test_bulk_publish_is_refused_to_others(who, client_as, cycle):
    proposal = submitted(cycle)
    _user, client = client_as(who)
    response = client.post(
        reverse("participation:moderation-publish"), {"proposal": [proposal.pk]}
    )
    assert response.status_code == expected_status(who, allowed=302)
    proposal.refresh_from_db()
    assert (proposal.status == S.PUBLISHED) is (who in MODERATORS)


def test_moderator_of_another_commune_gets_404_for_its_ids(
    organisation, other_organisation, staff_of
):
    proposal = submitted(CycleFactory(organisation=other_organisation))
    _user, client = staff_of(organisation, Role.MODERATOR)
    page = reverse("participation:moderation-proposal", args=[proposal.pk])
    assert client.get(page).status_code == 404
    action = reverse(
        "participation:moderation-action", args=[proposal.pk, workflow.Action.PUBLISH]
    )
    assert client.post(action).status_code == 404
    response = client.post(
        reverse("participation:moderation-publish"), {"proposal": [proposal.pk]}
    )
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert not ModerationEvent.objects.exists()


# Each action through the view -----------------------------------------------------


@pytest.fixture
def moderator(organisation, staff_of):
    return staff_of(organisation, Role.MODERATOR)


def act(client, proposal, action, data=None):
    url = reverse("participation:moderation-action", args=[proposal.pk, action])
    return client.post(url, data or {})


@pytest.mark.parametrize(
    ("action", "data", "status"),
    [
        (workflow.Action.PUBLISH, {}, S.PUBLISHED),
        (
            workflow.Action.REQUEST_CHANGES,
            {"reason": "Précisez le lieu."},
            S.CHANGES_REQUESTED,
        ),
        (
            workflow.Action.REJECT,
            {"reason": "Hors compétence.", "confirm": "on"},
            S.REJECTED,
        ),
    ],
)
def test_an_action_writes_one_event_and_notifies_the_author(
    action,
    data,
    status,
    moderator,
    cycle,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    user, client = moderator
    proposal = submitted(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, proposal, action, data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == status
    event = ModerationEvent.objects.get(proposal=proposal)
    assert (event.action, event.from_status, event.to_status) == (
        action,
        S.SUBMITTED,
        status,
    )
    assert (event.actor, event.actor_role) == (user, Role.MODERATOR)
    assert event.reason == data.get("reason", "")
    assert Notification.objects.filter(user=proposal.author).count() == 1
    assert [m.to for m in mailoutbox] == [[proposal.author.email]]


def test_forward_and_study_from_published(moderator, cycle):
    _user, client = moderator
    forwarded, studied = ProposalFactory.create_batch(2, cycle=cycle)
    response = act(
        client,
        forwarded,
        workflow.Action.FORWARD,
        {"forwarded_to": "Le département", "reason": "Route départementale."},
    )
    assert response.status_code == 302
    assert act(client, studied, workflow.Action.START_STUDY).status_code == 302
    forwarded.refresh_from_db()
    studied.refresh_from_db()
    assert (forwarded.status, forwarded.forwarded_to) == (S.FORWARDED, "Le département")
    assert studied.status == S.UNDER_STUDY
    assert ModerationEvent.objects.count() == 2


def test_a_missing_reason_re_renders_the_page_with_the_input_kept(moderator, cycle):
    _user, client = moderator
    proposal = ProposalFactory(cycle=cycle)
    response = act(
        client, proposal, workflow.Action.FORWARD, {"forwarded_to": "La région"}
    )
    assert response.status_code == 400
    assert 'value="La région"' in response.content.decode()
    assert "Expliquez" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED
    assert not ModerationEvent.objects.exists()


def test_an_action_the_status_does_not_allow_is_refused_with_400(moderator, cycle):
    _user, client = moderator
    proposal = ProposalFactory(cycle=cycle)  # already published
    assert act(client, proposal, workflow.Action.PUBLISH).status_code == 400
    assert not ModerationEvent.objects.exists()


def test_the_page_offers_only_the_actions_of_the_status(moderator, cycle):
    _user, client = moderator
    proposal = submitted(cycle)
    url = reverse("participation:moderation-proposal", args=[proposal.pk])
    html = client.get(url).content.decode()
    for action in (
        workflow.Action.PUBLISH,
        workflow.Action.REQUEST_CHANGES,
        workflow.Action.REJECT,
    ):
        assert (
            reverse("participation:moderation-action", args=[proposal.pk, action])
            in html
        )
    assert (
        reverse(
            "participation:moderation-action",
            args=[proposal.pk, workflow.Action.FORWARD],
        )
        not in html
    )


def test_a_rejection_takes_its_reason_from_the_communes_list(
    moderator, organisation, cycle
):
    _user, client = moderator
    standard_replies_seed(organisation=organisation)
    reply = StandardReply.objects.filter(use=StandardReply.Use.REJECT).first()
    proposal = submitted(cycle)
    response = act(
        client, proposal, workflow.Action.REJECT, {"reason": "Libre.", "confirm": "on"}
    )
    assert response.status_code == 400  # a reason from the list is needed
    response = act(
        client, proposal, workflow.Action.REJECT, {"reply": reply.pk, "confirm": "on"}
    )
    assert response.status_code == 302
    event = ModerationEvent.objects.get()
    assert (event.reason_label, event.reason) == (reply.title, reply.body)


def test_a_standard_reply_prefills_the_request_for_changes(
    moderator, organisation, cycle
):
    _user, client = moderator
    standard_replies_seed(organisation=organisation)
    reply = StandardReply.objects.filter(use=StandardReply.Use.REQUEST_CHANGES)[0]
    proposal = submitted(cycle)
    act(client, proposal, workflow.Action.REQUEST_CHANGES, {"reply": reply.pk})
    assert ModerationEvent.objects.get().reason == reply.body


# Bulk publication ---------------------------------------------------------------


def test_bulk_publish_publishes_each_with_its_event(moderator, cycle):
    _user, client = moderator
    proposals = [submitted(cycle) for _ in range(3)]
    response = client.post(
        reverse("participation:moderation-publish"),
        {"proposal": [p.pk for p in proposals]},
    )
    assert response.status_code == 302
    assert set(Proposal.objects.values_list("status", flat=True)) == {S.PUBLISHED}
    assert ModerationEvent.objects.filter(action=workflow.Action.PUBLISH).count() == 3


def test_bulk_publish_is_all_or_nothing(
    moderator, cycle, django_capture_on_commit_callbacks, mailoutbox
):
    _user, client = moderator
    good = submitted(cycle)
    already = ProposalFactory(cycle=cycle, title="Déjà publiée")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participation:moderation-publish"),
            {"proposal": [good.pk, already.pk], "section": "nouvelles"},
        )
    assert response.status_code == 400
    assert "Déjà publiée" in response.content.decode()
    good.refresh_from_db()
    assert good.status == S.SUBMITTED
    assert not ModerationEvent.objects.exists()
    assert not Notification.objects.exists()
    assert mailoutbox == []
    # The ticked boxes are kept.
    assert f'value="{good.pk}" id="publier-{good.pk}" checked' in (
        response.content.decode()
    )


def transition(proposal, action, user, **fields):
    """`proposal_transition` by `user`, in the proposal's organisation."""
    organisation = proposal.organisation
    proposal_transition(
        organisation=organisation,
        proposal_id=proposal.pk,
        action=action,
        actor=Actor.for_user(user, organisation),
        **fields,
    )


def test_bulk_publish_service_refuses_a_later_failure_whole(
    organisation, cycle, moderator
):
    user, _client = moderator
    first, second = submitted(cycle), submitted(cycle)
    # The second is sent back meanwhile: the batch fails after publishing the first.
    transition(second, workflow.Action.REJECT, user, reason="Doublon.")
    with pytest.raises(Exception) as error:
        proposals_publish(
            organisation=organisation,
            proposal_ids=[first.pk, second.pk],
            actor=Actor.for_user(user, organisation),
        )
    assert error.value.code == "batch_refused"
    first.refresh_from_db()
    assert first.status == S.SUBMITTED
    assert ModerationEvent.objects.filter(proposal=first).count() == 0


def test_bulk_publish_with_nothing_ticked_says_so(moderator):
    _user, client = moderator
    response = client.post(reverse("participation:moderation-publish"), {})
    assert response.status_code == 400
    assert "Cochez" in response.content.decode()


# Sections, filters, order ------------------------------------------------------


def test_sections_split_new_proposals_and_changes_to_read_again(
    moderator, organisation, cycle
):
    user, client = moderator
    fresh = submitted(cycle, title="Toute nouvelle")
    again = submitted(cycle, title="Relue et renvoyée")
    transition(again, workflow.Action.REQUEST_CHANGES, user, reason="Précisez.")
    transition(again, workflow.Action.SUBMIT, again.author)
    new_page = client.get(QUEUE).content.decode()
    changes_page = client.get(QUEUE, {"section": "modifications"}).content.decode()
    assert fresh.title in new_page and again.title not in new_page
    assert again.title in changes_page and fresh.title not in changes_page


def test_the_queue_lists_oldest_first_and_filters(moderator, organisation, cycle):
    _user, client = moderator
    theme = ThemeFactory(organisation=organisation)
    other_cycle = CycleFactory(organisation=organisation, slug="autre")
    from django.utils import timezone

    now = timezone.now()
    late = submitted(cycle, title="Arrosage tardif", submitted_at=now)
    early = submitted(
        cycle,
        title="Bancs anciens",
        submitted_at=now - timezone.timedelta(days=2),
        theme=theme,
    )
    elsewhere = submitted(other_cycle, title="Ailleurs")
    html = client.get(QUEUE).content.decode()
    assert html.index(early.title) < html.index(late.title)
    assert elsewhere.title in html
    html = client.get(QUEUE, {"cycle": cycle.pk}).content.decode()
    assert elsewhere.title not in html
    html = client.get(QUEUE, {"theme": theme.pk}).content.decode()
    assert early.title in html and late.title not in html
    html = client.get(QUEUE, {"q": "ARROSAGE"}).content.decode()
    assert late.title in html and early.title not in html
    html = client.get(QUEUE, {"visibility": "hidden"}).content.decode()
    assert late.title not in html


def test_the_queue_never_shows_another_communes_proposals(
    moderator, other_organisation, cycle
):
    _user, client = moderator
    theirs = submitted(CycleFactory(organisation=other_organisation), title="Pas ici")
    assert theirs.title not in client.get(QUEUE).content.decode()


@pytest.mark.parametrize("section", ["nouvelles", "signalements"])
def test_queue_queries_are_bounded(
    section, moderator, organisation, cycle, django_assert_max_num_queries
):
    _user, client = moderator
    from participation.models import Report

    proposals = ProposalFactory.create_batch(
        300, cycle=cycle, status=S.SUBMITTED, published_at=None
    )
    reporter = UserFactory()
    published = ProposalFactory.create_batch(30, cycle=cycle)
    Report.objects.bulk_create(
        Report(organisation=organisation, proposal=p, reporter=reporter, reason="spam")
        for p in published
    )
    assert proposals
    with django_assert_max_num_queries(18):
        response = client.get(QUEUE, {"section": section})
    assert response.status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(QUEUE, {"section": section, "page": 2}).status_code == 200


# Standard replies ------------------------------------------------------------------

REPLIES = reverse("participation:moderation-replies")


@pytest.mark.parametrize("who", WHO)
def test_standard_replies_are_for_the_communes_moderators(who, client_as):
    _user, client = client_as(who)
    assert client.get(REPLIES).status_code == expected_status(who)
    response = client.post(
        reverse("participation:moderation-reply-create"),
        {"use": "reject", "title": "Hors sujet", "body": "Hors sujet.", "position": 1},
    )
    assert response.status_code == expected_status(who, allowed=302)
    assert StandardReply.objects.exists() is (who in MODERATORS)


def test_standard_replies_are_seeded_edited_and_withdrawn(moderator, organisation):
    _user, client = moderator
    assert client.post(reverse("participation:moderation-replies-seed")).status_code
    count = StandardReply.objects.for_organisation(organisation).count()
    assert count >= 5
    client.post(reverse("participation:moderation-replies-seed"))
    assert StandardReply.objects.count() == count  # nothing twice
    reply = StandardReply.objects.filter(use="reject").first()
    url = reverse("participation:moderation-reply-edit", args=[reply.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"use": "reject", "title": "Nouveau titre", "body": "Texte.", "position": 2},
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.title, reply.body) == ("Nouveau titre", "Texte.")
    client.post(reverse("participation:moderation-reply-toggle", args=[reply.pk]))
    reply.refresh_from_db()
    assert reply.is_active is False
    assert "Nouveau titre" in client.get(REPLIES).content.decode()


def test_a_duplicate_reply_title_keeps_the_input(moderator, organisation):
    _user, client = moderator
    StandardReply.objects.create(
        organisation=organisation, use="reject", title="Hors sujet", body="x"
    )
    response = client.post(
        reverse("participation:moderation-reply-create"),
        {"use": "reject", "title": "Hors sujet", "body": "Mon texte", "position": 0},
    )
    assert response.status_code == 400
    assert "Mon texte" in response.content.decode()
    assert StandardReply.objects.count() == 1


def test_another_communes_reply_answers_404(moderator, other_organisation):
    _user, client = moderator
    theirs = StandardReply.objects.create(
        organisation=other_organisation, use="reject", title="Autre", body="x"
    )
    url = reverse("participation:moderation-reply-edit", args=[theirs.pk])
    assert client.get(url).status_code == 404
    toggle = reverse("participation:moderation-reply-toggle", args=[theirs.pk])
    assert client.post(toggle).status_code == 404
