"""Merging a duplicate proposal, and carrying one's support over."""

from django.urls import path

from participation.views import merging

urlpatterns = [
    path(
        "gestion/moderation/propositions/<int:pk>/fusionner/",
        merging.proposal_merge_view,
        name="proposal-merge",
    ),
    path(
        "propositions/<int:pk>/reporter-mon-soutien/",
        merging.support_carry_over_view,
        name="support-carry-over",
    ),
]
