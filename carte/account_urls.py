from django.urls import path

from carte import views

urlpatterns = [
    path("profil/", views.profile_edit, name="profile-edit"),
]
