"""The commune's team: staff roles (audited) and the Wagtail editors' group."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from carte.models import Membership, Organisation, User
from carte.roles import EDITOR_ROLES, Role
from carte.services.audit import audit_record
from carte.services.collections import collection_grant

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page")


def editors_group(organisation: Organisation) -> Group:
    """The Wagtail group editing this organisation's pages, images and documents,
    and only them (its collection: carte.services.collections)."""
    group, created = Group.objects.get_or_create(name=f"Éditeurs – {organisation.slug}")
    if created:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
        )
    root = organisation.site.root_page
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    collection_grant(organisation=organisation, group=group)
    return group


def _sync_editor_group(organisation: Organisation, user: User, role: Role | None):
    group = editors_group(organisation)
    if role in EDITOR_ROLES:
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def membership_set(
    *, organisation: Organisation, user: User, role: Role | None, actor: User | None
) -> Membership | None:
    """Give `user` the staff `role` in `organisation` (None removes it), audited.

    Administrators also edit the organisation's pages in the Wagtail admin.
    """
    membership = (
        Membership.objects.for_organisation(organisation)
        .select_for_update()
        .filter(user=user)
        .first()
    )
    before = membership.role if membership else None
    if role is None:
        if membership:
            membership.delete()
        membership = None
    elif membership:
        membership.role = role
        membership.save(update_fields=["role"])
    else:
        membership = Membership.objects.create(
            organisation=organisation, user=user, role=role
        )
    if before != (role or None):
        audit_record(
            actor,
            "membership_set",
            f"user:{user.pk}",
            {"from": before, "to": role},
            organisation=organisation,
        )
    _sync_editor_group(organisation, user, role)
    return membership


def membership_change(
    *, organisation: Organisation, membership_id: int, role: Role | None, actor: User
) -> Membership | None:
    """Change a member's role from the back office; the last administrator stays."""
    with transaction.atomic():
        membership = (
            Membership.objects.for_organisation(organisation)
            .select_for_update()
            .get(pk=membership_id)
        )
        if membership.role == Role.ADMIN and role != Role.ADMIN:
            others = (
                Membership.objects.for_organisation(organisation)
                .filter(role=Role.ADMIN)
                .exclude(pk=membership.pk)
            )
            if not others.exists():
                raise ValidationError(
                    _("The organisation needs at least one administrator."),
                    code="last_admin",
                )
        return membership_set(
            organisation=organisation, user=membership.user, role=role, actor=actor
        )
