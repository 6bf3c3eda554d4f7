"""What the notifications page reads."""

from django.db.models import QuerySet

from carte.models import Organisation, User
from participation.models import Notification


def notifications_for_user(
    *, organisation: Organisation, user: User
) -> QuerySet[Notification]:
    """An account's notifications in one commune, newest first, for a paginated list."""
    return (
        Notification.objects.for_organisation(organisation)
        .filter(user=user)
        .select_related("proposal", "comment__author")
        .only(
            "id",
            "kind",
            "created_at",
            "read_at",
            "proposal__id",
            "proposal__title",
            "proposal__status",
            "comment__id",
            "comment__deleted_at",
            "comment__hidden_at",
            "comment__author__pseudonym",
        )
        .order_by("-created_at", "-pk")
    )
