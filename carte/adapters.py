"""allauth adapters: the pseudonym is set before the account is first saved."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from carte.models import User


def unique_pseudonym(base: str) -> str:
    base = (base or "habitant").strip()[:30] or "habitant"
    candidate = base
    while User.objects.filter(pseudonym__iexact=candidate).exists():
        candidate = f"{base}-{secrets.randbelow(10**6):06d}"
    return candidate


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.pseudonym = form.cleaned_data.get("pseudonym") or unique_pseudonym("")
        return super().save_user(request, user, form, commit=commit)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.pseudonym = unique_pseudonym(data.get("first_name") or "")
        return user
