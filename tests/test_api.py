"""The API's schema is valid and its errors are translated JSON (STYLE.md section 7)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from rest_framework import exceptions

from config.api import exception_handler


def test_openapi_schema_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "openapi:" in target.read_text(encoding="utf-8")


def test_a_domain_refusal_becomes_a_400_with_its_message():
    error = ValidationError({"title": ["Indiquez un titre."]})
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data == {
        "message": "Indiquez un titre.",
        "errors": {"title": ["Indiquez un titre."]},
    }


def test_a_message_without_field_goes_under_non_field_errors():
    response = exception_handler(ValidationError("Hors délai.", code="late"), {})
    assert response.data["errors"] == {"non_field_errors": ["Hors délai."]}


def test_404_and_403_become_json_messages_in_french():
    not_found = exception_handler(Http404(), {})
    denied = exception_handler(PermissionDenied(), {})
    assert (not_found.status_code, not_found.data["message"]) == (404, "Introuvable.")
    assert denied.status_code == 403
    assert denied.data["message"] == "Action non autorisée."


def test_drf_field_errors_keep_their_fields():
    error = exceptions.ValidationError({"bbox": ["Quatre nombres attendus."]})
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data["errors"] == {"bbox": ["Quatre nombres attendus."]}
    assert response.data["message"] == "Corrigez les erreurs indiquées."


def test_an_unexpected_exception_is_left_to_django():
    assert exception_handler(RuntimeError("bug"), {}) is None
