"""allauth adapters: the pseudonym is the only public name, set before first save."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.urls import reverse
from django.utils.translation import gettext as _

from carte.models import User
from carte.permissions import can_access_backoffice
from carte.tenancy import Actor


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

    def get_login_redirect_url(self, request) -> str:
        # The commune's team lands on what waits for it; residents keep the
        # default. allauth asks only when the login carries no safe ?next=.
        organisation = getattr(request, "organisation", None)
        actor = Actor.for_user(request.user, organisation)  # the user just logged in
        if organisation is not None and can_access_backoffice(actor, organisation):
            return reverse("carte:backoffice-home")
        return super().get_login_redirect_url(request)

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
