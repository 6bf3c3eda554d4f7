"""Review by city services, projects and the list put to the vote."""

from django.urls import path

from budget.views import decisions, departments, projects, reviews

app_name = "budget"
urlpatterns = [
    # Back office (two-step verification enforced under /gestion/).
    path("gestion/services/", departments.department_list, name="department-list"),
    path(
        "gestion/services/nouveau/",
        departments.department_edit,
        name="department-create",
    ),
    path(
        "gestion/services/<int:pk>/",
        departments.department_edit,
        name="department-edit",
    ),
    path("gestion/instruction/", reviews.review_list, name="review-list"),
    path(
        "gestion/instruction/a-affecter/",
        reviews.review_to_assign,
        name="review-to-assign",
    ),
    path(
        "gestion/instruction/a-affecter/<int:pk>/",
        reviews.review_assign,
        name="review-assign",
    ),
    path("gestion/instruction/<int:pk>/", reviews.review_edit, name="review-edit"),
    path("gestion/projets/", projects.project_manage_list, name="project-manage-list"),
    path("gestion/projets/nouveau/", projects.project_create, name="project-create"),
    path(
        "gestion/projets/validation/",
        decisions.ballot_list_validate,
        name="ballot-list-validate",
    ),
    path(
        "gestion/projets/validation/rouvrir/",
        decisions.ballot_list_reopen,
        name="ballot-list-reopen",
    ),
    path("gestion/projets/<int:pk>/", projects.project_edit, name="project-edit"),
    path(
        "gestion/projets/commentaires/<int:pk>/moderer/",
        projects.project_comment_moderate,
        name="project-comment-moderate",
    ),
    # Public pages.
    path("projets/", projects.project_list, name="project-list"),
    path("projets/<int:pk>/", projects.project_detail, name="project-detail"),
    path(
        "projets/<int:pk>/commenter/", projects.project_comment, name="project-comment"
    ),
]
