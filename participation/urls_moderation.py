"""Moderation back office (issue 6): queue, reports, standard replies, blocks."""

urlpatterns: list = []
