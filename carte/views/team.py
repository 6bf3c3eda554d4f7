"""Back office: the commune's team (members and their roles)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from carte import permissions, selectors
from carte.forms.team import MembershipForm
from carte.http import backoffice_view, form_page
from carte.models import Membership, Organisation
from carte.roles import Role
from carte.services import team


@backoffice_view(permissions.can_manage_team)
def membership_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    memberships = selectors.memberships_for_list(organisation=organisation)
    return render(request, "carte/membership_list.html", {"memberships": memberships})


@backoffice_view(permissions.can_manage_team, rows=selectors.memberships_for_edit)
def membership_edit(
    request: HttpRequest, organisation: Organisation, membership: Membership
) -> HttpResponse:
    form = MembershipForm.for_row(request, membership)

    def change(data: dict) -> Membership | None:
        return team.membership_change(
            organisation=organisation,
            membership_id=membership.pk,
            role=Role(data["role"]) if data["role"] else None,
            actor=request.user,
        )

    return form_page(
        request,
        form,
        change,
        "carte/membership_edit.html",
        {"membership": membership},
        success=_("The role has been changed."),
        next_url="carte:membership-list",
    )
