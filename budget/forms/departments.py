"""Back-office form of a city service: its name and members."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import Department
from budget.selectors import reviewers_of
from carte.forms.ids import IdMultipleChoiceField


class DepartmentForm(forms.Form):
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

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = reviewers_of(organisation)
        self.fields["members"].label_from_instance = lambda user: user.pseudonym

    @staticmethod
    def initial_for(department: Department | None) -> dict:
        if department is None:
            return {}
        return {
            "name": department.name,
            "members": list(department.members.values_list("pk", flat=True)),
        }
