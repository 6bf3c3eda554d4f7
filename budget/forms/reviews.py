"""Back-office forms of the study: sending a proposal to a service, the study."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.forms.departments import reviewers_choice
from budget.models import Department, Review
from budget.services.reviews import MAX_DURATION_WEEKS
from carte.forms.ids import IdChoiceField
from carte.forms.money import EurosField
from carte.forms.rows import RowFormMixin


class ReviewAssignForm(RowFormMixin, forms.Form):
    department = IdChoiceField(
        label=_("City service"),
        queryset=None,
        empty_label=_("Choose a service"),
        error_messages={"required": _("Choose the service that studies it.")},
    )
    reviewer = IdChoiceField(
        label=_("Reviewer (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Anyone in the service"),
        help_text=_("A member of the chosen service."),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        help_text=_("The day the study should be finished, for example 30/06/2027."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    row_attributes = {
        "department": "department_id",
        "reviewer": "reviewer_id",
        "due_on": "due_on",
    }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_organisation(
            organisation
        )
        reviewers_choice(self.fields["reviewer"], organisation)


class ReviewForm(RowFormMixin, forms.Form):
    FEASIBLE = "yes"
    NOT_FEASIBLE = "no"

    feasible = forms.ChoiceField(
        label=_("Is the proposal feasible?"),
        choices=[(FEASIBLE, _("Yes, it is feasible")), (NOT_FEASIBLE, _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the proposal is feasible.")},
    )
    cost = EurosField(
        label=_("Cost estimate in euros"),
        required=False,
        help_text=_("Required if feasible, for example 12 500. Shown publicly."),
    )
    duration_weeks = forms.IntegerField(
        label=_("Duration in weeks"),
        required=False,
        min_value=1,
        max_value=MAX_DURATION_WEEKS,
        help_text=_("Required if feasible: how long the work would take."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen only by the commune's team: never published."),
    )
    public_explanation = forms.CharField(
        label=_("Public explanation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Published on the proposal's page: why it is feasible or not, in plain "
            "words."
        ),
        error_messages={
            "required": _("Explain the decision in a few sentences: it is published.")
        },
    )

    row_attributes = {
        "cost": "cost_cents",
        "duration_weeks": "duration_weeks",
        "internal_notes": "internal_notes",
        "public_explanation": "public_explanation",
    }

    @classmethod
    def initial_for(cls, review: Review) -> dict:
        feasible = (
            ""
            if review.feasible is None
            else (cls.FEASIBLE if review.feasible else cls.NOT_FEASIBLE)
        )
        return super().initial_for(review) | {"feasible": feasible}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("feasible") == self.FEASIBLE:
            if cleaned.get("cost") is None and "cost" not in self.errors:
                self.add_error(
                    "cost", _("Give the cost estimate in euros, for example 1 500.")
                )
            if (
                cleaned.get("duration_weeks") is None
                and "duration_weeks" not in self.errors
            ):
                self.add_error("duration_weeks", _("Give the duration in weeks."))
        return cleaned
