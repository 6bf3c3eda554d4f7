"""Accounts (issue 3): sign-up, e-mail check, log in, reset, profile, OIDC, limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from carte.adapters import AccountAdapter, user_display
from carte.forms.accounts import SignupForm
from carte.models import Residence, User
from tests.conftest import client_for
from tests.factories import DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-longer-new-secret-42"
SIGNUP = {
    "email": "martin.c@example.org",
    "pseudonym": "Camille du Centre",
    "password1": "une phrase de passe solide",
    "password2": "une phrase de passe solide",
}


def link_in_last_mail(prefix: str) -> str:
    """The path of the first link under `prefix` in the last e-mail sent."""
    match = re.search(
        rf"https?://[^/\s]+({re.escape(prefix)}\S*)", mail.outbox[-1].body
    )
    assert match, mail.outbox[-1].body
    return match.group(1)


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


# Sign-up and e-mail verification


def page_with_one_title(client, url_name) -> str:
    """The page at `url_name`, answered 200 with a single h1."""
    response = client.get(reverse(url_name))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    return page


def test_signup_page_is_in_french_with_labels_and_autocomplete(commune_client):
    page = page_with_one_title(commune_client, "account_signup")
    assert "Créer un compte" in page
    assert 'autocomplete="email"' in page
    assert 'autocomplete="nickname"' in page
    assert page.count('autocomplete="new-password"') == 2
    for field in ("id_email", "id_pseudonym", "id_password1", "id_password2"):
        assert f'<label for="{field}">' in page
    # The hint of the pseudonym is tied to its field.
    assert 'aria-describedby="id_pseudonym_helptext"' in page


def test_signup_sends_a_check_and_the_account_waits_for_it(commune_client):
    response = commune_client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="martin.c@example.org")
    assert user.pseudonym == "Camille du Centre"
    assert "martin" not in user.username  # nothing taken from the address
    assert not EmailAddress.objects.get(user=user).verified
    assert logged_in_user_id(commune_client) is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["martin.c@example.org"]
    assert mail.outbox[0].subject.startswith("[Villeneuve-sur-Lys] ")
    body = mail.outbox[0].body
    assert "Villeneuve-sur-Lys" in body
    assert "Camille du Centre" in body  # named by the pseudonym


def test_following_the_e_mail_link_confirms_and_logs_in(commune_client):
    commune_client.post(reverse("account_signup"), SIGNUP)
    confirm_path = link_in_last_mail("/compte/confirm-email/")

    page = commune_client.get(confirm_path)
    assert page.status_code == 200
    assert "Camille du Centre" in page.content.decode()
    assert logged_in_user_id(commune_client) is None  # a GET confirms nothing

    response = commune_client.post(confirm_path)
    user = User.objects.get(email="martin.c@example.org")
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert logged_in_user_id(commune_client) == str(user.pk)


def test_signup_errors_are_explained_and_keep_what_was_typed(commune_client):
    UserFactory(pseudonym="Camille du Centre")
    data = {**SIGNUP, "pseudonym": "camille  du centre", "password2": "autre chose"}

    response = commune_client.post(reverse("account_signup"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.filter(email="martin.c@example.org").exists()
    assert 'class="error-summary"' in page
    assert "Ce pseudonyme est déjà pris" in page
    assert 'value="martin.c@example.org"' in page
    assert 'value="camille  du centre"' in page
    assert 'aria-invalid="true"' in page


def test_a_pseudonym_cannot_be_an_e_mail(commune_client):
    data = {**SIGNUP, "pseudonym": "martin.c@example.org"}
    response = commune_client.post(reverse("account_signup"), data)
    assert "pas une adresse e-mail" in response.content.decode()
    assert not User.objects.filter(email="martin.c@example.org").exists()


def test_signup_form_normalises_spaces_in_the_pseudonym():
    form = SignupForm(data={**SIGNUP, "pseudonym": "  Camille   du  Centre "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pseudonym"] == "Camille du Centre"


def test_signup_with_a_known_e_mail_creates_no_account_and_says_nothing(
    commune_client, user
):
    data = {**SIGNUP, "email": user.email}
    response = commune_client.post(reverse("account_signup"), data)

    # Same answer as a new address, so nobody learns who has an account.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=user.email).count() == 1
    assert not User.objects.filter(pseudonym="Camille du Centre").exists()
    assert mail.outbox[-1].to == [user.email]


# Log in, log out


def test_login_page_has_one_title_and_no_inline_code(commune_client):
    page = page_with_one_title(commune_client, "account_login")
    assert 'autocomplete="email"' in page
    assert 'autocomplete="current-password"' in page
    assert reverse("account_reset_password") in page
    assert reverse("account_signup") in page
    assert " style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", page)


def test_login_with_e_mail_and_password(commune_client, user):
    response = commune_client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_user_id(commune_client) == str(user.pk)
    # allauth's welcome message names the pseudonym, never the address.
    page = commune_client.get(reverse("profile-edit")).content.decode()
    assert user.pseudonym in page


def test_wrong_password_is_refused_and_the_e_mail_is_kept(commune_client, user):
    response = commune_client.post(
        reverse("account_login"), {"login": user.email, "password": "wrong-one"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert logged_in_user_id(commune_client) is None
    assert 'class="error-summary"' in page
    assert "mot de passe" in page.lower()
    assert f'value="{user.email}"' in page


def test_an_unchecked_e_mail_cannot_log_in_yet(commune_client):
    waiting = UserFactory(verified=False)
    EmailAddress.objects.create(user=waiting, email=waiting.email, verified=False)

    response = commune_client.post(
        reverse("account_login"), {"login": waiting.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert logged_in_user_id(commune_client) is None
    assert mail.outbox[-1].to == [waiting.email]


def test_logout(organisation, user):
    client = client_for(organisation, user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert logged_in_user_id(client) is None


def test_pages_show_the_pseudonym_never_the_e_mail(organisation, user):
    client = client_for(organisation, user)
    for url in ("/", reverse("account_login"), reverse("account_change_password")):
        page = client.get(url, follow=True).content.decode()
        assert user.pseudonym in page
        assert user.email not in page


def test_allauth_names_users_by_their_pseudonym(user):
    assert user_display(user) == user.pseudonym


def test_internal_username_comes_from_the_pseudonym(rf):
    new = User(email="jean.dupont@example.org", pseudonym="Le Jardinier")
    AccountAdapter().populate_username(rf.get("/"), new)
    assert new.username
    assert "dupont" not in new.username


# Password reset and changes


def test_password_reset_by_e_mail(commune_client, user):
    response = commune_client.post(
        reverse("account_reset_password"), {"email": user.email}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [user.email]

    key_path = link_in_last_mail("/compte/password/reset/key/")
    form_page = commune_client.get(key_path, follow=True)
    assert form_page.status_code == 200
    assert 'autocomplete="new-password"' in form_page.content.decode()
    set_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else key_path
    response = commune_client.post(
        set_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_reveals_nothing(commune_client):
    response = commune_client.post(
        reverse("account_reset_password"), {"email": "personne@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_change_password(organisation, user):
    client = client_for(organisation, user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)  # still logged in


def test_change_password_with_a_wrong_current_one_is_refused(organisation, user):
    client = client_for(organisation, user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_e_mail_waits_for_the_new_address_to_be_checked(organisation, user):
    client = client_for(organisation, user)
    page = client.get(reverse("account_email")).content.decode()
    assert " style=" not in page  # allauth's own page had one, refused by our CSP
    assert page.count("<h1") == 1

    response = client.post(
        reverse("account_email"),
        {"action_add": "", "email": "nouvelle@example.org"},
    )

    assert response.status_code == 302
    new = EmailAddress.objects.get(user=user, email="nouvelle@example.org")
    assert not new.verified
    assert mail.outbox[-1].to == ["nouvelle@example.org"]
    user.refresh_from_db()
    assert user.email != "nouvelle@example.org"  # not before the check
    assert (
        "nouvelle@example.org" in client.get(reverse("account_email")).content.decode()
    )


def test_change_e_mail_to_a_wrong_address_explains_and_keeps_it(organisation, user):
    client = client_for(organisation, user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "nouvelle@example"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page
    assert 'value="nouvelle@example"' in page
    assert not EmailAddress.objects.filter(email="nouvelle@example").exists()


# Profile: optional district of residence


def test_profile_sets_and_clears_the_district_of_residence(organisation, user):
    district = DistrictFactory(organisation=organisation, name="Les Tilleuls")
    client = client_for(organisation, user)
    page = client.get(reverse("profile-edit")).content.decode()
    assert "Les Tilleuls" in page
    assert "Je préfère ne pas le dire" in page

    response = client.post(reverse("profile-edit"), {"district": district.pk})
    assert response.status_code == 302
    residence = Residence.objects.get(organisation=organisation, user=user)
    assert residence.district == district

    client.post(reverse("profile-edit"), {"district": ""})
    residence.refresh_from_db()
    assert residence.district is None


def test_profile_refuses_another_communes_district(
    organisation, other_organisation, user
):
    elsewhere = DistrictFactory(organisation=other_organisation)
    DistrictFactory(organisation=organisation, name="Les Tilleuls")
    client = client_for(organisation, user)

    page = client.get(reverse("profile-edit")).content.decode()
    assert elsewhere.name not in page
    response = client.post(reverse("profile-edit"), {"district": elsewhere.pk})

    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Residence.objects.exists()


def test_profile_needs_a_login(commune_client):
    response = commune_client.get(reverse("profile-edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Languages


def test_account_pages_are_available_in_english(commune_client):
    commune_client.post(reverse("language-set"), {"language": "en", "next": "/"})
    page = commune_client.get(reverse("account_signup")).content.decode()
    assert '<html lang="en">' in page
    assert "Create an account" in page
    assert "Pseudonym" in page


# OpenID Connect provider (FranceConnect or another), off by default

OIDC = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "franceconnect",
                "name": "FranceConnect",
                "client_id": "agora-test",
                "secret": "not-a-real-secret",
                "settings": {
                    "server_url": "https://oidc.example.gouv.fr",
                    "scope": ["openid", "email", "given_name"],
                },
            }
        ],
    }
}


def test_without_configuration_no_identity_service_is_offered(commune_client):
    page = commune_client.get(reverse("account_login")).content.decode()
    assert "FranceConnect" not in page
    assert "/compte/oidc/" not in page


@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_configured_provider_is_offered_next_to_e_mail_login(commune_client, user):
    page = commune_client.get(reverse("account_login")).content.decode()
    assert "Se connecter avec FranceConnect" in page
    assert "/compte/oidc/franceconnect/login/" in page
    assert 'id="id_login"' in page  # e-mail accounts remain possible

    response = commune_client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_user_id(commune_client) == str(user.pk)


@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_provider_login_asks_before_leaving_the_site(commune_client):
    url = "/compte/oidc/franceconnect/login/?process=login"
    page = commune_client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert "FranceConnect" in page
    assert 'method="post"' in page


def pending_identity_sign_up(client, request, email: str) -> None:
    """What allauth keeps in the session when the service returns a new person."""
    sociallogin = SocialLogin(
        provider=get_social_adapter().get_provider(request, "franceconnect"),
        user=User(email=email, first_name="Jean", last_name="Dupont"),
        account=SocialAccount(provider="franceconnect", uid="fc-123", extra_data={}),
        email_addresses=[EmailAddress(email=email, verified=True, primary=True)],
    )
    session = client.session
    session["socialaccount_sociallogin"] = sociallogin.serialize()
    session.save()


@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_identity_service_sign_up_asks_a_pseudonym_and_hides_the_name(
    commune_client, rf
):
    pending_identity_sign_up(commune_client, rf.get("/"), "jean.dupont@example.org")
    url = reverse("socialaccount_signup")

    page = commune_client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert 'id="id_pseudonym"' in page
    assert "Jean" not in page  # the real name is not offered as a pseudonym

    refused = commune_client.post(
        url, {"email": "jean.dupont@example.org", "pseudonym": "jean@dupont"}
    )
    assert refused.status_code == 200
    assert not User.objects.filter(email="jean.dupont@example.org").exists()

    response = commune_client.post(
        url, {"email": "jean.dupont@example.org", "pseudonym": "Le Jardinier"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="jean.dupont@example.org")
    assert user.pseudonym == "Le Jardinier"
    assert "dupont" not in user.username
    assert not user.has_usable_password()
    assert SocialAccount.objects.filter(user=user, uid="fc-123").exists()
    assert logged_in_user_id(commune_client) == str(user.pk)


# Rate limits


def test_repeated_failed_logins_for_one_address_are_stopped(commune_client, user):
    for _attempt in range(5):
        commune_client.post(
            reverse("account_login"), {"login": user.email, "password": "wrong"}
        )

    response = commune_client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )

    # Even the right password waits: the limit is on the address.
    assert logged_in_user_id(commune_client) is None
    assert response.status_code in {200, 429}
    assert "Trop de tentatives" in response.content.decode()


def test_login_attempts_from_one_address_are_limited(commune_client):
    statuses = [
        commune_client.post(
            reverse("account_login"),
            {"login": f"personne{n}@example.org", "password": "wrong"},
        ).status_code
        for n in range(31)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429


def test_sign_ups_from_one_address_are_limited(commune_client):
    statuses = [
        commune_client.post(
            reverse("account_signup"), {**SIGNUP, "pseudonym": "a@b"}
        ).status_code
        for _attempt in range(21)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429
