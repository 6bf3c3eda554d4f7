"""The back office's form of a cycle and its calendar."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.models import PhaseChoices
from participation.phases import ORDER, Period
from participation.services.cycles import CycleInput

PHASE_LABELS = dict(PhaseChoices.choices)


class CycleForm(forms.Form):
    """A cycle and its calendar: for each phase, a first and a last day.

    Days are whole days in the commune's time: a phase ends at midnight after its
    last day (the [start, end) rule of participation.phases).
    """

    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("For example “Budget participatif 2027”."),
    )
    slug = forms.SlugField(
        label=_("Short name in the address"),
        max_length=80,
        help_text=_("Lower case letters, digits and dashes, e.g. budget-2027."),
    )
    presentation = forms.CharField(
        label=_("Presentation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain words: who can take part, what for, until when."),
    )
    is_permanent = forms.BooleanField(
        label=_("Permanent idea box (only the ideas phase, without an end date)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for phase in ORDER:
            self.fields[f"{phase}_start"] = forms.DateField(
                label=_("First day"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[f"{phase}_end"] = forms.DateField(
                label=_("Last day (included)"),
                required=False,
                help_text=_("Empty: no end.") if phase == ORDER[-1] else "",
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def phase_rows(self):
        """(label, start field, end field) for each phase, for the template."""
        return [
            (PHASE_LABELS[phase], self[f"{phase}_start"], self[f"{phase}_end"])
            for phase in ORDER
        ]

    def clean(self):
        cleaned = super().clean()
        for phase in ORDER:
            if cleaned.get(f"{phase}_end") and not cleaned.get(f"{phase}_start"):
                self.add_error(
                    f"{phase}_start",
                    _("Give the first day too, or clear the last day."),
                )
        return cleaned

    def to_input(self) -> CycleInput:
        data = self.cleaned_data
        return CycleInput(
            title=data["title"],
            slug=data["slug"],
            presentation=data["presentation"],
            is_permanent=data["is_permanent"],
        )

    def periods(self) -> list[Period]:
        """The calendar as [start, end) periods at local midnight."""
        periods = []
        for phase in ORDER:
            start = self.cleaned_data.get(f"{phase}_start")
            if start is None:
                continue
            end = self.cleaned_data.get(f"{phase}_end")
            periods.append(
                Period(
                    phase,
                    _midnight(start),
                    _midnight(end + timedelta(days=1)) if end else None,
                )
            )
        return periods

    @staticmethod
    def initial_from(cycle) -> dict:
        initial = {
            "title": cycle.title,
            "slug": cycle.slug,
            "presentation": cycle.presentation,
            "is_permanent": cycle.is_permanent,
        }
        for period in cycle.periods():
            initial[f"{period.phase}_start"] = timezone.localtime(period.start).date()
            if period.end is not None:
                last = timezone.localtime(period.end) - timedelta(microseconds=1)
                initial[f"{period.phase}_end"] = last.date()
        return initial


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
