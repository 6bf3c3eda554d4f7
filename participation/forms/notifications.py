"""Forms of the notifications page."""

from django import forms
from django.utils.translation import gettext_lazy

from carte.forms.ids import IdField
from participation.models import NotificationPreference


class NotificationPreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=gettext_lazy("E-mails about the proposals you follow"),
        choices=NotificationPreference.EmailMode.choices,
        widget=forms.RadioSelect,
    )


class NotificationReadForm(forms.Form):
    """Which notification to mark read; none (or anything else): all of them."""

    notification = IdField(required=False)

    def notification_id(self) -> int | None:
        return self.cleaned_data["notification"] if self.is_valid() else None
