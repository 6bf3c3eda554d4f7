"""Following a proposal, and no longer following it."""

from django.urls import path

from participation.views import follows as views

urlpatterns = [
    path("propositions/<int:pk>/suivre/", views.follow, name="follow"),
    path("propositions/<int:pk>/ne-plus-suivre/", views.unfollow, name="unfollow"),
]
