"""Supporting a proposal, and withdrawing one's support."""

from django.urls import path

from participation.views import supports as views

urlpatterns = [
    path("propositions/<int:pk>/soutenir/", views.support_add, name="support-add"),
    path(
        "propositions/<int:pk>/retirer-mon-soutien/",
        views.support_withdraw,
        name="support-withdraw",
    ),
]
