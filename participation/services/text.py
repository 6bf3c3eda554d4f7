"""Clean free text someone typed, with the refusals the services share."""

from django.core.exceptions import ValidationError


def text_clean(
    value: str | None,
    *,
    field: str,
    max_length: int,
    too_long: str,
    required: str | None = None,
    required_code: str = "reason_required",
    too_long_code: str = "reason_too_long",
    collapse_spaces: bool = False,
) -> str:
    """Return `value` stripped (with `collapse_spaces`, every run of spaces as one).

    Raises a `ValidationError` keyed by `field`: `required` with `required_code`
    when the text is empty and a message for that case is given, `too_long` with
    `too_long_code` past `max_length` characters. `too_long` is a translated
    message that may use `%(max)s` and `%(length)s`.
    """
    if collapse_spaces:
        value = " ".join((value or "").split())
    else:
        value = (value or "").strip()
    if required is not None and not value:
        raise ValidationError({field: required}, code=required_code)
    if len(value) > max_length:
        raise ValidationError(
            {field: too_long % {"max": max_length, "length": len(value)}},
            code=too_long_code,
        )
    return value
