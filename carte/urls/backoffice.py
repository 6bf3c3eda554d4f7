"""The commune's back office under /gestion/: home, team and districts."""

from django.urls import path

from carte.views import backoffice, districts, team

app_name = "carte"
urlpatterns = [
    path("", backoffice.backoffice_home, name="backoffice-home"),
    path("equipe/", team.membership_list, name="membership-list"),
    path("equipe/<int:pk>/", team.membership_edit, name="membership-edit"),
    path("quartiers/", districts.district_list, name="district-list"),
    path("quartiers/importer/", districts.district_import, name="district-import"),
    path("quartiers/<int:pk>/", districts.district_edit, name="district-edit"),
    # Another name of the edit page, for older links.
    path("quartiers/<int:pk>/", districts.district_edit, name="district-detail"),
]
