from django.urls import include, path

from participation import api
from participation.views import (
    comments,
    cycles,
    follows,
    notifications,
    proposals,
    reports,
    supports,
)

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
        supports.support_add,
        name="support-add",
    ),
    path(
        "propositions/<int:pk>/retirer-mon-soutien/",
        supports.support_withdraw,
        name="support-withdraw",
    ),
    path(
        "propositions/<int:pk>/commenter/",
        comments.comment_create,
        name="comment-create",
    ),
    path(
        "commentaires/<int:pk>/modifier/",
        comments.comment_edit,
        name="comment-edit",
    ),
    path(
        "commentaires/<int:pk>/supprimer/",
        comments.comment_delete,
        name="comment-delete",
    ),
    path(
        "commentaires/<int:pk>/masquer/",
        comments.comment_hide,
        name="comment-hide",
    ),
    path(
        "commentaires/<int:pk>/retablir/",
        comments.comment_restore,
        name="comment-restore",
    ),
    path(
        "signaler/<str:target>/<int:pk>/",
        reports.report_create,
        name="report-create",
    ),
    path("propositions/<int:pk>/suivre/", follows.follow, name="follow"),
    path(
        "propositions/<int:pk>/ne-plus-suivre/",
        follows.unfollow,
        name="unfollow",
    ),
    path(
        "compte/notifications/",
        notifications.notification_list,
        name="notification-list",
    ),
    path(
        "compte/notifications/lues/",
        notifications.notification_read,
        name="notification-read",
    ),
    path(
        "compte/notifications/preference/",
        notifications.notification_preference,
        name="notification-preference",
    ),
]

# Moderation and outcomes (issue 6); these modules join this namespace.
urlpatterns += [
    path("", include("participation.urls_moderation")),
    path("", include("participation.urls_outcomes")),
]
