"""Back office: the organisation's districts (list, GeoJSON import, edit)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carte import permissions, selectors
from carte.forms.districts import DistrictForm, DistrictImportForm
from carte.http import backoffice_view, form_page
from carte.maps import map_context
from carte.models import District, Organisation
from carte.ratelimit import rate_limited
from carte.services import districts

WRITES_PER_MINUTE = 20


def _too_many_writes(request: HttpRequest) -> tuple[str, int] | None:
    """form_page's check: a 429 past WRITES_PER_MINUTE changes by one account."""
    if rate_limited(
        request,
        action="district-write",
        per_minute=WRITES_PER_MINUTE,
        key=f"user:{request.user.pk}",
    ):
        return _("Too many changes in a minute. Wait a minute and try again."), 429
    return None


@backoffice_view(permissions.can_manage_districts)
def district_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "carte/district_list.html",
        {
            "districts": selectors.districts_for_list(organisation=organisation),
            "map": map_context(
                organisation,
                list_anchor="liste-quartiers",
                title=_("Map of the districts"),
                map_id="carte-quartiers",
            ),
        },
    )


@backoffice_view(permissions.can_manage_districts)
def district_import(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = DistrictImportForm(request.POST or None, request.FILES or None)

    def import_(data: dict) -> districts.ImportSummary:
        return districts.districts_import(
            organisation=organisation, geojson=data["content"], actor=request.user
        )

    return form_page(
        request,
        form,
        import_,
        "carte/district_import.html",
        success=_import_message,
        next_url="carte:district-list",
        check=lambda: _too_many_writes(request),
    )


def _import_message(summary: districts.ImportSummary) -> str:
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


@backoffice_view(permissions.can_manage_districts, rows=selectors.districts_for_edit)
def district_edit(
    request: HttpRequest, organisation: Organisation, district: District
) -> HttpResponse:
    form = DistrictForm.for_row(request, district)

    def update(data: dict) -> District:
        return districts.district_update(
            organisation=organisation,
            district_id=district.pk,
            name=data["name"],
            code=data["code"],
            outline=data["outline"],
            actor=request.user,
        )

    return form_page(
        request,
        form,
        update,
        "carte/district_edit.html",
        {"district": district},
        success=_("The district has been saved."),
        next_url="carte:district-list",
        check=lambda: _too_many_writes(request),
    )
