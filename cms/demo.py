"""The demo installation: two fictional communes, their districts, pages and users.

`manage.py load_demo` runs every loader of LOADERS in order; each is idempotent, so
later features add their own loader (proposals, a cycle, results...) to the list.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from budget.demo import load_review
from carte.models import District, Organisation, User
from carte.roles import Role
from carte.services.team import membership_set
from cms.demo_pages import load_pages
from cms.services import organisation_create
from participation.demo import load_participation

PASSWORD = "Agora-demo-2026"
# Shared by every demo staff account, so a newcomer sets up one authenticator app.
TOTP_SECRET = "AGORADEMOTOTPSECRETVALBOURGXYZ23"
RECOVERY_SEED = (
    "a9c1e0f3d2b4a6c8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3"
)


@dataclass
class DemoReport:
    """What load_demo prints: where to go and how to log in."""

    sites: list[tuple[str, str]] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    recovery_codes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoCommune:
    slug: str
    name: str
    hostname: str
    default: bool
    centre: tuple[str, str]  # latitude, longitude
    bounds: list[float]  # west, south, east, north
    population: int
    districts: list[tuple[str, str]]  # (code, name), laid out as a grid
    users: list[tuple[str, str, Role | None]]  # (e-mail, pseudonym, role)


VALBOURG = DemoCommune(
    slug="valbourg",
    name="Valbourg",
    hostname="localhost",
    default=True,
    centre=("46.800000", "1.700000"),
    bounds=[1.64, 46.76, 1.76, 46.84],
    population=18400,
    districts=[
        ("centre-ville", "Centre-ville"),
        ("les-tilleuls", "Les Tilleuls"),
        ("la-gare", "La Gare"),
        ("le-moulin", "Le Moulin"),
    ],
    users=[
        ("admin@valbourg.test", "Admin Valbourg", Role.ADMIN),
        ("moderation@valbourg.test", "Équipe modération", Role.MODERATOR),
        ("services@valbourg.test", "Services techniques", Role.REVIEWER),
        ("accueil@valbourg.test", "Accueil mairie", Role.COUNTER_AGENT),
        ("elue@valbourg.test", "Adjointe à la participation", Role.ELECTED),
        ("camille@valbourg.test", "Camille des Tilleuls", None),
    ],
)
SAINT_AUBIN = DemoCommune(
    slug="saint-aubin",
    name="Saint-Aubin-les-Prés",
    hostname="saint-aubin.localhost",
    default=False,
    centre=("46.900000", "1.850000"),
    bounds=[1.82, 46.88, 1.88, 46.92],
    population=2150,
    districts=[("bourg", "Le Bourg"), ("hameaux", "Les Hameaux")],
    users=[
        ("admin@saint-aubin.test", "Mairie de Saint-Aubin", Role.ADMIN),
        ("accueil@saint-aubin.test", "Accueil Saint-Aubin", Role.COUNTER_AGENT),
    ],
)
COMMUNES = [VALBOURG, SAINT_AUBIN]
OPERATOR = ("operateur@agora.test", "Opérateur de la plateforme")

ROLE_LABELS = {
    Role.ADMIN: "administrateur",
    Role.MODERATOR: "modération",
    Role.REVIEWER: "instructeur (service)",
    Role.COUNTER_AGENT: "agent d'accueil",
    Role.ELECTED: "élue",
    None: "habitante",
}


def grid_outlines(bounds: list[float], count: int) -> list[dict]:
    """Split the bounds into `count` side-by-side rectangles (GeoJSON polygons)."""
    west, south, east, north = bounds
    columns = 2 if count > 2 else count
    rows = (count + columns - 1) // columns
    width, height = (east - west) / columns, (north - south) / rows
    outlines = []
    for index in range(count):
        row, column = divmod(index, columns)
        x0, y0 = round(west + column * width, 6), round(north - (row + 1) * height, 6)
        x1, y1 = round(x0 + width, 6), round(y0 + height, 6)
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        outlines.append({"type": "Polygon", "coordinates": [ring]})
    return outlines


def _account(email: str, pseudonym: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(username=email, email=email, pseudonym=pseudonym)
        user.is_superuser = user.is_staff = superuser
        user.set_password(PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _mfa(user: User, report: DemoReport) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
        TOTP.activate(user, TOTP_SECRET)
    codes = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    if codes is None:
        codes = Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": RECOVERY_SEED, "used_mask": 0},
        )
    report.recovery_codes[user.email] = RecoveryCodes(codes).get_unused_codes()


def load_organisations(report: DemoReport) -> None:
    for commune in COMMUNES:
        organisation = Organisation.objects.filter(slug=commune.slug).first()
        if organisation is None:
            organisation = organisation_create(
                name=commune.name,
                slug=commune.slug,
                hostname=commune.hostname,
                port=8000,
                is_default_site=commune.default,
                kind=Organisation.Kind.COMMUNE,
                contact_email=f"participation@{commune.slug}.test",
                address=f"Hôtel de ville, place de la Mairie, {commune.name}",
                dpo_name="Délégué à la protection des données",
                dpo_email=f"dpo@{commune.slug}.test",
                population=commune.population,
                map_latitude=commune.centre[0],
                map_longitude=commune.centre[1],
                map_zoom=14,
                map_bounds=commune.bounds,
            )
        outlines = grid_outlines(commune.bounds, len(commune.districts))
        for (code, name), outline in zip(commune.districts, outlines, strict=True):
            District.objects.get_or_create(
                organisation=organisation,
                code=code,
                defaults={"name": name, "outline": outline},
            )
        load_pages(organisation)
        # The default site answers any host: show the address `make run` serves.
        host = "127.0.0.1" if commune.default else commune.hostname
        report.sites.append((commune.name, f"http://{host}:8000/"))


def load_users(report: DemoReport) -> None:
    operator = _account(*OPERATOR, superuser=True)
    _mfa(operator, report)
    report.logins.append((OPERATOR[0], "opérateur de la plateforme", "toutes"))
    for commune in COMMUNES:
        organisation = Organisation.objects.get(slug=commune.slug)
        for email, pseudonym, role in commune.users:
            user = _account(email, pseudonym)
            if role is not None:
                if not user.memberships.filter(organisation=organisation).exists():
                    membership_set(
                        organisation=organisation, user=user, role=role, actor=None
                    )
                _mfa(user, report)
            report.logins.append((email, ROLE_LABELS[role], commune.name))


LOADERS: list[Callable[[DemoReport], None]] = [
    load_organisations,
    load_users,
    load_participation,
    load_review,
]


@transaction.atomic
def load(report: DemoReport | None = None) -> DemoReport:
    """Run every demo loader (idempotent) and return what to print."""
    report = report or DemoReport()
    for loader in LOADERS:
        loader(report)
    return report
