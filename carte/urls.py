from django.urls import path

from carte import views, views_districts

app_name = "carte"
urlpatterns = [
    path("", views.backoffice_home, name="backoffice-home"),
    path("equipe/", views.membership_list, name="membership-list"),
    path("equipe/<int:pk>/", views.membership_edit, name="membership-edit"),
]

# Districts (issue 5): list, GeoJSON import and edit, for administrators.
# "district-detail" stays as another name of the edit page for older links.
urlpatterns += [
    path("quartiers/", views_districts.district_list, name="district-list"),
    path(
        "quartiers/importer/",
        views_districts.district_import,
        name="district-import",
    ),
    path("quartiers/<int:pk>/", views_districts.district_edit, name="district-edit"),
    path("quartiers/<int:pk>/", views_districts.district_edit, name="district-detail"),
]
