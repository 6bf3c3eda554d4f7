"""Staff must use MFA; every response carries a strict content security policy."""

from urllib.parse import urlencode, urlsplit

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse

from carte.models import Membership

# Back-office areas: the Wagtail admin and our own management pages.
BACKOFFICE_PREFIXES = ("/admin/", "/gestion/")
WAGTAIL_PREFIX = "/admin/"
# Wagtail's login and logout lead to allauth's: open to every account.
WAGTAIL_OPEN = ("/admin/login/", "/admin/logout/")


def is_staff_account(user) -> bool:
    """Staff: the platform operator, or anyone holding a role in an organisation."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user).exists()


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def lacks_admin_access(request) -> bool:
    """A logged-in account on a Wagtail admin page it may not open.

    Wagtail would send it to the login page, which sends a logged-in account back
    to the admin: an endless loop. It gets a page saying why instead.
    """
    return (
        request.path.startswith(WAGTAIL_PREFIX)
        and not request.path.startswith(WAGTAIL_OPEN)
        and request.user.is_authenticated
        and not request.user.has_perm("wagtailadmin.access_admin")
    )


class StaffMFAMiddleware:
    """Send a staff member without TOTP to set it up before any back-office page;
    answer 403 to a logged-in account without Wagtail admin rights on /admin/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Two-step verification first: staff set it up before anything else.
        if (
            request.path.startswith(BACKOFFICE_PREFIXES)
            and request.user.is_authenticated
            and is_staff_account(request.user)
            and not has_mfa(request.user)
        ):
            url = reverse("mfa_activate_totp")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        if lacks_admin_access(request):
            return render(
                request,
                "carte/admin_denied.html",
                {"is_staff": is_staff_account(request.user)},
                status=403,
            )
        return self.get_response(request)


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def content_security_policy(request) -> str:
    """Only our own origin, plus the organisation's map tile server for images."""
    organisation = getattr(request, "organisation", None)
    tile_url = (
        organisation.effective_tile_url if organisation else settings.MAP_TILE_URL
    )
    images = ["'self'", "data:"]
    if origin := _origin(tile_url):
        images.append(origin)
    forms = ["'self'"]
    if settings.SOCIALACCOUNT_PROVIDERS and (
        origin := _origin(settings.OIDC_SERVER_URL)
    ):
        forms.append(origin)
    admin = request.path.startswith("/admin/")
    # The Wagtail admin needs inline styles and scripts; public pages do not.
    inline = " 'unsafe-inline'" if admin else ""
    directives = {
        "default-src": "'self'",
        "script-src": "'self'" + inline,
        "style-src": "'self'" + inline,
        "img-src": " ".join(images),
        "font-src": "'self' data:" if admin else "'self'",
        "connect-src": "'self'",
        "frame-src": "'self'" if admin else "'none'",
        "frame-ancestors": "'self'" if admin else "'none'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": " ".join(forms),
    }
    return "; ".join(f"{key} {value}" for key, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(request)
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(self)"
        )
        return response
