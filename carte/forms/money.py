"""Amounts typed in euros, read exactly into integer cents (carte.formats)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carte.formats import AmountError, format_euros, parse_euros


class EurosField(forms.CharField):
    """An amount typed in euros ("1 500", "1 500,50"), cleaned to integer cents."""

    MAX_LENGTH = 20

    def __init__(self, **kwargs):
        # No max_length validator: it would run on the cleaned integer.
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "maxlength": self.MAX_LENGTH}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_euros(value, symbol=False)
        return value

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        try:
            if len(text) > self.MAX_LENGTH:
                raise AmountError(text)
            return parse_euros(text)
        except AmountError:
            raise ValidationError(
                _("Give an amount in euros, for example 1 500."), code="amount"
            ) from None
