"""Cycles and phases, proposals, their history, photos, supports, comments,
reports, follows and notifications. Every table is scoped to an organisation."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carte.models import ScopedQuerySet, latitude_field, longitude_field, point_complete
from participation import phases, workflow


class PhaseChoices(models.TextChoices):
    SUBMISSION = phases.Phase.SUBMISSION, _("Ideas")
    REVIEW = phases.Phase.REVIEW, _("Review")
    VOTE = phases.Phase.VOTE, _("Vote")
    RESULTS = phases.Phase.RESULTS, _("Results")
    FOLLOW_UP = phases.Phase.FOLLOW_UP, _("Follow-up")


class StatusChoices(models.TextChoices):
    DRAFT = workflow.Status.DRAFT, _("Draft")
    SUBMITTED = workflow.Status.SUBMITTED, _("Submitted")
    CHANGES_REQUESTED = workflow.Status.CHANGES_REQUESTED, _("Changes requested")
    PUBLISHED = workflow.Status.PUBLISHED, _("Published")
    REJECTED = workflow.Status.REJECTED, _("Rejected")
    MERGED = workflow.Status.MERGED, _("Merged into another proposal")
    FORWARDED = workflow.Status.FORWARDED, _("Forwarded to the competent body")
    WITHDRAWN = workflow.Status.WITHDRAWN, _("Withdrawn by its author")
    UNDER_STUDY = workflow.Status.UNDER_STUDY, _("Under study")
    FEASIBLE = workflow.Status.FEASIBLE, _("Feasible")
    NOT_FEASIBLE = workflow.Status.NOT_FEASIBLE, _("Not feasible")
    GROUPED = workflow.Status.GROUPED, _("Part of a project")


class ActionChoices(models.TextChoices):
    SUBMIT = workflow.Action.SUBMIT, _("Submit")
    PUBLISH = workflow.Action.PUBLISH, _("Publish")
    REQUEST_CHANGES = workflow.Action.REQUEST_CHANGES, _("Ask for changes")
    REJECT = workflow.Action.REJECT, _("Reject")
    MERGE = workflow.Action.MERGE, _("Merge into another proposal")
    FORWARD = workflow.Action.FORWARD, _("Forward to the competent body")
    WITHDRAW = workflow.Action.WITHDRAW, _("Withdraw")
    START_STUDY = workflow.Action.START_STUDY, _("Send for study")
    MARK_FEASIBLE = workflow.Action.MARK_FEASIBLE, _("Declare feasible")
    MARK_NOT_FEASIBLE = workflow.Action.MARK_NOT_FEASIBLE, _("Declare not feasible")
    GROUP = workflow.Action.GROUP, _("Group into a project")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")


class CycleQuerySet(ScopedQuerySet):
    pass


class Cycle(models.Model):
    """A participation cycle ("Budget participatif 2027") or a permanent idea box."""

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("short name"), max_length=80)
    presentation = models.TextField(
        _("presentation"), blank=True, help_text=_("Plain words: who, what, when.")
    )
    is_permanent = models.BooleanField(
        _("permanent idea box"),
        default=False,
        help_text=_("No end date; its only phase is ideas."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation cycle")
        verbose_name_plural = _("participation cycles")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="cycle_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def periods(self) -> list[phases.Period]:
        """The dated phases, in order (uses prefetched `phase_periods` if present)."""
        rows = sorted(
            self.phase_periods.all(), key=lambda p: phases.ORDER.index(p.phase)
        )
        return [
            phases.Period(phases.Phase(r.phase), r.starts_at, r.ends_at) for r in rows
        ]

    def phase_at(self, now=None) -> phases.Phase | None:
        return phases.current_phase(self.periods(), now or timezone.now())


class CyclePhase(models.Model):
    """One dated phase of a cycle: [starts_at, ends_at)."""

    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        on_delete=models.CASCADE,
        related_name="phase_periods",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=PhaseChoices.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("Exclusive; empty: no end.")
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["cycle", "starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "phase"], name="one_period_per_phase"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} – {self.get_phase_display()}"


class Theme(models.Model):
    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), max_length=80)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="theme_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProposalQuerySet(ScopedQuerySet):
    def published(self):
        """What the public sees: public statuses, not hidden by moderation."""
        return self.filter(
            status__in=list(workflow.PUBLIC_STATUSES), hidden_at__isnull=True
        )

    def sent(self):
        """What staff may read: everything but unsent drafts, their author's alone."""
        return self.exclude(status=workflow.Status.DRAFT)


class Proposal(models.Model):
    """A citizen's idea, placed at a point, an address, a district or everywhere."""

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text=_("Empty for a resident without an account, entered at the counter."),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000)
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL
    )
    district = models.ForeignKey(
        "carte.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty: the whole commune."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)
    estimated_cost_cents = models.BigIntegerField(
        _("estimated cost (cents)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=StatusChoices.choices,
        default=workflow.Status.DRAFT,
        db_index=True,
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by (counter agent)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resident_name = models.CharField(
        _("resident's name (private)"),
        max_length=150,
        blank=True,
        help_text=_("For a proposal handed in at the counter; never shown publicly."),
    )
    resident_contact = models.CharField(
        _("resident's contact (private)"), max_length=255, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    forwarded_to = models.CharField(
        _("forwarded to"),
        max_length=255,
        blank=True,
        help_text=_("The competent body: another commune, the département..."),
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=255, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the content was hidden automatically by reports."),
    )
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "-published_at"]),
            models.Index(fields=["organisation", "status", "-support_count"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_cost_cents__gte=0)
                | models.Q(estimated_cost_cents__isnull=True),
                name="proposal_cost_not_negative",
            ),
            point_complete("proposal_point_complete"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:proposal-detail", args=[self.pk])

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_public(self) -> bool:
        """Readable by everyone: a public status, not hidden by moderation."""
        return self.status in workflow.PUBLIC_STATUSES and self.hidden_at is None

    @property
    def is_active(self) -> bool:
        """Public and still open to supports, comments and follows."""
        return self.is_public and self.status in workflow.ACTIVE_STATUSES


class ModerationEvent(models.Model):
    """One status change of a proposal: its public history and the audit trail.

    The public history shows the staff member's role, never their name.
    """

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=ActionChoices.choices)
    from_status = models.CharField(
        _("from"), max_length=30, blank=True, choices=StatusChoices.choices
    )
    to_status = models.CharField(_("to"), max_length=30, choices=StatusChoices.choices)
    reason_label = models.CharField(
        _("reason"),
        max_length=120,
        blank=True,
        help_text=_("The standard reason chosen from the commune's list."),
    )
    reason = models.TextField(_("public explanation"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


def photo_path(instance, filename: str) -> str:
    # Organisation in the path; the name is random (no user-given name kept).
    return f"{instance.proposal.organisation_id}/proposals/{filename}"


class Photo(models.Model):
    """What a re-encoded photo of an idea or a project says: its description
    (RGAA text alternative) and its place among the others."""

    alt_text = models.CharField(
        _("description of the photo"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.alt_text


class ProposalPhoto(Photo):
    """A re-encoded photo (metadata stripped); reached through its proposal."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["proposal", "position", "pk"]


class Support(models.Model):
    """One account supports a proposal once; it can be withdrawn."""

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="one_support_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class Comment(models.Model):
    """A comment or a reply (one level). Deleting blanks the text, keeps the thread.

    A hidden comment shows everyone its `hidden_category`; only its author and
    the moderators read the moderator's words (`hidden_reason`).
    """

    class HideCategory(models.TextChoices):
        OFF_TOPIC = "off_topic", _("Off topic")
        INSULTING = "insulting", _("Insulting or hateful")
        PERSONAL_DATA = "personal_data", _("Reveals personal data")
        ADVERTISING = "advertising", _("Advertising or spam")
        OTHER = "other", _("Other reason")
        # Set by the reports themselves, never chosen by a moderator.
        REPORTED = "reported", _("Reported several times, awaiting the moderators")

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    body = models.TextField(_("comment"), max_length=3000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_category = models.CharField(
        _("category of the reason for hiding"),
        max_length=20,
        blank=True,
        choices=HideCategory.choices,
        help_text=_("Shown publicly in place of the comment."),
    )
    hidden_reason = models.CharField(
        _("reason for hiding"),
        max_length=255,
        blank=True,
        help_text=_("The moderator's words: only the author and the moderators."),
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


class Report(models.Model):
    """A "signalement" of a proposal or a comment by an account."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("Insulting or hateful")
        PERSONAL_DATA = "personal_data", _("Reveals personal data")
        SPAM = "spam", _("Advertising or spam")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("handled"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposal__isnull=False, comment__isnull=True)
                | models.Q(proposal__isnull=True, comment__isnull=False),
                name="report_one_target",
            ),
            models.UniqueConstraint(
                fields=["proposal", "reporter"],
                condition=models.Q(comment__isnull=True),
                name="one_report_per_proposal_and_account",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=models.Q(comment__isnull=False),
                name="one_report_per_comment_and_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"


class Follow(models.Model):
    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.proposal_id}"


class StandardReply(models.Model):
    """A reason or reply moderators pick, written once by the commune.

    The replies for "reject" form the commune's list of rejection reasons.
    """

    class Use(models.TextChoices):
        REJECT = workflow.Action.REJECT, _("Rejection reason")
        REQUEST_CHANGES = workflow.Action.REQUEST_CHANGES, _("Request for changes")
        FORWARD = workflow.Action.FORWARD, _("Forwarding")
        NOT_FEASIBLE = workflow.Action.MARK_NOT_FEASIBLE, _("Not feasible")
        HIDE = "hide", _("Hiding a content")

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    use = models.CharField(_("used for"), max_length=30, choices=Use.choices)
    title = models.CharField(_("short reason"), max_length=120)
    body = models.TextField(
        _("text"),
        max_length=2000,
        help_text=_("Proposed as the public explanation; it can be edited each time."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard reply")
        verbose_name_plural = _("standard replies")
        ordering = ["use", "position", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "use", "title"],
                name="standard_reply_unique_title",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """An on-site notification; e-mailed at once or in a digest per preference."""

    class Kind(models.TextChoices):
        STATUS_CHANGED = "status_changed", _("Status changed")
        MERGED = "merged", _("Merged into another proposal")
        REPLY = "reply", _("Reply to your comment")
        COMMENT = "comment", _("New comment")

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.proposal_id}"


class NotificationPreference(models.Model):
    """How an account wants its e-mails (one row per account, all communes)."""

    class EmailMode(models.TextChoices):
        IMMEDIATE = "immediate", _("One e-mail per notification")
        DIGEST = "digest", _("A daily digest")
        NONE = "none", _("No e-mail (on-site only)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_mode = models.CharField(
        _("e-mails"),
        max_length=10,
        choices=EmailMode.choices,
        default=EmailMode.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return self.get_email_mode_display()


class CounterClaim(models.Model):
    """A proposal keyed at the counter waits for its resident's consent.

    The agent typed an e-mail; when an account uses it, that account receives a
    signed, expiring link (participation.services.claims) and becomes the
    author only once it confirms, logged in. The agent never learns whether the
    address matched.
    """

    organisation = models.ForeignKey(
        "carte.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="counter_claims",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account asked"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("counter consent request")
        verbose_name_plural = _("counter consent requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.user_id}"
