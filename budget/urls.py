"""Review by city services, projects and the list put to the vote."""

from django.urls import include, path

from budget.views import decisions, departments, projects, reviews

departments_urls = [
    path("", departments.department_list, name="department-list"),
    path("nouveau/", departments.department_edit, name="department-create"),
    path("<int:pk>/", departments.department_edit, name="department-edit"),
]
reviews_urls = [
    path("", reviews.review_list, name="review-list"),
    path("a-affecter/", reviews.review_to_assign, name="review-to-assign"),
    path("a-affecter/<int:pk>/", reviews.review_assign, name="review-assign"),
    path("<int:pk>/", reviews.review_edit, name="review-edit"),
]
projects_manage_urls = [
    path("", projects.project_manage_list, name="project-manage-list"),
    path("nouveau/", projects.project_create, name="project-create"),
    path("validation/", decisions.ballot_list_validate, name="ballot-list-validate"),
    path(
        "validation/rouvrir/",
        decisions.ballot_list_reopen,
        name="ballot-list-reopen",
    ),
    path("<int:pk>/", projects.project_edit, name="project-edit"),
    path(
        "commentaires/<int:pk>/moderer/",
        projects.project_comment_moderate,
        name="project-comment-moderate",
    ),
]
projects_urls = [
    path("", projects.project_list, name="project-list"),
    path("<int:pk>/", projects.project_detail, name="project-detail"),
    path("<int:pk>/commenter/", projects.project_comment, name="project-comment"),
]

app_name = "budget"
urlpatterns = [
    # Back office (two-step verification enforced under /gestion/).
    path("gestion/services/", include(departments_urls)),
    path("gestion/instruction/", include(reviews_urls)),
    path("gestion/projets/", include(projects_manage_urls)),
    # Public pages.
    path("projets/", include(projects_urls)),
]
