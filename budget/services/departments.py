"""City services ("services municipaux") and their members."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from budget import permissions
from budget.models import Department
from budget.selectors import reviewers_of
from carte.models import Organisation
from carte.services.audit import audit_record
from carte.tenancy import Actor

NAME_MAX_LENGTH = 120


@transaction.atomic
def department_save(
    *,
    organisation: Organisation,
    name: str,
    member_ids: Iterable[int],
    actor: Actor,
    department_id: int | None = None,
) -> Department:
    """Create a city service, or rename it and set its members.

    Members are chosen among the commune's accounts with the reviewer role.
    Refusals: `PermissionDenied` unless the actor administers the commune;
    `ValidationError` for an empty or taken name ("name_taken") or a member
    without the reviewer role here ("member_invalid"). One `AuditEvent`.
    """
    if not permissions.can_manage_departments(actor, organisation):
        raise PermissionDenied(_("Only the commune's administrators manage services."))
    name = " ".join((name or "").split())[:NAME_MAX_LENGTH]
    if not name:
        raise ValidationError({"name": _("Give the service a name.")}, code="name")
    existing = Department.objects.for_organisation(organisation).filter(
        name__iexact=name
    )
    if department_id is not None:
        department = (
            Department.objects.for_organisation(organisation)
            .select_for_update()
            .get(pk=department_id)
        )
        existing = existing.exclude(pk=department.pk)
    else:
        department = Department(organisation=organisation)
    if existing.exists():
        raise ValidationError(
            {"name": _("Another service already has this name.")}, code="name_taken"
        )
    member_ids = set(member_ids)
    members = list(reviewers_of(organisation).filter(pk__in=member_ids))
    if len(members) != len(member_ids):
        raise ValidationError(
            {"members": _("Choose members among the commune's reviewers.")},
            code="member_invalid",
        )
    department.name = name
    department.save()
    department.members.set(members)
    audit_record(
        actor,
        "department.create" if department_id is None else "department.update",
        f"department:{department.pk}",
        {"name": name, "members": sorted(member_ids)},
    )
    return department
