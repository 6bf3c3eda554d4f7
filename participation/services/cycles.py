"""Create and change a cycle and its dated phases (the commune's administrators)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carte.models import Organisation, User
from carte.services.audit import audit_record
from participation import phases
from participation.models import Cycle, CyclePhase


@dataclass(frozen=True)
class CycleInput:
    title: str
    slug: str
    presentation: str = ""
    is_permanent: bool = False


def _schedule_message(code: str) -> str:
    messages = {
        "duplicate_phase": _("Each phase can be given only once."),
        "phase_order": _("The phases must follow each other in the usual order."),
        "ends_before_start": _("A phase must end after it starts."),
        "overlap": _(
            "Two phases overlap: a phase must end before the next one starts. "
            "Only the last phase may have no end date."
        ),
    }
    return messages.get(code, _("These dates do not make a valid calendar."))


def _check(data: CycleInput, periods: Sequence[phases.Period]) -> None:
    try:
        phases.check_schedule(periods)
    except phases.ScheduleError as error:
        raise ValidationError(_schedule_message(error.code), code=error.code) from error
    if data.is_permanent and (
        [p.phase for p in periods] != [phases.Phase.SUBMISSION]
        or periods[0].end is not None
    ):
        raise ValidationError(
            _(
                "A permanent idea box has only the ideas phase, without an end "
                "date. Clear the other dates."
            ),
            code="permanent_box",
        )


@transaction.atomic
def cycle_save(
    *,
    organisation: Organisation,
    actor: User,
    data: CycleInput,
    periods: Sequence[phases.Period],
    cycle_id: int | None = None,
) -> Cycle:
    """Create or update a cycle and replace its phases, with an audit row.

    The calendar follows participation.phases.check_schedule (phases in order,
    none overlapping, each [start, end)); a permanent idea box has only an
    open-ended ideas phase. The short name is unique within the commune.
    """
    _check(data, periods)
    duplicate = Cycle.objects.for_organisation(organisation).filter(slug=data.slug)
    if cycle_id is not None:
        cycle = (
            Cycle.objects.for_organisation(organisation)
            .select_for_update()
            .get(pk=cycle_id)
        )
        duplicate = duplicate.exclude(pk=cycle_id)
    else:
        cycle = Cycle(organisation=organisation)
    if duplicate.exists():
        message = _("Another cycle already uses this short name. Choose another one.")
        raise ValidationError({"slug": ValidationError(message, code="slug_taken")})
    cycle.title = data.title.strip()
    cycle.slug = data.slug
    cycle.presentation = data.presentation.strip()
    cycle.is_permanent = data.is_permanent
    cycle.save()
    CyclePhase.objects.filter(cycle=cycle).delete()
    CyclePhase.objects.bulk_create(
        [
            CyclePhase(cycle=cycle, phase=p.phase, starts_at=p.start, ends_at=p.end)
            for p in periods
        ]
    )
    audit_record(
        actor,
        "cycle.update" if cycle_id else "cycle.create",
        f"cycle:{cycle.pk}",
        {
            "slug": cycle.slug,
            "phases": [
                [p.phase, p.start.isoformat(), p.end.isoformat() if p.end else None]
                for p in periods
            ],
        },
        organisation=organisation,
    )
    return cycle
