"""allauth adapters: the pseudonym is the only public name, set before first save."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import gettext as _

from carte.models import User


def unique_pseudonym(base: str) -> str:
    base = (base or "habitant").strip()[:30] or "habitant"
    candidate = base
    while User.objects.filter(pseudonym__iexact=candidate).exists():
        candidate = f"{base}-{secrets.randbelow(10**6):06d}"
    return candidate


def user_display(user) -> str:
    """How allauth names a user in messages and pages (ACCOUNT_USER_DISPLAY)."""
    return user.pseudonym or _("Anonymous")


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        # Residents know their commune, not the software: name it in the subject.
        organisation = getattr(context.request, "organisation", None)
        if organisation is not None:
            return f"[{organisation.name}] {subject}"
        return super().format_email_subject(subject)

    def save_user(self, request, user, form, commit=True):
        user.pseudonym = form.cleaned_data.get("pseudonym") or unique_pseudonym("")
        return super().save_user(request, user, form, commit=commit)

    def populate_username(self, request, user) -> None:
        # The internal username comes from the pseudonym, not from the e-mail
        # (allauth's default), so that no part of the address leaks through it.
        if not user.username:
            user.username = self.generate_unique_username([user.pseudonym, "habitant"])


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # Never publish the name given by the identity service: the sign-up
        # form (SocialSignupForm) asks for a pseudonym.
        user.pseudonym = unique_pseudonym("")
        return user

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False
