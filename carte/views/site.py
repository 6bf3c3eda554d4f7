"""Site-wide endpoints: the health check, the theme's CSS, the language switch."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carte.i18n import LANGUAGE_SESSION_KEY


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
    return HttpResponseRedirect(target)  # an address: redirect() would read a name


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
