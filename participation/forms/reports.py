"""The form to report a proposal or a comment."""

from django import forms
from django.utils.translation import gettext_lazy

from participation.models import Report
from participation.services.reports import REPORT_DETAILS_MAX_LENGTH


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why do you report it?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a reason.")},
    )
    details = forms.CharField(
        label=gettext_lazy("Details (optional)"),
        required=False,
        max_length=REPORT_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What the moderators should know. Only they read it."),
    )
