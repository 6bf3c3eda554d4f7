"""Account forms: sign-up asks for a public pseudonym, never shown e-mail."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from carte.models import User


class SignupForm(AllauthSignupForm):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=40,
        help_text=_(
            "The name shown with your ideas and comments. Do not use your e-mail."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    field_order = ["email", "pseudonym", "password1", "password2"]

    def clean_pseudonym(self) -> str:
        pseudonym = " ".join(self.cleaned_data["pseudonym"].split())
        if "@" in pseudonym:
            raise forms.ValidationError(
                _("A pseudonym cannot contain “@”: choose a name, not an e-mail."),
                code="looks_like_email",
            )
        if User.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise forms.ValidationError(
                _("This pseudonym is already taken. Try another one."), code="taken"
            )
        return pseudonym
