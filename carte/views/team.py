"""Back office: the commune's team (members and their roles)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from carte import permissions, selectors
from carte.forms.team import MembershipForm
from carte.http import backoffice_or_403, form_page, scoped_or_404
from carte.models import Membership
from carte.roles import Role
from carte.services import team


@login_required
def membership_list(request: HttpRequest) -> HttpResponse:
    organisation = backoffice_or_403(request, permissions.can_manage_team)
    memberships = selectors.memberships_for_list(organisation=organisation)
    return render(request, "carte/membership_list.html", {"memberships": memberships})


@login_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = backoffice_or_403(request, permissions.can_manage_team)
    membership = scoped_or_404(
        Membership.objects.for_organisation(organisation).select_related("user"), pk
    )
    form = MembershipForm(request.POST or None, initial={"role": membership.role})
    return form_page(
        request,
        form,
        lambda data: team.membership_change(
            organisation=organisation,
            membership_id=membership.pk,
            role=Role(data["role"]) if data["role"] else None,
            actor=request.user,
        ),
        "carte/membership_edit.html",
        {"membership": membership},
        success=_("The role has been changed."),
        next_url="carte:membership-list",
    )
