"""Cycles: their public pages, and the back office dating their phases."""

from django.urls import path

from participation.views import cycles

urlpatterns = [
    path("budgets/", cycles.cycle_list, name="cycle-list"),
    path("budgets/<slug:slug>/", cycles.cycle_detail, name="cycle-detail"),
    path("gestion/editions/", cycles.cycle_manage_list, name="cycle-manage-list"),
    path(
        "gestion/editions/nouvelle/",
        cycles.cycle_manage_edit,
        name="cycle-manage-create",
    ),
    path(
        "gestion/editions/<int:pk>/", cycles.cycle_manage_edit, name="cycle-manage-edit"
    ),
]
