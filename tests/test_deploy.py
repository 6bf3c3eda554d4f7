"""Production settings pass `check --deploy`; /healthz tells the truth."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def run_with_production_settings(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x7!kq-9v2@wz#h4m$e8r^t6y&u1i*o0p(l3j)g5f_d-s+a=zcxbnm",
        "ALLOWED_HOSTS": "budget.example.fr",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_with_production_settings("check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable():
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_every_response_has_a_strict_content_security_policy(organisation):
    response = Client(HTTP_HOST=organisation.site.hostname).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_the_only_third_party_origin_is_the_tile_server(organisation, settings):
    organisation.tile_url = "https://tuiles.example.fr/{z}/{x}/{y}.png"
    organisation.save()
    policy = Client(HTTP_HOST=organisation.site.hostname).get("/")[
        "Content-Security-Policy"
    ]
    origins = {word for word in policy.replace(";", " ").split() if "://" in word}
    assert origins == {"https://tuiles.example.fr"}
    assert "img-src 'self' data: https://tuiles.example.fr" in policy


@pytest.mark.django_db
def test_public_pages_set_no_cookie_for_an_anonymous_visitor(commune_client):
    response = commune_client.get("/")
    assert response.status_code == 200
    assert set(response.cookies) <= {"csrftoken", "agora_session"}
