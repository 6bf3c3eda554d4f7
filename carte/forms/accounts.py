"""Account forms: every account chooses a public pseudonym, never its e-mail;
the profile says, optionally, the district one lives in."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from carte.forms.ids import IdChoiceField
from carte.models import District, User


def pseudonym_clean(value: str) -> str:
    """Normalise spaces; refuse an e-mail-like or already taken pseudonym."""
    pseudonym = " ".join(value.split())
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


class PseudonymMixin(forms.Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=40,
        help_text=_(
            "The name shown with your ideas and comments, for example “Camille "
            "du Centre”. Do not use your e-mail."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_pseudonym(self) -> str:
        return pseudonym_clean(self.cleaned_data["pseudonym"])


class SignupForm(PseudonymMixin, AllauthSignupForm):
    """E-mail, pseudonym and password; the e-mail is checked before first login."""

    field_order = ("email", "pseudonym", "password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "We will send you a link to check it. Nobody else sees it."
        )
        if "password1" in self.fields:
            # One sentence rather than the validators' HTML list (a list in a hint).
            self.fields["password1"].help_text = _(
                "At least 10 characters. Avoid common passwords and numbers only."
            )


class SocialSignupForm(PseudonymMixin, AllauthSocialSignupForm):
    """After an identity service (OpenID Connect): choose the public pseudonym.

    The service may give a real name: it is never made public without asking.
    AccountAdapter.save_user stores the pseudonym.
    """

    field_order = ("email", "pseudonym")


class ProfileForm(forms.Form):
    district = IdChoiceField(
        label=_("District where you live"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("I prefer not to say"),
        help_text=_("Optional. Used only for anonymous statistics."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.for_organisation(
            organisation
        )
