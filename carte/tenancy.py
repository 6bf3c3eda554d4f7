"""Resolve the organisation from the request's Wagtail site, and the actor in it."""

from dataclasses import dataclass
from functools import partial

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from carte.models import AccountBlock, Membership, Organisation
from carte.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class Actor:
    """Who acts, and their role in the current organisation (None: citizen)."""

    user_id: int | None
    organisation_id: int | None
    role: Role | None
    is_operator: bool = False
    # Barred from contributing in this organisation (carte.AccountBlock).
    is_blocked: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @classmethod
    def with_role(
        cls, role: Role | None, *, organisation: Organisation, user_id: int | None = 1
    ) -> "Actor":
        """An actor for predicates and tests; role None with a user is a citizen."""
        return cls(user_id=user_id, organisation_id=organisation.pk, role=role)

    @classmethod
    def anonymous(cls, organisation: Organisation | None = None) -> "Actor":
        return cls(
            user_id=None,
            organisation_id=organisation.pk if organisation else None,
            role=None,
        )

    @classmethod
    def for_user(cls, user, organisation: Organisation | None) -> "Actor":
        if user is None or not user.is_authenticated:
            return cls.anonymous(organisation)
        role = None
        is_blocked = False
        if organisation is not None:
            # One query for both: the role held here, and a block in force.
            role_code, is_blocked = (
                Organisation.objects.filter(pk=organisation.pk)
                .annotate(
                    role=Subquery(
                        Membership.objects.filter(
                            organisation=OuterRef("pk"), user=user
                        ).values("role")[:1]
                    ),
                    blocked=Exists(
                        AccountBlock.objects.in_force().filter(
                            organisation=OuterRef("pk"), user=user
                        )
                    ),
                )
                .values_list("role", "blocked")
                .first()
            ) or (None, False)
            role = Role(role_code) if role_code else None
            # The platform operator administers every organisation.
            if role is None and user.is_superuser:
                role = Role.ADMIN
            # Staff are never blocked: a role is removed, not blocked.
            is_blocked = bool(is_blocked) and role is None
        return cls(
            user_id=user.pk,
            organisation_id=organisation.pk if organisation else None,
            role=role,
            is_operator=user.is_superuser,
            is_blocked=is_blocked,
        )

    @classmethod
    def for_request(cls, request: HttpRequest) -> "Actor":
        return cls.for_user(getattr(request, "user", None), request.organisation)


def organisation_for_request(request: HttpRequest) -> Organisation | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    return Organisation.objects.filter(site=site).select_related("site").first()


class TenancyMiddleware:
    """Set request.organisation (None: no organisation for this host) and actor.

    The actor is resolved on first use, so static files and /healthz skip it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    # The health check must answer even when the database does not.
    EXEMPT_PATHS = ("/healthz",)

    def __call__(self, request):
        if request.path in self.EXEMPT_PATHS:
            request.organisation = None
            request.actor = Actor.anonymous()
            return self.get_response(request)
        request.organisation = organisation_for_request(request)
        request.actor = SimpleLazyObject(partial(Actor.for_request, request))
        return self.get_response(request)
