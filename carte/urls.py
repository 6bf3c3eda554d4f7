from django.urls import path

from carte import views

app_name = "carte"
urlpatterns = [
    path("", views.backoffice_home, name="backoffice-home"),
    path("equipe/", views.membership_list, name="membership-list"),
    path("equipe/<int:pk>/", views.membership_edit, name="membership-edit"),
    path("quartiers/<int:pk>/", views.district_detail, name="district-detail"),
]
