"""Review by city services, projects and the list put to the vote (issue 6)."""

from django.urls import path

from budget import views, views_public

app_name = "budget"
urlpatterns = [
    # Back office (two-step verification enforced under /gestion/).
    path("gestion/services/", views.department_list, name="department-list"),
    path("gestion/services/nouveau/", views.department_edit, name="department-create"),
    path("gestion/services/<int:pk>/", views.department_edit, name="department-edit"),
    path("gestion/instruction/", views.review_list, name="review-list"),
    path(
        "gestion/instruction/a-affecter/",
        views.review_to_assign,
        name="review-to-assign",
    ),
    path(
        "gestion/instruction/a-affecter/<int:pk>/",
        views.review_assign,
        name="review-assign",
    ),
    path("gestion/instruction/<int:pk>/", views.review_edit, name="review-edit"),
    path("gestion/projets/", views.project_manage_list, name="project-manage-list"),
    path("gestion/projets/nouveau/", views.project_create, name="project-create"),
    path(
        "gestion/projets/validation/",
        views.ballot_list_validate,
        name="ballot-list-validate",
    ),
    path("gestion/projets/<int:pk>/", views.project_edit, name="project-edit"),
    path(
        "gestion/projets/commentaires/<int:pk>/moderer/",
        views_public.project_comment_moderate,
        name="project-comment-moderate",
    ),
    # Public pages.
    path("projets/", views_public.project_list, name="project-list"),
    path("projets/<int:pk>/", views_public.project_detail, name="project-detail"),
    path(
        "projets/<int:pk>/commenter/",
        views_public.project_comment,
        name="project-comment",
    ),
]
