"""The back office's home: the links each role may open."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carte import backoffice, permissions, selectors
from carte.http import backoffice_view
from carte.models import Organisation, RoleChoices


@backoffice_view()
def backoffice_home(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "carte/backoffice_home.html",
        {
            "role": RoleChoices(actor.role).label,
            "can_manage_team": permissions.can_manage_team(actor, organisation),
            "sections": backoffice.links_for(actor, organisation),
            "districts": selectors.districts_for_list(
                organisation=organisation, outline=False
            )
            if permissions.can_manage_districts(actor, organisation)
            else None,
        },
    )
