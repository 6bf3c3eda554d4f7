"""Two-step verification (TOTP) is mandatory for staff, optional for citizens."""

import re
import time
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from carte.roles import Role
from carte.services import team as services
from tests.conftest import client_for
from tests.factories import UserFactory, add_totp

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
BACKOFFICE = "/gestion/"
ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and used TOTP codes live in the cache.
    cache.clear()
    yield
    cache.clear()


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def mfa_setup_url(next_path: str) -> str:
    return f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_path})}"


def log_in_with_password(client, user, next_path: str = ""):
    data = {"login": user.email, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post(reverse("account_login"), data)


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


# Staff without TOTP are sent to set it up


@pytest.mark.parametrize("path", [BACKOFFICE, ADMIN, "/gestion/equipe/"])
@pytest.mark.parametrize("role", list(Role))
def test_staff_without_totp_is_sent_to_set_it_up(organisation, staff_of, role, path):
    _, client = staff_of(organisation, role, mfa=False)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == mfa_setup_url(path)


@pytest.mark.parametrize("path", [BACKOFFICE, ADMIN])
def test_platform_operator_without_totp_is_sent_to_set_it_up(organisation, path):
    operator = UserFactory(is_superuser=True, is_staff=True)
    response = client_for(organisation, operator).get(path)
    assert response.status_code == 302
    assert response["Location"] == mfa_setup_url(path)


def test_staff_of_another_commune_without_totp_is_sent_to_set_it_up(
    organisation, other_organisation, staff_of
):
    # Holding a role anywhere makes an account staff: it needs the second step.
    staff_of(other_organisation, Role.MODERATOR, mfa=False)
    member, _ = staff_of(organisation, Role.ADMIN, mfa=False)
    response = client_for(other_organisation, member).get(BACKOFFICE)
    assert response["Location"] == mfa_setup_url(BACKOFFICE)


def test_staff_without_totp_can_still_use_their_account_pages(organisation, staff_of):
    _, client = staff_of(organisation, Role.MODERATOR, mfa=False)
    assert client.get(reverse("profile-edit")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get("/").status_code == 200


# Citizens are not forced


def test_citizen_is_not_forced_to_set_up_totp(organisation, user):
    client = client_for(organisation, user)

    backoffice = client.get(BACKOFFICE)
    admin = client.get(ADMIN)

    assert backoffice.status_code == 403  # refused, not sent to MFA
    assert not admin.get("Location", "").startswith(reverse("mfa_activate_totp"))
    assert client.get(reverse("profile-edit")).status_code == 200


def test_citizen_logs_in_with_the_password_alone(organisation, user):
    client = client_for(organisation)
    response = log_in_with_password(client, user)
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_authenticate")
    assert logged_in_user_id(client) == str(user.pk)


def test_anonymous_visitor_of_the_admin_is_sent_to_log_in(commune_client):
    response = commune_client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Staff with TOTP pass


@pytest.mark.parametrize("role", list(Role))
def test_staff_with_totp_reach_the_back_office(organisation, staff_of, role):
    _, client = staff_of(organisation, role, mfa=True)
    assert client.get(BACKOFFICE).status_code == 200


def test_administrator_with_totp_reaches_the_wagtail_admin(organisation):
    member = UserFactory()
    add_totp(member)
    # The service gives administrators their Wagtail editors group.
    services.membership_set(
        organisation=organisation, user=member, role=Role.ADMIN, actor=None
    )
    assert client_for(organisation, member).get(ADMIN).status_code == 200


def test_platform_operator_with_totp_reaches_both(organisation):
    operator = UserFactory(is_superuser=True, is_staff=True)
    add_totp(operator)
    client = client_for(organisation, operator)
    assert client.get(ADMIN).status_code == 200
    assert client.get(BACKOFFICE).status_code == 200


# Logging in with TOTP: allauth's second stage


@override_settings(MFA_TOTP_TOLERANCE=1)  # no failure on a 30-second boundary
def test_staff_with_totp_must_enter_a_code_after_the_password(organisation, staff_of):
    member, _ = staff_of(organisation, Role.MODERATOR, mfa=False)
    secret = add_totp(member)
    client = client_for(organisation)

    response = log_in_with_password(client, member, next_path=BACKOFFICE)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None

    page = client.get(reverse("mfa_authenticate"))
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "Validation en deux étapes" in html
    assert 'autocomplete="one-time-code"' in html

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert 'class="error-summary"' in wrong.content.decode()
    assert logged_in_user_id(client) is None

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right.status_code == 302
    assert right["Location"] == BACKOFFICE
    assert logged_in_user_id(client) == str(member.pk)
    assert client.get(BACKOFFICE).status_code == 200


def test_a_recovery_code_replaces_the_app_once(organisation, staff_of):
    member, _ = staff_of(organisation, Role.ADMIN, mfa=True)
    codes = RecoveryCodes.activate(member).get_unused_codes()
    client = client_for(organisation)
    log_in_with_password(client, member)

    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)

    client.post(reverse("account_logout"))
    log_in_with_password(client, member)
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.status_code == 200
    assert logged_in_user_id(client) is None


# Setting TOTP up, then the recovery codes


@override_settings(MFA_TOTP_TOLERANCE=1)
def test_new_staff_member_sets_up_totp_and_gets_recovery_codes(organisation, staff_of):
    member, _ = staff_of(organisation, Role.REVIEWER, mfa=False)
    client = client_for(organisation)
    log_in_with_password(client, member)

    redirect = client.get(BACKOFFICE)
    assert redirect["Location"] == mfa_setup_url(BACKOFFICE)
    # allauth asks for the password again before any change to the second step.
    confirm = client.get(redirect["Location"])
    assert confirm["Location"].startswith(reverse("account_reauthenticate"))
    back = client.post(confirm["Location"], {"password": PASSWORD})
    assert back["Location"] == redirect["Location"]

    page = client.get(redirect["Location"])
    html = page.content.decode()
    secret = client.session["mfa.totp.secret"]

    assert page.status_code == 200
    assert html.count("<h1") == 1
    assert "Votre rôle dans l’équipe de la commune" in html
    assert re.search(r'<img [^>]*src="data:image/svg\+xml;base64,', html)
    assert f'<code class="totp-secret" id="totp-secret">{secret}</code>' in html
    assert "QR code à scanner" in html  # a real text alternative
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html)
    # The QR code is a data: image, which our CSP allows for images only.
    policy = page["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy
    assert "script-src 'self';" in policy

    wrong = client.post(redirect["Location"], {"code": "123456"})
    assert wrong.status_code == 200
    assert 'class="error-summary"' in wrong.content.decode()
    assert not Authenticator.objects.filter(user=member).exists()

    done = client.post(redirect["Location"], {"code": totp_code(secret)})
    assert done.status_code == 302
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(
        user=member, type=Authenticator.Type.TOTP
    ).exists()

    codes_page = client.get(done["Location"]).content.decode()
    codes = RecoveryCodes(
        Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert len(codes) == 10
    for code in codes:
        assert f"<code>{code}</code>" in codes_page
    assert reverse("mfa_download_recovery_codes") in codes_page
    assert "Continuer vers l’espace de gestion" in codes_page

    assert client.get(BACKOFFICE).status_code == 200


def test_setting_up_totp_asks_for_the_password_again(organisation, staff_of):
    _, client = staff_of(organisation, Role.MODERATOR, mfa=False)
    response = client.get(mfa_setup_url(BACKOFFICE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"]).content.decode()
    assert page.count("<h1") == 1
    assert 'autocomplete="current-password"' in page
    assert "Confirmez que c’est bien vous" in page


def test_mfa_overview_page_is_in_the_site_layout(organisation, staff_of):
    _, client = staff_of(organisation, Role.ADMIN, mfa=True)
    page = client.get(reverse("mfa_index")).content.decode()
    assert page.count("<h1") == 1
    assert 'class="skip-link"' in page  # our base.html, not allauth's bare page


def test_wagtail_login_form_cannot_skip_the_second_step(organisation, staff_of):
    member, _ = staff_of(organisation, Role.ADMIN, mfa=True)
    client = client_for(organisation)

    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302
    assert page["Location"] == f"{reverse('account_login')}?next=/admin/"

    client.post("/admin/login/", {"username": member.email, "password": PASSWORD})
    assert logged_in_user_id(client) is None
