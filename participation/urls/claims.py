"""Counter consent: the link a resident opens to claim an idea keyed for them."""

from django.urls import path

from participation.views import claims as views

urlpatterns = [
    path(
        "propositions/rattacher/<str:token>/",
        views.claim_confirm,
        name="claim-confirm",
    ),
]
