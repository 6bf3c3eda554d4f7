"""The elected officials' form: one decision per project, a public note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budget import lifecycle
from budget.services.decisions import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    ProjectDecision,
)


class BallotListForm(forms.Form):
    """One decision per project in preparation, a reason when set aside, a note."""

    CHOICES = [
        (lifecycle.Action.PUT_ON_BALLOT.value, _("Put it to the vote")),
        (lifecycle.Action.SET_ASIDE.value, _("Set it aside")),
    ]

    note = forms.CharField(
        label=_("Public note on the decision (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the date of the council's meeting."),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects
        for project in projects:
            self.fields[f"decision_{project.pk}"] = forms.ChoiceField(
                label=_("Decision on “%(title)s”") % {"title": project.title},
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose: put to the vote or set aside.")},
            )
            self.fields[f"reason_{project.pk}"] = forms.CharField(
                label=_("Public reason if set aside"),
                required=False,
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required to set the project aside; it is published."),
            )
        self.order_fields([*(f for f in self.fields if f != "note"), "note"])

    def rows(self):
        """(project, decision field, reason field) for the template."""
        return [
            (project, self[f"decision_{project.pk}"], self[f"reason_{project.pk}"])
            for project in self.projects
        ]

    def clean(self):
        cleaned = super().clean()
        for project in self.projects:
            if (
                cleaned.get(f"decision_{project.pk}") == lifecycle.Action.SET_ASIDE
                and not (cleaned.get(f"reason_{project.pk}") or "").strip()
            ):
                self.add_error(
                    f"reason_{project.pk}",
                    _("Explain why this project is set aside: the reason is public."),
                )
        return cleaned

    def decisions(self) -> dict[int, ProjectDecision]:
        return {
            project.pk: ProjectDecision(
                action=lifecycle.Action(self.cleaned_data[f"decision_{project.pk}"]),
                reason=self.cleaned_data.get(f"reason_{project.pk}", ""),
            )
            for project in self.projects
        }
