"""Reporting a proposal or a comment to the moderators."""

from django.urls import path

from participation.views import reports as views

urlpatterns = [
    path("signaler/<str:target>/<int:pk>/", views.report_create, name="report-create"),
]
