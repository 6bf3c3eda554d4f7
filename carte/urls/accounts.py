"""The account pages of ours, beside allauth's under /compte/."""

from django.urls import path

from carte.views import accounts

urlpatterns = [
    path("profil/", accounts.profile_edit, name="profile-edit"),
]
