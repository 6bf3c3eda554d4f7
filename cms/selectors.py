"""What the Wagtail admin screens read: each scoped to the organisation of the host."""

from django.db.models import Q, QuerySet
from wagtail.models import Page

from carte.models import Organisation
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


def pages_within_reach(pages: QuerySet[Page], *, user) -> QuerySet[Page]:
    """`pages` cut to the page trees the user edits (their commune's site).

    The operator reaches every page; an editor, the trees under the pages their
    groups hold permissions on (carte.services.team.editors_group); anyone else,
    none. The explorer and the page chooser list pages through this.
    """
    if user.is_superuser:
        return pages
    roots = Page.objects.filter(group_permissions__group__user=user).values_list(
        "path", flat=True
    )
    reach = Q(pk__in=[])
    for path in set(roots):
        reach |= Q(path__startswith=path)
    return pages.filter(reach)
