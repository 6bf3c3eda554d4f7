"""A citizen's own settings in an organisation: the district they live in."""

from carte.models import District, Organisation, Residence, User


def residence_set(
    *, organisation: Organisation, user: User, district: District | None
) -> Residence:
    """Record the district `user` says they live in (None: they prefer not to say)."""
    residence, _created = Residence.objects.update_or_create(
        organisation=organisation, user=user, defaults={"district": district}
    )
    return residence
