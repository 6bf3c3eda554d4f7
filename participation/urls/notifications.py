"""One's notifications: the list, marking them read, the e-mail preference."""

from django.urls import path

from participation.views import notifications as views

urlpatterns = [
    path("compte/notifications/", views.notification_list, name="notification-list"),
    path(
        "compte/notifications/lues/", views.notification_read, name="notification-read"
    ),
    path(
        "compte/notifications/preference/",
        views.notification_preference,
        name="notification-preference",
    ),
]
