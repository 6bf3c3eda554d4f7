"""Health check, profile, and the organisation's back office (team, districts)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carte import backoffice, permissions, services
from carte.models import District, Membership, Residence, RoleChoices
from carte.roles import Role

LANGUAGE_SESSION_KEY = "agora_language"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Store the language in the session (no extra cookie) and go back."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    if check_for_language(language):
        request.session[LANGUAGE_SESSION_KEY] = language
    return redirect(target)


def _organisation_or_404(request: HttpRequest):
    if request.organisation is None:
        raise Http404(_("No organisation is served at this address."))
    return request.organisation


def _backoffice(request: HttpRequest, predicate=permissions.can_access_backoffice):
    organisation = _organisation_or_404(request)
    if not predicate(request.actor, organisation):
        raise PermissionDenied(_("This page is reserved for the commune's team."))
    return organisation


@login_required
def backoffice_home(request: HttpRequest) -> HttpResponse:
    organisation = _backoffice(request)
    return render(
        request,
        "carte/backoffice_home.html",
        {
            "role": RoleChoices(request.actor.role).label,
            "can_manage_team": permissions.can_manage_team(request.actor, organisation),
            "sections": backoffice.links_for(request.actor, organisation),
            "districts": District.objects.for_organisation(organisation).only(
                "name", "code"
            )
            if request.actor.role == Role.ADMIN
            else None,
        },
    )


@login_required
def membership_list(request: HttpRequest) -> HttpResponse:
    organisation = _backoffice(request, permissions.can_manage_team)
    memberships = (
        Membership.objects.for_organisation(organisation)
        .select_related("user")
        .only("role", "created_at", "user__pseudonym", "user__email")
        .order_by("role", "user__pseudonym", "pk")
    )
    return render(request, "carte/membership_list.html", {"memberships": memberships})


class MembershipForm(forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[("", gettext_lazy("No role (citizen)")), *RoleChoices.choices],
        required=False,
    )


@login_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _backoffice(request, permissions.can_manage_team)
    membership = get_object_or_404(
        Membership.objects.for_organisation(organisation).select_related("user"), pk=pk
    )
    form = MembershipForm(request.POST or None, initial={"role": membership.role})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.membership_change(
                    organisation=organisation,
                    membership_id=membership.pk,
                    role=Role(form.cleaned_data["role"])
                    if form.cleaned_data["role"]
                    else None,
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The role has been changed."))
                return redirect("carte:membership-list")
        status = 400
    return render(
        request,
        "carte/membership_edit.html",
        {"membership": membership, "form": form},
        status=status,
    )


class ProfileForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("District where you live"),
        queryset=District.objects.none(),
        required=False,
        empty_label=gettext_lazy("I prefer not to say"),
        help_text=gettext_lazy("Optional. Used only for anonymous statistics."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.for_organisation(
            organisation
        )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    organisation = _organisation_or_404(request)
    residence = (
        Residence.objects.for_organisation(organisation)
        .filter(user=request.user)
        .first()
    )
    form = ProfileForm(
        request.POST or None,
        organisation=organisation,
        initial={"district": residence.district_id if residence else None},
    )
    if request.method == "POST":
        if form.is_valid():
            Residence.objects.update_or_create(
                organisation=organisation,
                user=request.user,
                defaults={"district": form.cleaned_data["district"]},
            )
            messages.success(request, _("Your profile has been saved."))
            return redirect("profile-edit")
        return render(request, "carte/profile_edit.html", {"form": form}, status=400)
    return render(request, "carte/profile_edit.html", {"form": form})


def theme_css(request: HttpRequest) -> HttpResponse:
    """The organisation's colour as CSS variables (a file: the CSP forbids inline)."""
    organisation = request.organisation
    colour = organisation.primary_colour if organisation else "#1f4e79"
    dark = "#" + "".join(
        f"{int(colour[i : i + 2], 16) * 3 // 4:02x}" for i in (1, 3, 5)
    )
    css = f":root {{ --primary: {colour}; --primary-dark: {dark}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
