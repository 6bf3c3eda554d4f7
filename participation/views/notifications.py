"""An account's notifications in this commune, and its e-mail preference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carte.http import form_page, organisation_or_404
from participation import ratelimit
from participation.forms.notifications import (
    NotificationPreferenceForm,
    NotificationReadForm,
)
from participation.selectors.notifications import notifications_for_user
from participation.services import notifications as services
from participation.tasks import email_mode_for

NOTIFICATIONS_PER_PAGE = 20


def _notification_page(request: HttpRequest, form, status: int = 200) -> HttpResponse:
    rows = notifications_for_user(organisation=request.organisation, user=request.user)
    page = Paginator(rows, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/notification_list.html",
        {"page": page, "notifications": page.object_list, "form": form},
        status=status,
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The account's notifications in this commune, and its e-mail preference."""
    organisation_or_404(request)
    form = NotificationPreferenceForm(
        initial={"email_mode": email_mode_for(request.user)}, auto_id="id_pref_%s"
    )
    return _notification_page(request, form)


@require_POST
@login_required
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`notification`), or all of them."""
    organisation = organisation_or_404(request)
    count = services.notifications_mark_read(
        organisation=organisation,
        user=request.user,
        notification_id=NotificationReadForm(request.POST).notification_id(),
    )
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("participation:notification-list")


@require_POST
@login_required
def notification_preference(request: HttpRequest) -> HttpResponse:
    organisation_or_404(request)
    form = NotificationPreferenceForm(request.POST, auto_id="id_pref_%s")
    if form.is_valid() and (too_fast := ratelimit.too_fast(request, "notification")):
        messages.error(request, too_fast)
        return redirect("participation:notification-list")
    return form_page(
        request,
        form,
        lambda data: services.notification_preference_set(
            user=request.user, email_mode=data["email_mode"]
        ),
        lambda status: _notification_page(request, form, status),
        success=_("Your e-mail preference is saved."),
        next_url=reverse("participation:notification-list") + "#preferences",
    )
