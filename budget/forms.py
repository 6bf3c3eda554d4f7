"""Forms of the review, project and decision pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budget import lifecycle
from budget.models import Department, Envelope, Project, ProjectPhoto
from budget.services.decisions import NOTE_MAX_LENGTH, ProjectDecision
from budget.services.projects import ProjectInput
from budget.services.reviews import MAX_DURATION_WEEKS, reviewers_of
from carte.formats import format_euros
from carte.forms.money import EurosField
from carte.maps import coordinate_field
from carte.models import District
from participation.services.comments import COMMENT_MAX_LENGTH
from participation.services.photos import MAX_PHOTOS, PhotoInput

PHOTO_SLOTS = range(1, MAX_PHOTOS + 1)


class CycleChoiceForm(forms.Form):
    """The cycle a page shows (a GET form)."""

    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=None, empty_label=None, required=False
    )

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles

    def chosen(self):
        if self.is_valid() and self.cleaned_data.get("cycle"):
            return self.cleaned_data["cycle"]
        return self.fields["cycle"].queryset.first()


class DepartmentForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the service"),
        max_length=120,
        help_text=_("For example “Voirie” or “Espaces verts”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Team members with the city service (reviewer) role."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = reviewers_of(organisation)
        self.fields["members"].label_from_instance = lambda user: user.pseudonym


class ReviewAssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("City service"),
        queryset=None,
        empty_label=_("Choose a service"),
        error_messages={"required": _("Choose the service that studies it.")},
    )
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Anyone in the service"),
        help_text=_("A member of the chosen service."),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        help_text=_("The day the study should be finished, for example 30/06/2027."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_organisation(
            organisation
        )
        self.fields["reviewer"].queryset = reviewers_of(organisation)
        self.fields["reviewer"].label_from_instance = lambda user: user.pseudonym


class ReviewForm(forms.Form):
    FEASIBLE = "yes"
    NOT_FEASIBLE = "no"

    feasible = forms.ChoiceField(
        label=_("Is the proposal feasible?"),
        choices=[(FEASIBLE, _("Yes, it is feasible")), (NOT_FEASIBLE, _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the proposal is feasible.")},
    )
    cost = EurosField(
        label=_("Cost estimate in euros"),
        required=False,
        help_text=_("Required if feasible, for example 12 500. Shown publicly."),
    )
    duration_weeks = forms.IntegerField(
        label=_("Duration in weeks"),
        required=False,
        min_value=1,
        max_value=MAX_DURATION_WEEKS,
        help_text=_("Required if feasible: how long the work would take."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen only by the commune's team: never published."),
    )
    public_explanation = forms.CharField(
        label=_("Public explanation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Published on the proposal's page: why it is feasible or not, in plain "
            "words."
        ),
        error_messages={
            "required": _("Explain the decision in a few sentences: it is published.")
        },
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("feasible") == self.FEASIBLE:
            if cleaned.get("cost") is None and "cost" not in self.errors:
                self.add_error(
                    "cost", _("Give the cost estimate in euros, for example 1 500.")
                )
            if (
                cleaned.get("duration_weeks") is None
                and "duration_weeks" not in self.errors
            ):
                self.add_error("duration_weeks", _("Give the duration in weeks."))
        return cleaned


class ProjectForm(forms.Form):
    """A project's fields; on creation, the feasible proposals it groups."""

    proposals = forms.ModelMultipleChoiceField(
        label=_("Feasible proposals grouped in this project"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one feasible proposal.")},
    )
    title = forms.CharField(
        label=_("Title of the project"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What will be done, where, for whom. Shown to voters."),
    )
    cost = EurosField(
        label=_("Cost in euros"),
        required=False,
        help_text=_("Empty: the sum of the studies' estimates. For example 25 000."),
    )
    envelope = forms.ModelChoiceField(
        label=_("Envelope"), queryset=None, required=False, empty_label=_("None")
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=None,
        required=False,
        empty_label=_("The whole commune"),
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=255,
        required=False,
        help_text=_("For example “12 rue de la Gare” or “Tilleuls park”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    latitude = coordinate_field(
        label=_("Latitude (optional)"),
        limit=90,
        help_text=_("In degrees, for example 46.80."),
    )
    longitude = coordinate_field(
        label=_("Longitude (optional)"),
        limit=180,
        help_text=_("In degrees, for example 1.70."),
    )
    remove_photos = forms.ModelMultipleChoiceField(
        label=_("Photos to remove"),
        queryset=ProjectPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args, organisation, cycle, groupable=None, project=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if groupable is None:
            del self.fields["proposals"]
        else:
            self.fields["proposals"].queryset = groupable
            self.fields["proposals"].label_from_instance = _proposal_label
        self.fields["envelope"].queryset = Envelope.objects.for_organisation(
            organisation
        ).filter(cycle=cycle)
        self.fields["district"].queryset = District.objects.for_organisation(
            organisation
        ).only("name")
        for slot in PHOTO_SLOTS:
            self.fields[f"photo_{slot}"] = forms.FileField(
                label=_("Photo %(number)s (optional)") % {"number": slot},
                required=False,
                help_text=_("JPEG, PNG or WebP, 5 MB at most."),
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,image/webp"}
                ),
            )
            self.fields[f"alt_{slot}"] = forms.CharField(
                label=_("What photo %(number)s shows") % {"number": slot},
                required=False,
                max_length=200,
                help_text=_("For people who cannot see it."),
            )
        if project is not None and project.photos.exists():
            self.fields["remove_photos"].queryset = project.photos.all()
            self.fields["remove_photos"].label_from_instance = lambda p: p.alt_text
        else:
            del self.fields["remove_photos"]

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error(
                "longitude" if cleaned.get("latitude") is not None else "latitude",
                _("Give both the latitude and the longitude, or neither."),
            )
        for slot in PHOTO_SLOTS:
            if (
                cleaned.get(f"photo_{slot}")
                and not cleaned.get(f"alt_{slot}", "").strip()
            ):
                self.add_error(
                    f"alt_{slot}",
                    _("Describe what the photo shows, for people who cannot see it."),
                )
        return cleaned

    def to_input(self) -> ProjectInput:
        data = self.cleaned_data
        return ProjectInput(
            title=data["title"],
            description=data["description"],
            cost_cents=data.get("cost"),
            envelope_id=data["envelope"].pk if data.get("envelope") else None,
            district_id=data["district"].pk if data.get("district") else None,
            address=data.get("address", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )

    def photos(self) -> list[PhotoInput]:
        return [
            PhotoInput(
                self.cleaned_data[f"photo_{slot}"], self.cleaned_data[f"alt_{slot}"]
            )
            for slot in PHOTO_SLOTS
            if self.cleaned_data.get(f"photo_{slot}")
        ]

    def remove_photo_ids(self) -> list[int]:
        return [photo.pk for photo in self.cleaned_data.get("remove_photos") or []]

    @staticmethod
    def initial_from(project: Project) -> dict:
        return {
            "title": project.title,
            "description": project.description,
            "cost": project.cost_cents,
            "envelope": project.envelope_id,
            "district": project.district_id,
            "address": project.address,
            "latitude": project.latitude,
            "longitude": project.longitude,
        }


def _proposal_label(proposal) -> str:
    review = getattr(proposal, "review", None)
    if review is not None and review.cost_cents is not None:
        return f"{proposal.title} ({format_euros(review.cost_cents)})"
    return proposal.title


class ProjectCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment on the project"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown with your pseudonym. Stay courteous; do not give anyone's "
            "personal details. 3,000 characters at most."
        ),
        error_messages={"required": _("Write your comment first.")},
    )


class BallotListForm(forms.Form):
    """One decision per project in preparation, a reason when set aside, a note."""

    CHOICES = [
        (lifecycle.Action.PUT_ON_BALLOT.value, _("Put it to the vote")),
        (lifecycle.Action.SET_ASIDE.value, _("Set it aside")),
    ]

    note = forms.CharField(
        label=_("Public note on the decision (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the date of the council's meeting."),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects
        for project in projects:
            self.fields[f"decision_{project.pk}"] = forms.ChoiceField(
                label=_("Decision on “%(title)s”") % {"title": project.title},
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose: put to the vote or set aside.")},
            )
            self.fields[f"reason_{project.pk}"] = forms.CharField(
                label=_("Public reason if set aside"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required to set the project aside; it is published."),
            )
        self.order_fields([*(f for f in self.fields if f != "note"), "note"])

    def rows(self):
        """(project, decision field, reason field) for the template."""
        return [
            (project, self[f"decision_{project.pk}"], self[f"reason_{project.pk}"])
            for project in self.projects
        ]

    def clean(self):
        cleaned = super().clean()
        for project in self.projects:
            if (
                cleaned.get(f"decision_{project.pk}") == lifecycle.Action.SET_ASIDE
                and not (cleaned.get(f"reason_{project.pk}") or "").strip()
            ):
                self.add_error(
                    f"reason_{project.pk}",
                    _("Explain why this project is set aside: the reason is public."),
                )
        return cleaned

    def decisions(self) -> dict[int, ProjectDecision]:
        return {
            project.pk: ProjectDecision(
                action=lifecycle.Action(self.cleaned_data[f"decision_{project.pk}"]),
                reason=self.cleaned_data.get(f"reason_{project.pk}", ""),
            )
            for project in self.projects
        }
