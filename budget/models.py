"""Review of proposals by city services, envelopes, and projects put to the vote.

Every table is scoped to an organisation, or reached through a scoped parent.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budget import lifecycle
from carte.models import ScopedQuerySet, latitude_field, longitude_field, point_complete
from participation.models import Photo


def _not_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0})
        | models.Q(**{f"{field}__isnull": True}),
        name=name,
    )


class Department(models.Model):
    """A city service that studies proposals (voirie, espaces verts...)."""

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers"),
        blank=True,
        related_name="departments",
        help_text=_("Staff members with the reviewer role who study for this service."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("city service")
        verbose_name_plural = _("city services")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="department_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    """The study of one proposal by a city service ("instruction").

    Internal notes stay in the back office; the public explanation, cost and
    duration are published with the decision (feasible or not).
    """

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    proposal = models.OneToOneField(
        "participation.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="review",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("city service"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    feasible = models.BooleanField(_("feasible"), null=True, blank=True)
    cost_cents = models.BigIntegerField(
        _("cost estimate (cents)"), null=True, blank=True
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(520)],
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        max_length=10000,
        help_text=_("Seen only by the commune's staff."),
    )
    public_explanation = models.TextField(
        _("public explanation"),
        blank=True,
        max_length=5000,
        help_text=_("Published on the proposal's page with the decision."),
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["due_on", "assigned_at", "pk"]
        constraints = [_not_negative("cost_cents", "review_cost_not_negative")]

    def __str__(self) -> str:
        return f"{self.proposal_id} – {self.department}"


class Envelope(models.Model):
    """A share of a cycle's budget: the whole commune, or one district."""

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    cycle = models.ForeignKey(
        "participation.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="envelopes",
    )
    district = models.ForeignKey(
        "carte.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the envelope for the whole commune."),
    )
    name = models.CharField(_("name"), max_length=120)
    amount_cents = models.BigIntegerField(_("amount (cents)"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("envelope")
        verbose_name_plural = _("envelopes")
        ordering = ["cycle", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0),
                name="envelope_amount_not_negative",
            ),
            models.UniqueConstraint(
                fields=["cycle", "name"], name="envelope_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StatusChoices(models.TextChoices):
    IN_PREPARATION = lifecycle.Status.IN_PREPARATION, _("In preparation")
    ON_BALLOT = lifecycle.Status.ON_BALLOT, _("Put to the vote")
    SET_ASIDE = lifecycle.Status.SET_ASIDE, _("Not put to the vote")


class Project(models.Model):
    """What citizens vote on: one or more feasible proposals, costed by the city."""

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    cycle = models.ForeignKey(
        "participation.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    envelope = models.ForeignKey(
        Envelope,
        verbose_name=_("envelope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    district = models.ForeignKey(
        "carte.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty: the whole commune."),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=10000)
    cost_cents = models.BigIntegerField(_("cost (cents)"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)
    proposals = models.ManyToManyField(
        "participation.Proposal",
        verbose_name=_("grouped proposals"),
        through="ProjectProposal",
        related_name="projects",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StatusChoices.choices,
        default=lifecycle.Status.IN_PREPARATION,
        db_index=True,
    )
    decision_reason = models.TextField(
        _("public reason of the decision"), blank=True, max_length=2000
    )
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost_cents__gte=0), name="project_cost_not_negative"
            ),
            point_complete("project_point_complete"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budget:project-detail", args=[self.pk])

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ProjectProposal(models.Model):
    """A proposal grouped into a project (a proposal joins one project at most)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.OneToOneField(
        "participation.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="project_link",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("grouped proposal")
        verbose_name_plural = _("grouped proposals")
        ordering = ["project", "added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.proposal_id}"


def project_photo_path(instance, filename: str) -> str:
    return f"{instance.project.organisation_id}/projects/{filename}"


class ProjectPhoto(Photo):
    """A re-encoded photo of a project (metadata stripped)."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(_("photo"), upload_to=project_photo_path)

    class Meta:
        verbose_name = _("project photo")
        verbose_name_plural = _("project photos")
        ordering = ["project", "position", "pk"]


class ProjectComment(models.Model):
    """A comment on a project before the vote: the co-construction step, public."""

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="project_comments",
    )
    body = models.TextField(_("comment"), max_length=3000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project comment")
        verbose_name_plural = _("project comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


class BallotListDecision(models.Model):
    """The elected officials' decision on which projects go to the vote.

    A recorded decision: who (with their role), when, and the list as it was
    (ids, titles and costs), whatever happens to the projects afterwards.
    """

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    cycle = models.ForeignKey(
        "participation.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="ballot_decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_role = models.CharField(_("role"), max_length=20)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    note = models.TextField(_("public note"), blank=True, max_length=5000)
    on_ballot = models.JSONField(_("projects put to the vote"), default=list)
    set_aside = models.JSONField(_("projects set aside"), default=list)
    reopened_at = models.DateTimeField(
        _("reopened"),
        null=True,
        blank=True,
        help_text=_("Set when the list was reopened before the vote."),
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision on the list put to the vote")
        verbose_name_plural = _("decisions on the list put to the vote")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle} – {self.decided_at:%Y-%m-%d}"
