"""What happens to a proposal after publication (issue 6): merge, withdraw."""

from django.urls import path

from participation.views import outcomes

urlpatterns = [
    path(
        "gestion/moderation/propositions/<int:pk>/fusionner/",
        outcomes.proposal_merge_view,
        name="proposal-merge",
    ),
    path(
        "propositions/<int:pk>/retirer/",
        outcomes.proposal_withdraw,
        name="proposal-withdraw",
    ),
    path(
        "propositions/<int:pk>/reporter-mon-soutien/",
        outcomes.support_carry_over_view,
        name="support-carry-over",
    ),
]
