"""API errors as translated 4xx JSON: {"message": "...", "errors": {...}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _errors_of(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for item in items for message in item.messages]
            for field, items in error.error_dict.items()
        }
    return {"non_field_errors": [str(message) for message in error.messages]}


def exception_handler(exc, context):
    """Turn domain and DRF errors into one JSON shape; anything else stays a 500."""
    if isinstance(exc, DjangoValidationError):
        errors = _errors_of(exc)
        first = next(iter(errors.values()), [_("Invalid request.")])
        return Response(
            {"message": first[0], "errors": errors}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _("Not allowed."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data:
        response.data = {"message": str(data["detail"]), "errors": {}}
    elif isinstance(data, dict):
        errors = {key: [str(m) for m in value] for key, value in data.items()}
        response.data = {"message": _("Please correct the errors."), "errors": errors}
    else:
        response.data = {"message": _("Invalid request."), "errors": {"": data}}
    return response
