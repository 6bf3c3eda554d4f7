from django.urls import path

from participation import api
from participation.views import cycles, proposals

app_name = "participation"
urlpatterns = [
    path("budgets/", cycles.cycle_list, name="cycle-list"),
    path("budgets/<slug:slug>/", cycles.cycle_detail, name="cycle-detail"),
    path(
        "budgets/<slug:slug>/deposer/",
        proposals.proposal_create,
        name="proposal-create",
    ),
    path("propositions/", proposals.proposal_list, name="proposal-list"),
    path("propositions/carte/", proposals.proposal_map, name="proposal-map"),
    path(
        "propositions/similaires/",
        proposals.proposal_similar,
        name="proposal-similar",
    ),
    path("propositions/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path(
        "propositions/<int:pk>/modifier/",
        proposals.proposal_edit,
        name="proposal-edit",
    ),
    path(
        "propositions/<int:pk>/envoyer/",
        proposals.proposal_submit,
        name="proposal-submit",
    ),
    path(
        "gestion/guichet/proposition/",
        proposals.counter_proposal_create,
        name="counter-proposal-create",
    ),
    path(
        "api/propositions.geojson",
        api.ProposalGeoJsonApi.as_view(),
        name="proposal-geojson",
    ),
]
