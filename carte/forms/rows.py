"""Forms editing one row: bound to what was posted, else filled from the row."""

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from django.http import HttpRequest


class RowFormMixin:
    """For a form whose `initial_for(row)` gives the fields' values of a row: by
    default the row's attributes named in `row_attributes` (field: attribute);
    a form adds the values it computes."""

    row_attributes: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def initial_for(cls, row: Any) -> dict:
        return {field: getattr(row, name) for field, name in cls.row_attributes.items()}

    @classmethod
    def for_row(cls, request: HttpRequest, row: Any, **kwargs: Any) -> Self:
        """The form bound to the posted data and files, or unbound and filled
        from `row` (empty when `row` is None: a creation page)."""
        initial = {} if row is None else cls.initial_for(row)
        return cls(
            request.POST or None, request.FILES or None, initial=initial, **kwargs
        )
