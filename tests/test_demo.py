"""The demo a newcomer gets from `make run`: idempotent, and its logins work."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from carte.models import District, Membership, Organisation, User
from carte.roles import Role
from cms import demo
from tests.conftest import row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_report():
    cache.clear()
    return demo.load()


def test_load_demo_is_idempotent(demo_report):
    models = (Organisation, District, User, Membership, Page)
    counts = row_counts(*models)
    demo.load()
    assert row_counts(*models) == counts


def test_demo_has_two_communes_and_four_districts_in_the_first(demo_report):
    valbourg = Organisation.objects.get(slug="valbourg")
    assert District.objects.for_organisation(valbourg).count() == 4
    assert Organisation.objects.count() == 2
    for district in District.objects.all():
        district.full_clean()  # outlines are valid and inside the bounds


def test_demo_has_one_user_per_role(demo_report):
    valbourg = Organisation.objects.get(slug="valbourg")
    roles = set(
        Membership.objects.for_organisation(valbourg).values_list("role", flat=True)
    )
    assert roles == set(Role)
    assert User.objects.filter(is_superuser=True).count() == 1


def test_the_command_prints_logins_and_what_passes_mfa(capsys, settings):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "admin@valbourg.test" in out
    assert demo.PASSWORD in out
    assert demo.TOTP_SECRET in out
    assert "http://127.0.0.1:8000/" in out
    assert "http://saint-aubin.localhost:8000/" in out


def test_the_command_refuses_to_run_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")


def test_each_demo_commune_serves_its_home_page_in_french(demo_report):
    first = Client(HTTP_HOST="127.0.0.1:8000").get("/")
    second = Client(HTTP_HOST="saint-aubin.localhost:8000").get("/")
    assert first.status_code == second.status_code == 200
    assert first.wsgi_request.organisation.slug == "valbourg"
    assert second.wsgi_request.organisation.slug == "saint-aubin"
    assert '<html lang="fr">' in first.content.decode()


def _log_in_with_totp(client: Client, email: str) -> None:
    response = client.post(
        reverse("account_login"), {"login": email, "password": demo.PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(demo.TOTP_SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session.get(SESSION_KEY)


def test_the_printed_administrator_login_reaches_the_wagtail_admin(demo_report):
    client = Client(HTTP_HOST="127.0.0.1:8000")
    _log_in_with_totp(client, "admin@valbourg.test")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


def test_a_printed_recovery_code_also_passes_mfa(demo_report):
    client = Client(HTTP_HOST="127.0.0.1:8000")
    client.post(
        reverse("account_login"),
        {"login": "moderation@valbourg.test", "password": demo.PASSWORD},
    )
    code = demo_report.recovery_codes["moderation@valbourg.test"][0]
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get("/gestion/").status_code == 200


def test_the_demo_citizen_is_not_asked_for_mfa(demo_report):
    client = Client(HTTP_HOST="127.0.0.1:8000")
    response = client.post(
        reverse("account_login"),
        {"login": "camille@valbourg.test", "password": demo.PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_authenticate")
    assert client.session.get(SESSION_KEY)


def test_wagtail_welcome_site_is_gone_so_only_communes_answer(demo_report):
    from wagtail.models import Site

    assert not Page.objects.filter(slug="home", depth=2).exists()
    assert sorted(Site.objects.values_list("hostname", flat=True)) == [
        "127.0.0.1",
        "saint-aubin.localhost",
    ]
    assert Page.get_first_root_node().numchild == 2
