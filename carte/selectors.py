"""What the base layer's back-office and profile pages read."""

from django.db.models import QuerySet

from carte.models import District, Membership, Organisation, Residence, User


def memberships_for_list(*, organisation: Organisation) -> QuerySet[Membership]:
    """The team, by role then pseudonym."""
    return (
        Membership.objects.for_organisation(organisation)
        .select_related("user")
        .only("role", "created_at", "user__pseudonym", "user__email")
        .order_by("role", "user__pseudonym", "pk")
    )


def memberships_for_edit(*, organisation: Organisation) -> QuerySet[Membership]:
    """The team's memberships, each with its user, for the role form."""
    return Membership.objects.for_organisation(organisation).select_related("user")


def districts_for_list(
    *, organisation: Organisation, outline: bool = True
) -> QuerySet[District]:
    """The districts by name; `outline` False leaves the polygons unread."""
    fields = ("name", "code", "outline") if outline else ("name", "code")
    return (
        District.objects.for_organisation(organisation)
        .only(*fields)
        .order_by("name", "pk")
    )


def districts_for_edit(*, organisation: Organisation) -> QuerySet[District]:
    return District.objects.for_organisation(organisation)


def residence_district_id(*, organisation: Organisation, user: User) -> int | None:
    """The id of the district `user` says they live in here, if any."""
    residence = (
        Residence.objects.for_organisation(organisation).filter(user=user).first()
    )
    return residence.district_id if residence else None
