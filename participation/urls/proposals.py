"""Proposals: propose, browse (list, map, GeoJSON), read, edit, send, withdraw,
and the counter."""

from django.urls import path

from participation import api
from participation.views import proposals as views

urlpatterns = [
    path("budgets/<slug:slug>/deposer/", views.proposal_create, name="proposal-create"),
    path("propositions/", views.proposal_list, name="proposal-list"),
    path("propositions/carte/", views.proposal_map, name="proposal-map"),
    path("propositions/similaires/", views.proposal_similar, name="proposal-similar"),
    path("propositions/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("propositions/<int:pk>/modifier/", views.proposal_edit, name="proposal-edit"),
    path(
        "propositions/<int:pk>/envoyer/", views.proposal_submit, name="proposal-submit"
    ),
    path(
        "propositions/<int:pk>/retirer/",
        views.proposal_withdraw,
        name="proposal-withdraw",
    ),
    path(
        "gestion/guichet/proposition/",
        views.counter_proposal_create,
        name="counter-proposal-create",
    ),
    path(
        "api/propositions.geojson",
        api.ProposalGeoJsonApi.as_view(),
        name="proposal-geojson",
    ),
]
