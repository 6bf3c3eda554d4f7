"""Proposals: save a draft, submit it, and enter one at the counter for a resident.

Every rule is checked here (phase open, theme and point inside the commune,
photos acceptable) so that the web form, the counter and a future API share them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte import geometry
from carte.models import District, Organisation, User
from carte.tenancy import Actor
from participation import phases, tasks, workflow
from participation.models import (
    Channel,
    Cycle,
    Proposal,
    Theme,
)
from participation.permissions.proposals import EDITABLE_STATUSES
from participation.services.claims import counter_claim_request
from participation.services.moderation import apply_transition
from participation.services.photos import PhotoInput, photos_update


@dataclass(frozen=True)
class PlacedInput:
    """A title, a text and where it stands. No point and no address: the whole
    commune. The base of what a proposal and a project say."""

    title: str
    description: str
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class ProposalInput(PlacedInput):
    """What a resident typed."""

    theme_id: int | None = None
    estimated_cost_cents: int | None = None


def _check_phase(cycle: Cycle, now: datetime) -> None:
    if not phases.is_open(cycle.phase_at(now), phases.Feature.PROPOSE):
        raise ValidationError(
            _(
                "Ideas cannot be proposed in this cycle at the moment. "
                "See its calendar for the dates."
            ),
            code="phase_closed",
        )


def _check_theme(organisation: Organisation, theme_id: int | None) -> None:
    if theme_id is not None and not (
        Theme.objects.for_organisation(organisation).filter(pk=theme_id).exists()
    ):
        message = _("Choose a theme from the list.")
        raise ValidationError({"theme": ValidationError(message, code="theme")})


def district_for_point(
    *, organisation: Organisation, latitude: Decimal, longitude: Decimal
) -> District | None:
    """The organisation's district covering the point (None: outside all of them).

    Raises ValidationError("outside_commune") when the point lies outside the
    organisation's map bounds.
    """
    lon, lat = float(longitude), float(latitude)
    bbox = organisation.bbox
    if bbox is not None and not bbox.contains(lon, lat):
        raise ValidationError(
            {
                "latitude": ValidationError(
                    _(
                        "This place is outside the commune. Choose a point on the "
                        "commune's map, or tick “the whole commune”."
                    ),
                    code="outside_commune",
                )
            }
        )
    shapes = {}
    districts = {}
    for district in District.objects.for_organisation(organisation).exclude(
        outline=None
    ):
        try:
            shapes[district.pk] = geometry.parse_polygon(district.outline)
        except geometry.GeometryError:
            continue  # a broken outline never blocks a proposal
        districts[district.pk] = district
    key = geometry.district_of_point(shapes, lon, lat)
    return districts.get(key) if key is not None else None


def _draft_new(
    organisation: Organisation,
    cycle: Cycle,
    author: User | None,
    channel: Channel,
    **fields,
) -> Proposal:
    """A new, unsaved draft of `cycle`."""
    return Proposal(
        organisation=organisation,
        cycle=cycle,
        author=author,
        status=workflow.Status.DRAFT,
        channel=channel,
        **fields,
    )


def _apply(
    proposal: Proposal, *, organisation: Organisation, data: ProposalInput
) -> None:
    _check_theme(organisation, data.theme_id)
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationError(
            {"latitude": _("Give both the latitude and the longitude, or neither.")}
        )
    district = None
    if data.latitude is not None:
        district = district_for_point(
            organisation=organisation,
            latitude=data.latitude,
            longitude=data.longitude,
        )
    if data.estimated_cost_cents is not None and data.estimated_cost_cents < 0:
        raise ValidationError(
            {"estimated_cost": _("Give an amount in euros, for example 1 500.")}
        )
    proposal.title = data.title.strip()
    proposal.description = data.description.strip()
    proposal.theme_id = data.theme_id
    proposal.address = data.address.strip()
    proposal.latitude = data.latitude
    proposal.longitude = data.longitude
    proposal.district = district
    proposal.estimated_cost_cents = data.estimated_cost_cents


def _check_complete(proposal: Proposal) -> None:
    errors = {}
    if not proposal.title:
        errors["title"] = ValidationError(
            _("Give your idea a title."), code="incomplete"
        )
    if not proposal.description:
        errors["description"] = ValidationError(
            _("Describe your idea in a few sentences."), code="incomplete"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def proposal_save_draft(
    *,
    organisation: Organisation,
    cycle_id: int,
    author: User,
    data: ProposalInput,
    proposal_id: int | None = None,
    photos: Sequence[PhotoInput] = (),
    remove_photo_ids: Sequence[int] = (),
    now: datetime | None = None,
) -> Proposal:
    """Create or update the author's draft; nothing is published.

    Refused (ValidationError) when PROPOSE is not open in the cycle, the theme or
    the point is not the commune's, a photo is not acceptable, or the proposal is
    not the author's draft (or a proposal sent back for changes).
    """
    now = now or timezone.now()
    if proposal_id is None:
        cycle = Cycle.objects.for_organisation(organisation).get(pk=cycle_id)
        proposal = _draft_new(organisation, cycle, author, Channel.ONLINE)
    else:
        proposal = (
            Proposal.objects.for_organisation(organisation)
            .select_for_update()
            .select_related("cycle")
            .get(pk=proposal_id, author=author)
        )
        if proposal.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _("This idea has already been sent; it can no longer be edited."),
                code="not_editable",
            )
        cycle = proposal.cycle
    _check_phase(cycle, now)
    _apply(proposal, organisation=organisation, data=data)
    proposal.save()
    too_many = _("At most 3 photos per idea. Remove one before adding another.")
    photos_update(
        proposal, photos=photos, remove_ids=remove_photo_ids, too_many=too_many
    )
    return proposal


@transaction.atomic
def proposal_submit(
    *,
    organisation: Organisation,
    proposal_id: int,
    author: User,
    now: datetime | None = None,
) -> Proposal:
    """Send the author's draft to moderation: DRAFT → SUBMITTED, with its event.

    The transition comes from participation.workflow; PROPOSE must be open.
    """
    now = now or timezone.now()
    proposal = (
        Proposal.objects.for_organisation(organisation)
        .select_for_update()
        .select_related("cycle")
        .get(pk=proposal_id, author=author)
    )
    _check_phase(proposal.cycle, now)
    _check_complete(proposal)
    return _submitted(proposal, organisation=organisation, actor_id=author.pk)


def _submitted(
    proposal: Proposal,
    *,
    organisation: Organisation,
    actor_id: int | None,
    party: workflow.Party | str = workflow.Party.AUTHOR,
) -> Proposal:
    """The proposal moved to SUBMITTED, with its event."""
    apply_transition(
        proposal,
        organisation=organisation,
        actor_id=actor_id,
        party=party,
        action=workflow.Action.SUBMIT,
        now=timezone.now(),
    )
    return proposal


@dataclass(frozen=True)
class ResidentInput:
    """Who handed the paper in: a name and contact, and perhaps the e-mail of
    their account (which then gets a link to confirm the idea is theirs)."""

    name: str = ""
    contact: str = ""
    email: str = ""


@transaction.atomic
def proposal_submit_at_counter(
    *,
    organisation: Organisation,
    cycle_id: int,
    agent: Actor,
    data: ProposalInput,
    resident: ResidentInput,
    now: datetime | None = None,
) -> Proposal:
    """A counter agent enters a paper proposal on behalf of a resident.

    The proposal is marked "at the counter" (channel), remembers the agent
    (entered_by; `agent` is resolved in `organisation`, its role recorded in
    the event) and goes straight to SUBMITTED, with its event. It has no author:
    the resident's name and contact (the e-mail, when no other contact is
    given) are kept privately for the team. When an account uses the e-mail,
    its owner is asked by e-mail to confirm (participation.services.claims);
    nothing tells the agent whether one does.
    """
    now = now or timezone.now()
    cycle = Cycle.objects.for_organisation(organisation).get(pk=cycle_id)
    _check_phase(cycle, now)
    email = resident.email.strip()
    if not email and not resident.name.strip():
        message = _("Give the resident's name, or the e-mail address of their account.")
        raise ValidationError(
            {"resident_name": ValidationError(message, code="resident_missing")}
        )
    proposal = _draft_new(
        organisation,
        cycle,
        None,
        Channel.COUNTER,
        entered_by_id=agent.user_id,
        resident_name=resident.name.strip(),
        resident_contact=resident.contact.strip() or email,
    )
    _apply(proposal, organisation=organisation, data=data)
    _check_complete(proposal)
    proposal.save()
    _submitted(
        proposal,
        organisation=organisation,
        actor_id=agent.user_id,
        party=agent.role or "",
    )
    claim = counter_claim_request(
        organisation=organisation,
        proposal=proposal,
        email=email,
        agent=agent,
    )
    if claim is not None:
        transaction.on_commit(
            partial(tasks.send_counter_claim_email.enqueue, claim_id=claim.pk)
        )
    return proposal
