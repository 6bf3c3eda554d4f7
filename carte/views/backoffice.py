"""The back office's home: what waits for each role, the cycles, the links."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carte import backoffice, permissions, selectors
from carte.http import backoffice_view
from carte.models import Organisation, RoleChoices


@backoffice_view()
def backoffice_home(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    actor = request.actor
    now = timezone.now()
    return render(
        request,
        "carte/backoffice_home.html",
        {
            "role": RoleChoices(actor.role).label,
            "can_manage_team": permissions.can_manage_team(actor, organisation),
            "waiting": backoffice.figures_for(actor, organisation, now),
            "panels": backoffice.panels_for(actor, organisation, now),
            "sections": backoffice.links_for(actor, organisation),
            "districts": selectors.districts_for_list(
                organisation=organisation, outline=False
            )
            if permissions.can_manage_districts(actor, organisation)
            else None,
        },
    )
