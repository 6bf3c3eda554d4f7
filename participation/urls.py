from django.urls import include, path

from participation import api
from participation.views import cycles, interactions, proposals

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
    path("gestion/editions/", cycles.cycle_manage_list, name="cycle-manage-list"),
    path(
        "gestion/editions/nouvelle/",
        cycles.cycle_manage_edit,
        name="cycle-manage-create",
    ),
    path(
        "gestion/editions/<int:pk>/",
        cycles.cycle_manage_edit,
        name="cycle-manage-edit",
    ),
    path(
        "api/propositions.geojson",
        api.ProposalGeoJsonApi.as_view(),
        name="proposal-geojson",
    ),
    # Supports, comments, reports, follows, notifications (issue 5, interactions).
    path(
        "propositions/<int:pk>/soutenir/",
        interactions.support_add,
        name="support-add",
    ),
    path(
        "propositions/<int:pk>/retirer-mon-soutien/",
        interactions.support_withdraw,
        name="support-withdraw",
    ),
    path(
        "propositions/<int:pk>/commenter/",
        interactions.comment_create,
        name="comment-create",
    ),
    path(
        "commentaires/<int:pk>/modifier/",
        interactions.comment_edit,
        name="comment-edit",
    ),
    path(
        "commentaires/<int:pk>/supprimer/",
        interactions.comment_delete,
        name="comment-delete",
    ),
    path(
        "commentaires/<int:pk>/masquer/",
        interactions.comment_hide,
        name="comment-hide",
    ),
    path(
        "commentaires/<int:pk>/retablir/",
        interactions.comment_restore,
        name="comment-restore",
    ),
    path(
        "signaler/<str:target>/<int:pk>/",
        interactions.report_create,
        name="report-create",
    ),
    path("propositions/<int:pk>/suivre/", interactions.follow, name="follow"),
    path(
        "propositions/<int:pk>/ne-plus-suivre/",
        interactions.unfollow,
        name="unfollow",
    ),
    path(
        "compte/notifications/",
        interactions.notification_list,
        name="notification-list",
    ),
    path(
        "compte/notifications/lues/",
        interactions.notification_read,
        name="notification-read",
    ),
    path(
        "compte/notifications/preference/",
        interactions.notification_preference,
        name="notification-preference",
    ),
]

# Moderation and outcomes (issue 6); these modules join this namespace.
urlpatterns += [
    path("", include("participation.urls_moderation")),
    path("", include("participation.urls_outcomes")),
]
