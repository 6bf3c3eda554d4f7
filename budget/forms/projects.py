"""Forms of the project pages: the cycle shown, a project, a comment on it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import Envelope, Project, ProjectPhoto
from budget.services.projects import ProjectInput
from carte.formats import format_euros
from carte.forms.ids import IdChoiceField, IdMultipleChoiceField
from carte.forms.money import EurosField
from carte.maps import PointForm
from carte.models import District
from participation.services.comments import COMMENT_MAX_LENGTH
from participation.services.photos import MAX_PHOTOS, PhotoInput

PHOTO_SLOTS = range(1, MAX_PHOTOS + 1)


class CycleChoiceForm(forms.Form):
    """The cycle a page shows (a GET form)."""

    cycle = IdChoiceField(
        label=_("Cycle"), queryset=None, empty_label=None, required=False
    )

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles

    def chosen(self):
        if self.is_valid() and self.cleaned_data.get("cycle"):
            return self.cleaned_data["cycle"]
        return self.fields["cycle"].queryset.first()


class ProjectForm(PointForm):
    """A project's fields; on creation, the feasible proposals it groups."""

    field_order = [
        "proposals",
        "title",
        "description",
        "cost",
        "envelope",
        "district",
        "address",
        "latitude",
        "longitude",
        "remove_photos",
    ]
    # The point picker's fields, said for a project: (label, help text).
    POINT_TEXTS = {
        "address": (
            _("Address or place"),
            _("For example “12 rue de la Gare” or “Tilleuls park”."),
        ),
        "latitude": (_("Latitude (optional)"), _("In degrees, for example 46.80.")),
        "longitude": (_("Longitude (optional)"), _("In degrees, for example 1.70.")),
    }

    proposals = IdMultipleChoiceField(
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
    envelope = IdChoiceField(
        label=_("Envelope"), queryset=None, required=False, empty_label=_("None")
    )
    district = IdChoiceField(
        label=_("District"),
        queryset=None,
        required=False,
        empty_label=_("The whole commune"),
    )
    remove_photos = IdMultipleChoiceField(
        label=_("Photos to remove"),
        queryset=ProjectPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args, organisation, cycle, groupable=None, project=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.POINT_TEXTS.items():
            self.fields[name].label, self.fields[name].help_text = label, help_text
        self.fields["address"].widget.attrs["autocomplete"] = "off"
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


class ProjectCommentModerateForm(forms.Form):
    """A moderator's act on a project comment: hide (with a reason) or restore."""

    RESTORE = "restore"

    action = forms.CharField(required=False, strip=False)
    reason = forms.CharField(required=False, strip=False)

    def hide(self) -> bool:
        return self.cleaned_data["action"] != self.RESTORE
