"""The moderation back office: queue, reports, standard replies, blocks.

Every route lies under gestion/moderation/.
"""

from django.urls import path

from participation.views import moderation as views

ROUTES = [
    ("", views.moderation_queue, "moderation-queue"),
    ("publier/", views.moderation_publish, "moderation-publish"),
    ("propositions/<int:pk>/", views.moderation_proposal, "moderation-proposal"),
    (
        "propositions/<int:pk>/action/<str:action>/",
        views.moderation_action,
        "moderation-action",
    ),
    ("propositions/<int:pk>/masquer/", views.moderation_hide, "moderation-hide"),
    ("propositions/<int:pk>/retablir/", views.moderation_restore, "moderation-restore"),
    ("propositions/<int:pk>/classer/", views.moderation_dismiss, "moderation-dismiss"),
    (
        "commentaires/<int:pk>/<str:verb>/",
        views.moderation_comment,
        "moderation-comment",
    ),
    ("comptes/<int:user_id>/", views.moderation_account, "moderation-account"),
    (
        "comptes/<int:user_id>/debloquer/",
        views.moderation_unblock,
        "moderation-unblock",
    ),
    ("reponses/", views.reply_list, "moderation-replies"),
    ("reponses/nouvelle/", views.reply_edit, "moderation-reply-create"),
    ("reponses/<int:pk>/", views.reply_edit, "moderation-reply-edit"),
    ("reponses/<int:pk>/retirer/", views.reply_toggle, "moderation-reply-toggle"),
    ("reponses/proposer/", views.reply_seed, "moderation-replies-seed"),
]

urlpatterns = [
    path(f"gestion/moderation/{route}", view, name=name) for route, view, name in ROUTES
]
