"""Back office: the organisation's districts (list, GeoJSON import, edit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carte import permissions, services_districts
from carte.forms.districts import DistrictForm, DistrictImportForm
from carte.maps import map_context
from carte.models import District
from carte.tenancy import Actor
from carte.views import _backoffice
from carte.views_maps import rate_limited

WRITES_PER_MINUTE = 20


def can_manage_districts(actor: Actor, organisation) -> bool:
    """Only the organisation's administrators draw and import districts."""
    return permissions.can_manage_team(actor, organisation)


def _too_many_writes(request: HttpRequest) -> bool:
    return rate_limited(
        request,
        action="district-write",
        per_minute=WRITES_PER_MINUTE,
        key=f"user:{request.user.pk}",
    )


def _too_many_response(request: HttpRequest, template: str, context: dict):
    context["form"].add_error(
        None, _("Too many changes in a minute. Wait a minute and try again.")
    )
    return render(request, template, context, status=429)


@login_required
def district_list(request: HttpRequest) -> HttpResponse:
    organisation = _backoffice(request, can_manage_districts)
    districts = (
        District.objects.for_organisation(organisation)
        .only("name", "code", "outline")
        .order_by("name", "pk")
    )
    return render(
        request,
        "carte/district_list.html",
        {
            "districts": districts,
            "map": map_context(
                organisation,
                list_anchor="liste-quartiers",
                title=_("Map of the districts"),
                map_id="carte-quartiers",
            ),
        },
    )


@login_required
def district_import(request: HttpRequest) -> HttpResponse:
    organisation = _backoffice(request, can_manage_districts)
    form = DistrictImportForm(request.POST or None, request.FILES or None)
    template = "carte/district_import.html"
    if request.method == "POST":
        if _too_many_writes(request):
            return _too_many_response(request, template, {"form": form})
        if form.is_valid():
            try:
                summary = services_districts.districts_import(
                    organisation=organisation,
                    geojson=form.cleaned_data["content"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _import_message(summary))
                return redirect("carte:district-list")
        return render(request, template, {"form": form}, status=400)
    return render(request, template, {"form": form})


def _import_message(summary: services_districts.ImportSummary) -> str:
    created, updated = len(summary.created), len(summary.updated)
    return " ".join(
        [
            ngettext(
                "%(count)s district created.", "%(count)s districts created.", created
            )
            % {"count": created},
            ngettext(
                "%(count)s district updated.", "%(count)s districts updated.", updated
            )
            % {"count": updated},
        ]
    )


@login_required
def district_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _backoffice(request, can_manage_districts)
    district = get_object_or_404(District.objects.for_organisation(organisation), pk=pk)
    initial = DistrictForm.initial_for(district)
    form = DistrictForm(request.POST or None, initial=initial)
    template = "carte/district_edit.html"
    context = {"district": district, "form": form}
    if request.method == "POST":
        if _too_many_writes(request):
            return _too_many_response(request, template, context)
        if form.is_valid():
            try:
                services_districts.district_update(
                    organisation=organisation,
                    district_id=district.pk,
                    name=form.cleaned_data["name"],
                    code=form.cleaned_data["code"],
                    outline=form.cleaned_data["outline"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The district has been saved."))
                return redirect(reverse("carte:district-list"))
        return render(request, template, context, status=400)
    return render(request, template, context)
