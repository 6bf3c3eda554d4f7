"""Back-office form of a city service: its name and members."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import Department
from budget.selectors import reviewers_of
from carte.forms.ids import IdMultipleChoiceField
from carte.forms.rows import RowFormMixin
from carte.models import Organisation


def reviewers_choice(field: forms.ModelChoiceField, organisation: Organisation) -> None:
    """Offer the organisation's reviewers in `field`, by pseudonym."""
    field.queryset = reviewers_of(organisation)
    field.label_from_instance = lambda user: user.pseudonym


class DepartmentForm(RowFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the service"),
        max_length=120,
        help_text=_("For example “Voirie” or “Espaces verts”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    members = IdMultipleChoiceField(
        label=_("Members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Team members with the city service (reviewer) role."),
    )

    row_attributes = {"name": "name"}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        reviewers_choice(self.fields["members"], organisation)

    @classmethod
    def initial_for(cls, department: Department) -> dict:
        members = list(department.members.values_list("pk", flat=True))
        return super().initial_for(department) | {"members": members}
