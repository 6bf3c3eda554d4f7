"""Comments on a proposal: write, edit, delete, hide and show again."""

from django.urls import path

from participation.views import comments as views

urlpatterns = [
    path(
        "propositions/<int:pk>/commenter/", views.comment_create, name="comment-create"
    ),
    path("commentaires/<int:pk>/modifier/", views.comment_edit, name="comment-edit"),
    path(
        "commentaires/<int:pk>/supprimer/", views.comment_delete, name="comment-delete"
    ),
    path("commentaires/<int:pk>/masquer/", views.comment_hide, name="comment-hide"),
    path(
        "commentaires/<int:pk>/retablir/", views.comment_restore, name="comment-restore"
    ),
]
