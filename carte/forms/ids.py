"""Ids in forms and query strings, read one way everywhere (carte.formats.parse_id,
as carte.http.scoped_or_404 reads those of addresses).

"²", "١٢" or thirty digits are an invalid choice, answered on the form, never a
query the database cannot run.
"""

from django import forms
from django.core.exceptions import ValidationError

from carte.formats import parse_id


def is_id(value) -> bool:
    """Text that parse_id reads, or a value given by the code (an instance)."""
    return not isinstance(value, str) or parse_id(value.strip()) is not None


class IdField(forms.IntegerField):
    """The id of a row, sent by a hidden field or a query parameter."""

    widget = forms.HiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_id(str(value).strip())
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose choice must be an id."""

    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose choices must be ids."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)
