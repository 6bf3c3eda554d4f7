"""Moderation and review transitions of proposals (state changes, audited).

Every transition goes through `proposal_transition`: it locks the proposal,
checks the actor's role in the commune against `participation.workflow`, records
exactly one `ModerationEvent` (who, role, when, from, to, reason) in the same
transaction, and notifies the author and followers (e-mails after commit).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.models import Organisation
from carte.tenancy import Actor
from participation import workflow
from participation.models import ModerationEvent, Proposal, StandardReply
from participation.permissions.moderation import party_for
from participation.services.notifications import notify_status_change
from participation.services.text import text_clean

REASON_MAX_LENGTH = 5000
FORWARDED_TO_MAX_LENGTH = 255


def apply_transition(
    proposal: Proposal,
    *,
    organisation: Organisation,
    actor_id: int | None,
    party: workflow.Party | str,
    action: workflow.Action,
    reason: str = "",
    reason_label: str = "",
    now: datetime,
    extra_fields: tuple[str, ...] = (),
) -> ModerationEvent:
    """Move a locked proposal along the table and write its one event (by the
    account `actor_id`)."""
    try:
        new_status = workflow.next_status(workflow.Status(proposal.status), action)
    except workflow.TransitionError as error:
        raise ValidationError(
            _("This action is not possible at this stage."), code=error.code
        ) from error
    event = ModerationEvent.objects.create(
        organisation=organisation,
        proposal=proposal,
        actor_id=actor_id,
        actor_role=str(party),
        action=action,
        from_status=proposal.status,
        to_status=new_status,
        reason_label=reason_label,
        reason=reason,
        created_at=now,
    )
    proposal.status = new_status
    fields = ["status", "updated_at", *extra_fields]
    if new_status == workflow.Status.SUBMITTED:
        proposal.submitted_at = now
        fields.append("submitted_at")
    if new_status == workflow.Status.PUBLISHED and proposal.published_at is None:
        proposal.published_at = now
        fields.append("published_at")
    proposal.save(update_fields=fields)
    return event


def _clean_reason(action: workflow.Action, reason: str) -> str:
    required = _("Explain this decision: the explanation is published.")
    return text_clean(
        reason,
        field="reason",
        max_length=REASON_MAX_LENGTH,
        required=required if action in workflow.REASON_REQUIRED else None,
        too_long=_("Keep the explanation under %(max)s characters."),
    )


def _clean_reason_label(
    organisation: Organisation, action: workflow.Action, reason_label: str
) -> str:
    """A rejection names one of the commune's reasons, when it has a list."""
    reason_label = (reason_label or "").strip()
    if action != workflow.Action.REJECT:
        return reason_label[:120]
    offered = set(
        StandardReply.objects.for_organisation(organisation)
        .filter(use=StandardReply.Use.REJECT, is_active=True)
        .values_list("title", flat=True)
    )
    if offered and reason_label not in offered:
        raise ValidationError(
            {"reason_label": _("Choose the reason for the rejection in the list.")},
            code="reason_label_required",
        )
    return reason_label


def proposal_locked(organisation: Organisation, proposal_id: int) -> Proposal:
    """The commune's proposal, locked for the transaction (DoesNotExist otherwise)."""
    return (
        Proposal.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=proposal_id)
    )


@transaction.atomic
def proposal_transition(
    *,
    organisation: Organisation,
    proposal_id: int,
    action: workflow.Action,
    actor: Actor,
    reason: str = "",
    reason_label: str = "",
    forwarded_to: str = "",
    merged_into_id: int | None = None,
    now: datetime | None = None,
) -> ModerationEvent:
    """Apply one workflow action to a proposal, audited, and notify after commit.

    `actor` is resolved in `organisation` (the event records its account).
    Refusals: `PermissionDenied` when the actor's role in this commune may not
    take the action (or the proposal is another commune's: `DoesNotExist`);
    `ValidationError` with a code when the action does not apply in the current
    status ("transition_not_allowed"), a required reason is missing
    ("reason_required"), a rejection reason is not in the commune's list, the
    competent body is missing for a forward, or the merge target is not
    acceptable. Nothing is written when it refuses.
    """
    now = now or timezone.now()
    action = workflow.Action(action)
    proposal = proposal_locked(organisation, proposal_id)
    party = party_for(actor, proposal, action)
    if party is None:
        raise PermissionDenied(_("Your role does not allow this action."))
    reason = _clean_reason(action, reason)
    reason_label = _clean_reason_label(organisation, action, reason_label)
    extra: tuple[str, ...] = ()
    if action == workflow.Action.FORWARD:
        forwarded_to = " ".join((forwarded_to or "").split())
        if not forwarded_to:
            raise ValidationError(
                {
                    "forwarded_to": _(
                        "Name the competent body, for example the département."
                    )
                },
                code="forwarded_to_required",
            )
        proposal.forwarded_to = forwarded_to[:FORWARDED_TO_MAX_LENGTH]
        extra = ("forwarded_to",)
    if action == workflow.Action.MERGE:
        proposal.merged_into = _merge_target(organisation, proposal, merged_into_id)
        extra = ("merged_into",)
    event = apply_transition(
        proposal,
        organisation=organisation,
        actor_id=actor.user_id,
        party=party,
        action=action,
        reason=reason,
        reason_label=reason_label,
        now=now,
        extra_fields=extra,
    )
    notify_status_change(
        organisation=organisation, proposal_id=proposal.pk, event_id=event.pk
    )
    return event


def _merge_target(
    organisation: Organisation, proposal: Proposal, target_id: int | None
) -> Proposal:
    """The proposal a duplicate is merged into: public, active, another one."""
    target = (
        Proposal.objects.for_organisation(organisation).filter(pk=target_id).first()
        if target_id is not None
        else None
    )
    if target is None or target.pk == proposal.pk:
        raise ValidationError(
            {"merged_into": _("Choose the proposal to merge into.")},
            code="merge_target_required",
        )
    if target.cycle_id != proposal.cycle_id or not target.is_active:
        raise ValidationError(
            {
                "merged_into": _(
                    "Merge into a published proposal of the same cycle that is "
                    "still open."
                )
            },
            code="merge_target_invalid",
        )
    return target


# Bulk publication (the moderation queue) ------------------------------------------


@transaction.atomic
def proposals_publish(
    *,
    organisation: Organisation,
    proposal_ids: list[int],
    actor: Actor,
    now: datetime | None = None,
) -> list[ModerationEvent]:
    """Publish several submitted proposals at once: all of them, or none.

    Each goes through `proposal_transition` (one event and one notification
    each). The first refusal undoes the whole batch and is raised again, with
    the title of the proposal that was refused ("batch_refused"); a proposal of
    another commune is refused the same way. No e-mail leaves for a refused batch.
    """
    now = now or timezone.now()
    ids = sorted(set(proposal_ids))
    if not ids:
        raise ValidationError(
            _("Tick the proposals to publish first."), code="nothing_selected"
        )
    titles = dict(
        Proposal.objects.for_organisation(organisation)
        .filter(pk__in=ids)
        .values_list("pk", "title")
    )
    events = []
    for proposal_id in ids:
        if proposal_id not in titles:
            raise ValidationError(
                _(
                    "One of the ticked proposals no longer exists. "
                    "Nothing was published."
                ),
                code="batch_refused",
            )
        try:
            events.append(
                proposal_transition(
                    organisation=organisation,
                    proposal_id=proposal_id,
                    action=workflow.Action.PUBLISH,
                    actor=actor,
                    now=now,
                )
            )
        except (ValidationError, PermissionDenied) as error:
            raise ValidationError(
                _(
                    "“%(title)s” cannot be published (%(why)s). Nothing was "
                    "published: untick it and try again."
                )
                % {"title": titles[proposal_id], "why": " ".join(_messages(error))},
                code="batch_refused",
                params={"proposal_id": proposal_id},
            ) from error
    return events


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]


# Standard replies ------------------------------------------------------------------

STANDARD_REPLY_FIELDS = ("use", "title", "body", "position")


def _default_replies() -> list[tuple[str, str, str]]:
    """Sensible first replies (use, title, body), in the commune's language."""
    use = StandardReply.Use
    return [
        (
            use.REJECT,
            _("Outside the commune's competence"),
            _(
                "This idea concerns a matter the commune is not in charge of, so "
                "it cannot be part of the participatory budget."
            ),
        ),
        (
            use.REJECT,
            _("Not an investment"),
            _(
                "The participatory budget funds investments (works, equipment). "
                "This idea asks for running costs, which it cannot fund."
            ),
        ),
        (
            use.REJECT,
            _("Contrary to the rules of the budget"),
            _(
                "This idea does not respect the rules of the participatory budget "
                "(public interest, public land, no commercial benefit)."
            ),
        ),
        (
            use.REQUEST_CHANGES,
            _("Place to specify"),
            _(
                "Your idea is interesting. Tell us exactly where it would take "
                "place, so that the services can study it."
            ),
        ),
        (
            use.REQUEST_CHANGES,
            _("Description to complete"),
            _(
                "Describe your idea in more detail: what you propose, for whom, "
                "and why. Then send it again."
            ),
        ),
        (
            use.FORWARD,
            _("Département's competence"),
            _(
                "This idea concerns a departmental road or a school (collège): we "
                "have forwarded it to the département, which is in charge of it."
            ),
        ),
        (
            use.HIDE,
            _("Insulting or hateful remarks"),
            _("Hidden by the moderators: it breaks the participation charter."),
        ),
    ]


@transaction.atomic
def standard_replies_seed(*, organisation: Organisation) -> int:
    """Offer default standard replies to a commune; how many were added.

    Replies whose title the commune already has are left alone, so that running
    it again (the demo loader, the button) adds nothing twice.
    """
    existing = set(
        StandardReply.objects.for_organisation(organisation).values_list("use", "title")
    )
    rows = [
        StandardReply(
            organisation=organisation,
            use=use,
            title=title,
            body=body,
            position=position,
        )
        for position, (use, title, body) in enumerate(_default_replies())
        if (use, title) not in existing
    ]
    StandardReply.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def standard_reply_save(
    *,
    organisation: Organisation,
    data: dict,
    reply_id: int | None = None,
) -> StandardReply:
    """Create or change one of the commune's standard replies.

    `data` holds use, title, body and position. Titles are unique per use in a
    commune ("duplicate_title"); a used title stays in past decisions as written.
    """
    if reply_id is None:
        reply = StandardReply(organisation=organisation)
    else:
        reply = (
            StandardReply.objects.for_organisation(organisation)
            .select_for_update()
            .get(pk=reply_id)
        )
    for field in STANDARD_REPLY_FIELDS:
        setattr(reply, field, data[field])
    reply.title = " ".join(reply.title.split())
    duplicate = (
        StandardReply.objects.for_organisation(organisation)
        .filter(use=reply.use, title=reply.title)
        .exclude(pk=reply.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"title": _("The commune already has a reply with this title.")},
            code="duplicate_title",
        )
    reply.full_clean()
    reply.save()
    return reply


@transaction.atomic
def standard_reply_set_active(
    *, organisation: Organisation, reply_id: int, is_active: bool
) -> StandardReply:
    """Withdraw a standard reply from the lists (kept for the record), or offer
    it again."""
    reply = (
        StandardReply.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=reply_id)
    )
    reply.is_active = is_active
    reply.save(update_fields=["is_active"])
    return reply
