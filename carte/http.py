"""What every view needs: the commune served, its objects by id, MFA for staff
acts, and one way to answer a form (STYLE.md section 2)."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carte.formats import parse_id
from carte.models import Organisation
from carte.permissions import can_access_backoffice
from carte.security import has_mfa
from carte.tenancy import Actor


def organisation_or_404(request: HttpRequest) -> Organisation:
    """The organisation served at this address; 404 when there is none."""
    if request.organisation is None:
        raise Http404(_("No organisation is served at this address."))
    return request.organisation


def backoffice_or_403(
    request: HttpRequest,
    allowed: Callable[[Actor, Organisation], bool] = can_access_backoffice,
) -> Organisation:
    """The organisation served, when `allowed(actor, organisation)`: a page of
    the commune's team (404 without an organisation, 403 for a wrong role)."""
    organisation = organisation_or_404(request)
    if not allowed(request.actor, organisation):
        raise PermissionDenied(_("This page is reserved for the commune's team."))
    return organisation


def scoped_or_404(queryset: QuerySet, pk: Any) -> Model:
    """The row `pk` of a queryset already scoped to the organisation.

    Another commune's id, a missing one or one that is not a plain whole number
    (say "²", or thirty digits) all answer 404, never a server error.
    """
    number = parse_id(str(pk))
    if number is None:
        raise Http404(_("No such item."))
    try:
        return queryset.get(pk=number)
    except queryset.model.DoesNotExist:
        raise Http404(_("No such item.")) from None


def backoffice_view(
    allowed: Callable[[Actor, Organisation], bool] = can_access_backoffice,
    *,
    rows: Callable[..., QuerySet] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a back-office view: login required, then `backoffice_or_403`;
    the view receives the organisation served after the request. With `rows`
    (a selector taking `organisation=`), the URL's `pk` is replaced by its row,
    `scoped_or_404` (None when the URL has no `pk`: a creation page)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            organisation = backoffice_or_403(request, allowed)
            if rows is not None:
                pk = kwargs.pop("pk", None)
                row = (
                    None
                    if pk is None
                    else scoped_or_404(rows(organisation=organisation), pk)
                )
                args = (row, *args)
            return view(request, organisation, *args, **kwargs)

        return checked

    return decorate


def require_mfa(request: HttpRequest) -> HttpResponse | None:
    """A back-office act needs two-factor authentication: without it, the
    redirect to set it up (then back here); with it, None."""
    if has_mfa(request.user):
        return None
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('mfa_activate_totp')}?{query}")


def form_errors_add(
    form: BaseForm, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """A service's refusal on the form: on the field it names when the form has
    it (`fields` renames a service's field to the form's), else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (fields or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    service: Callable[[dict], Any],
    template: str | Callable[[int], HttpResponse],
    context: dict | None = None,
    *,
    success: str | Callable[[Any], str],
    next_url: str | Callable[[Any], str],
    check: Callable[[], tuple[str, int] | None] | None = None,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    """Show a form; on POST, validate it and give its data to one service.

    Done: the `success` message (or `success(result)`), then a redirect to
    `next_url` (or `next_url(result)`). Refused: the form invalid, `check()`
    answering (message, status) before the service (a rate limit: 429), or the
    service raising ValidationError, whose messages go on the form; the page is
    shown again with what was typed, with status 400 (or the check's). A
    `template` that is a callable renders that page itself from the status.
    """
    context = {"form": form, **(context or {})}

    def page(status: int) -> HttpResponse:
        if callable(template):
            return template(status)
        return render(request, template, context, status=status)

    if request.method != "POST":
        return page(200)
    if not form.is_valid():
        return page(400)
    if check is not None and (refused := check()):
        message, status = refused
        form.add_error(None, message)
        return page(status)
    try:
        result = service(form.cleaned_data)
    except ValidationError as error:
        form_errors_add(form, error, fields)
        return page(400)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(next_url(result) if callable(next_url) else next_url)
