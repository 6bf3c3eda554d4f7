"""Base layer: the tenant (Organisation), accounts, staff roles, districts, audit."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carte import geometry
from carte.colours import HEX_COLOUR, contrast_ratio
from carte.roles import Role


def latitude_field(verbose_name=None, **options) -> models.DecimalField:
    """A latitude in decimal degrees, to the micro-degree (about 10 cm)."""
    return models.DecimalField(
        verbose_name or _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        **options,
    )


def longitude_field(verbose_name=None, **options) -> models.DecimalField:
    """A longitude in decimal degrees, to the micro-degree."""
    return models.DecimalField(
        verbose_name or _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        **options,
    )


def point_complete(name: str) -> models.CheckConstraint:
    """Both `latitude` and `longitude` are given, or neither."""
    return models.CheckConstraint(
        condition=models.Q(latitude__isnull=True, longitude__isnull=True)
        | models.Q(latitude__isnull=False, longitude__isnull=False),
        name=name,
    )


class RoleChoices(models.TextChoices):
    MODERATOR = Role.MODERATOR, _("Moderator")
    REVIEWER = Role.REVIEWER, _("City service (reviewer)")
    COUNTER_AGENT = Role.COUNTER_AGENT, _("Counter agent")
    ELECTED = Role.ELECTED, _("Elected official")
    ADMIN = Role.ADMIN, _("Administrator")


class ScopedQuerySet(models.QuerySet):
    """The only `for_organisation`: every domain queryset derives from it, and
    every query of a commune's rows starts here (STYLE.md section 2)."""

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(memberships__user=user)


class Organisation(models.Model):
    """A commune or a grouping of communes; owns one Wagtail site (the tenant)."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        INTERCOMMUNALITY = "intercommunality", _("Intercommunality")
        SYNDICATE = "syndicate", _("Syndicate or public interest group")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    insee_code = models.CharField(
        _("INSEE or SIREN code"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^(\d[0-9AB]\d{3}|\d{9})$")],
        help_text=_("Five characters for a commune (2A004), nine digits (SIREN)."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNE
    )
    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="organisation",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#1f4e79",
        validators=[RegexValidator(HEX_COLOUR.pattern)],
        help_text=_("Hexadecimal (#1f4e79); white text on it must stay readable."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    dpo_name = models.CharField(
        _("data protection officer"), max_length=150, blank=True
    )
    dpo_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("For turnout figures.")
    )
    map_latitude = latitude_field(
        _("map centre latitude"), default=Decimal("46.600000")
    )
    map_longitude = longitude_field(
        _("map centre longitude"), default=Decimal("2.400000")
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("map zoom"), default=13, validators=[MaxValueValidator(20)]
    )
    map_bounds = models.JSONField(
        _("map bounds"),
        default=list,
        blank=True,
        help_text=_("[west, south, east, north] in degrees; empty: no limit."),
    )
    tile_url = models.CharField(
        _("tile server"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty to use the installation's tile server."),
    )
    tile_attribution = models.CharField(
        _("tile attribution"), max_length=300, blank=True
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if (
            HEX_COLOUR.match(self.primary_colour or "")
            and contrast_ratio(self.primary_colour, "#ffffff") < 4.5
        ):
            errors["primary_colour"] = _(
                "White text on this colour is not readable enough (contrast under "
                "4.5:1). Choose a darker colour."
            )
        if self.map_bounds:
            if not self._bounds_are_valid(self.map_bounds):
                errors["map_bounds"] = _(
                    "Give four numbers [west, south, east, north], for example "
                    "[2.30, 48.80, 2.40, 48.90]."
                )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _bounds_are_valid(bounds) -> bool:
        if not isinstance(bounds, list) or len(bounds) != 4:
            return False
        if not all(isinstance(v, int | float) for v in bounds):
            return False
        west, south, east, north = bounds
        return -180 <= west < east <= 180 and -90 <= south < north <= 90

    @property
    def bbox(self) -> geometry.BBox | None:
        if self.map_bounds and self._bounds_are_valid(self.map_bounds):
            return geometry.BBox(*self.map_bounds)
        return None

    @property
    def effective_tile_url(self) -> str:
        return self.tile_url or settings.MAP_TILE_URL

    @property
    def effective_tile_attribution(self) -> str:
        return self.tile_attribution or settings.MAP_TILE_ATTRIBUTION


class User(AbstractUser):
    """One account for every commune of the installation.

    Others only ever see the pseudonym, never the e-mail or a real name.
    """

    REQUIRED_FIELDS = ["email", "pseudonym"]

    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=40,
        unique=True,
        help_text=_("The only name other people see. Not your e-mail."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.pseudonym or _("Anonymous")

    @property
    def display_name(self) -> str:
        return self.pseudonym


class Membership(models.Model):
    """A staff role held by an account in one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleChoices.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["organisation", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_role_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"


class AccountBlockQuerySet(ScopedQuerySet):
    def in_force(self):
        return self.filter(lifted_at__isnull=True)


class AccountBlock(models.Model):
    """An account barred from contributing in one commune, with the reason kept.

    A blocked account can still read, download and erase its data; it cannot
    propose, comment, support or report until a moderator lifts the block.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="blocks",
    )
    reason = models.TextField(_("reason"), max_length=2000)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AccountBlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("account block")
        verbose_name_plural = _("account blocks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_block_in_force_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class Residence(models.Model):
    """The district a citizen says they live in, optional, per organisation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="residences",
    )
    district = models.ForeignKey(
        "carte.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("district of residence")
        verbose_name_plural = _("districts of residence")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_residence_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.district or '-'}"


class District(models.Model):
    """A quartier (or a member commune of a grouping), with its GeoJSON outline."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="districts",
    )
    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40)
    outline = models.JSONField(
        _("outline (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("A GeoJSON Polygon or MultiPolygon, longitude then latitude."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["organisation", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="district_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    GEOMETRY_MESSAGES = {
        "not_json": _("This is not valid JSON."),
        "not_geojson": _("This is not a GeoJSON geometry."),
        "one_feature_expected": _("Give exactly one outline."),
        "not_a_polygon": _("The outline must be a Polygon or a MultiPolygon."),
        "no_coordinates": _("The outline has no coordinates."),
        "ring_too_short": _("Each ring needs at least four points."),
        "bad_position": _("Each point must be [longitude, latitude]."),
        "out_of_range": _("A point is outside valid longitudes and latitudes."),
        "ring_not_closed": _("The outline must end on its first point."),
        "empty": _("The outline is empty."),
        "invalid": _("The outline crosses itself or is otherwise invalid."),
    }

    def clean(self) -> None:
        if not self.outline:
            return
        try:
            shape = geometry.parse_polygon(self.outline)
        except geometry.GeometryError as error:
            message = self.GEOMETRY_MESSAGES.get(error.code, _("Invalid outline."))
            raise ValidationError({"outline": message}, code=error.code) from error
        bbox = self.organisation.bbox if self.organisation_id else None
        if bbox and not geometry.within_bbox(shape, bbox):
            raise ValidationError(
                {"outline": _("The outline goes beyond the commune's map bounds.")},
                code="outside_bounds",
            )


class AuditEvent(models.Model):
    """A state change that matters, outside the domains with their own history."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("target"), max_length=200)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.target}"
