"""proposal_transition: one audit event per transition, all or nothing (issue 6)."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carte.roles import Role
from carte.tenancy import Actor
from participation import workflow
from participation.models import ModerationEvent, Notification, Proposal, StandardReply
from participation.services.moderation import proposal_transition
from tests import factories

A = workflow.Action
S = workflow.Status

# (status before, action, role acting: None is the author) -> status after
ALLOWED = [
    (S.SUBMITTED, A.PUBLISH, Role.MODERATOR, S.PUBLISHED),
    (S.SUBMITTED, A.REQUEST_CHANGES, Role.ADMIN, S.CHANGES_REQUESTED),
    (S.SUBMITTED, A.REJECT, Role.MODERATOR, S.REJECTED),
    (S.PUBLISHED, A.FORWARD, Role.MODERATOR, S.FORWARDED),
    (S.PUBLISHED, A.WITHDRAW, None, S.WITHDRAWN),
    (S.PUBLISHED, A.START_STUDY, Role.REVIEWER, S.UNDER_STUDY),
    (S.UNDER_STUDY, A.MARK_FEASIBLE, Role.REVIEWER, S.FEASIBLE),
    (S.UNDER_STUDY, A.MARK_NOT_FEASIBLE, Role.ADMIN, S.NOT_FEASIBLE),
    (S.FEASIBLE, A.GROUP, Role.REVIEWER, S.GROUPED),
]


def _actor(organisation, role, proposal):
    if role is None:
        return proposal.author
    return factories.MembershipFactory(organisation=organisation, role=role).user


def transition(proposal, *, actor, **fields):
    """proposal_transition on a proposal, by the user `actor` acting in the
    proposal's organisation."""
    return proposal_transition(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        actor=Actor.for_user(actor, proposal.organisation),
        **fields,
    )


@pytest.mark.parametrize(("before", "action", "role", "after"), ALLOWED)
def test_each_transition_writes_exactly_one_event_and_notifies_the_author(
    organisation, before, action, role, after, django_capture_on_commit_callbacks
):
    proposal = factories.ProposalFactory(
        cycle__organisation=organisation, status=before
    )
    actor = _actor(organisation, role, proposal)
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            proposal,
            action=action,
            actor=actor,
            reason="Parce que le conseil l'a décidé.",
            forwarded_to="Département du Nord",
        )
    proposal.refresh_from_db()
    assert proposal.status == after
    event = ModerationEvent.objects.get(proposal=proposal)
    assert (event.from_status, event.to_status, event.action) == (before, after, action)
    assert event.actor == actor
    assert event.actor_role == (role.value if role else "author")
    assert event.reason == "Parce que le conseil l'a décidé."
    notified = set(
        Notification.objects.filter(proposal=proposal).values_list("user", flat=True)
    )
    # The author is told of what others decide, never of their own action.
    assert notified == (set() if role is None else {proposal.author_id})


def test_a_failure_after_the_event_leaves_nothing_half_done(organisation):
    proposal = factories.ProposalFactory(
        cycle__organisation=organisation, status=S.SUBMITTED, published_at=None
    )
    moderator = _actor(organisation, Role.MODERATOR, proposal)
    with (
        mock.patch(
            "participation.services.moderation.notify_status_change",
            side_effect=RuntimeError("mail queue down"),
        ),
        pytest.raises(RuntimeError),
    ):
        transition(proposal, action=A.PUBLISH, actor=moderator)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert proposal.published_at is None
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    "role", [None, Role.REVIEWER, Role.COUNTER_AGENT, Role.ELECTED]
)
def test_a_role_that_may_not_publish_is_refused_and_nothing_is_written(
    organisation, role, make_user
):
    proposal = factories.ProposalFactory(
        cycle__organisation=organisation, status=S.SUBMITTED
    )
    actor = (
        make_user()
        if role is None
        else factories.MembershipFactory(organisation=organisation, role=role).user
    )
    with pytest.raises(PermissionDenied):
        transition(proposal, action=A.PUBLISH, actor=actor)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert not ModerationEvent.objects.exists()


def test_a_moderator_of_another_commune_cannot_reach_the_proposal(
    organisation, other_organisation
):
    proposal = factories.ProposalFactory(
        cycle__organisation=organisation, status=S.SUBMITTED
    )
    foreign = factories.MembershipFactory(
        organisation=other_organisation, role=Role.MODERATOR
    ).user
    with pytest.raises(Proposal.DoesNotExist):
        proposal_transition(
            organisation=other_organisation,
            proposal_id=proposal.pk,
            action=A.PUBLISH,
            actor=Actor.for_user(foreign, other_organisation),
        )
    # Acting in the right commune with a role held elsewhere is refused too.
    with pytest.raises(PermissionDenied):
        transition(proposal, action=A.PUBLISH, actor=foreign)
    assert not ModerationEvent.objects.exists()


def test_someone_else_cannot_withdraw_an_authors_proposal(organisation, make_user):
    proposal = factories.ProposalFactory(cycle__organisation=organisation)
    with pytest.raises(PermissionDenied):
        transition(proposal, action=A.WITHDRAW, actor=make_user())


def test_a_counter_agent_withdraws_only_what_was_entered_at_the_counter(organisation):
    agent = factories.MembershipFactory(
        organisation=organisation, role=Role.COUNTER_AGENT
    ).user
    online = factories.ProposalFactory(cycle__organisation=organisation)
    paper = factories.ProposalFactory(
        cycle__organisation=organisation, channel="counter", author=None
    )
    with pytest.raises(PermissionDenied):
        proposal_transition(
            organisation=organisation,
            proposal_id=online.pk,
            action=A.WITHDRAW,
            actor=Actor.for_user(agent, organisation),
        )
    event = proposal_transition(
        organisation=organisation,
        proposal_id=paper.pk,
        action=A.WITHDRAW,
        actor=Actor.for_user(agent, organisation),
    )
    assert event.actor_role == "counter_agent"


def test_an_action_that_does_not_apply_says_so(organisation):
    proposal = factories.ProposalFactory(cycle__organisation=organisation)
    moderator = _actor(organisation, Role.MODERATOR, proposal)
    with pytest.raises(ValidationError) as error:
        transition(proposal, action=A.PUBLISH, actor=moderator)
    assert error.value.code == "transition_not_allowed"


def test_a_rejection_needs_an_explanation_and_a_reason_from_the_list(organisation):
    proposal = factories.ProposalFactory(
        cycle__organisation=organisation, status=S.SUBMITTED
    )
    moderator = _actor(organisation, Role.MODERATOR, proposal)
    StandardReply.objects.create(
        organisation=organisation,
        use=StandardReply.Use.REJECT,
        title="Hors compétence",
        body="Cette idée ne relève pas de la commune.",
    )
    attempts = [
        ({"reason": ""}, "reason"),
        ({"reason": "Texte", "reason_label": "Inventé"}, "reason_label"),
    ]
    for kwargs, field in attempts:
        with pytest.raises(ValidationError) as error:
            transition(proposal, action=A.REJECT, actor=moderator, **kwargs)
        assert field in error.value.message_dict
    event = transition(
        proposal,
        action=A.REJECT,
        actor=moderator,
        reason="Cette idée ne relève pas de la commune.",
        reason_label="Hors compétence",
    )
    assert event.reason_label == "Hors compétence"
    assert ModerationEvent.objects.filter(proposal=proposal).count() == 1


def test_forwarding_names_the_competent_body(organisation):
    proposal = factories.ProposalFactory(cycle__organisation=organisation)
    moderator = _actor(organisation, Role.MODERATOR, proposal)
    with pytest.raises(ValidationError) as error:
        transition(
            proposal,
            action=A.FORWARD,
            actor=moderator,
            reason="La route est départementale.",
        )
    assert "forwarded_to" in error.value.message_dict
    transition(
        proposal,
        action=A.FORWARD,
        actor=moderator,
        reason="La route est départementale.",
        forwarded_to="Département du Nord",
    )
    proposal.refresh_from_db()
    assert proposal.forwarded_to == "Département du Nord"
