"""What the Wagtail admin screens read: each scoped to the organisation of the host."""

from django.db.models import QuerySet

from carte.models import District, Organisation
from carte.roles import Role
from carte.tenancy import Actor


def organisations_for_admin(
    *, actor: Actor, organisation: Organisation | None
) -> QuerySet[Organisation]:
    """Organisations the actor may edit in the admin.

    The platform operator sees them all; a commune administrator only the
    organisation of the host they are on, and only if they administer it.
    """
    if actor.is_operator:
        return Organisation.objects.select_related("site").order_by("name", "pk")
    if organisation is None or actor.role != Role.ADMIN:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=organisation.pk).select_related("site")


def districts_for_admin(
    *, actor: Actor, organisation: Organisation | None
) -> QuerySet[District]:
    """The districts of the host's organisation, for its administrators.

    The operator counts as an administrator of every organisation (carte.tenancy),
    so they manage a commune's districts from that commune's host.
    """
    if organisation is None or actor.role != Role.ADMIN:
        return District.objects.none()
    return District.objects.for_organisation(organisation).order_by("name", "pk")
