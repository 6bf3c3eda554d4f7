"""Back-office form of the commune's team: a member's role."""

from django import forms
from django.utils.translation import gettext_lazy

from carte.forms.rows import RowFormMixin
from carte.models import RoleChoices


class MembershipForm(RowFormMixin, forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[("", gettext_lazy("No role (citizen)")), *RoleChoices.choices],
        required=False,
    )
    row_attributes = {"role": "role"}
