"""Moderation back office (issue 6): queue, reports, standard replies, blocks.

No app_name: these names join the `participation` namespace.
"""

from django.urls import path

from participation.views import moderation

urlpatterns = [
    path(
        "gestion/moderation/",
        moderation.moderation_queue,
        name="moderation-queue",
    ),
    path(
        "gestion/moderation/publier/",
        moderation.moderation_publish,
        name="moderation-publish",
    ),
    path(
        "gestion/moderation/propositions/<int:pk>/",
        moderation.moderation_proposal,
        name="moderation-proposal",
    ),
    path(
        "gestion/moderation/propositions/<int:pk>/action/<str:action>/",
        moderation.moderation_action,
        name="moderation-action",
    ),
    path(
        "gestion/moderation/propositions/<int:pk>/masquer/",
        moderation.moderation_hide,
        name="moderation-hide",
    ),
    path(
        "gestion/moderation/propositions/<int:pk>/retablir/",
        moderation.moderation_restore,
        name="moderation-restore",
    ),
    path(
        "gestion/moderation/propositions/<int:pk>/classer/",
        moderation.moderation_dismiss,
        name="moderation-dismiss",
    ),
    path(
        "gestion/moderation/commentaires/<int:pk>/<str:verb>/",
        moderation.moderation_comment,
        name="moderation-comment",
    ),
    path(
        "gestion/moderation/comptes/<int:user_id>/",
        moderation.moderation_account,
        name="moderation-account",
    ),
    path(
        "gestion/moderation/comptes/<int:user_id>/debloquer/",
        moderation.moderation_unblock,
        name="moderation-unblock",
    ),
    path(
        "gestion/moderation/reponses/",
        moderation.reply_list,
        name="moderation-replies",
    ),
    path(
        "gestion/moderation/reponses/nouvelle/",
        moderation.reply_edit,
        name="moderation-reply-create",
    ),
    path(
        "gestion/moderation/reponses/<int:pk>/",
        moderation.reply_edit,
        name="moderation-reply-edit",
    ),
    path(
        "gestion/moderation/reponses/<int:pk>/retirer/",
        moderation.reply_toggle,
        name="moderation-reply-toggle",
    ),
    path(
        "gestion/moderation/reponses/proposer/",
        moderation.reply_seed,
        name="moderation-replies-seed",
    ),
]
