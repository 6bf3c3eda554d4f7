"""Forms of the project pages: the cycle shown, a project, a comment on it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import Envelope
from budget.services.projects import ProjectInput
from carte.formats import format_euros
from carte.forms.confirm import confirm_field
from carte.forms.ids import IdChoiceField, IdMultipleChoiceField
from carte.forms.money import EurosField
from carte.forms.rows import RowFormMixin
from carte.maps import PointForm
from carte.models import District
from participation.forms.comments import comment_body_field
from participation.forms.photos import PhotoSlotsMixin
from participation.forms.proposals import PLACE_TEXTS


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


class ProjectForm(RowFormMixin, PhotoSlotsMixin, PointForm):
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
    ]
    # The point picker's fields, said for a project: (label, help text).
    POINT_TEXTS = {
        "address": PLACE_TEXTS,
        "latitude": (_("Latitude (optional)"), _("In degrees, for example 46.80.")),
        "longitude": (_("Longitude (optional)"), _("In degrees, for example 1.70.")),
    }

    photo_alt_help = _("For people who cannot see it.")

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

    def __init__(
        self, *args, organisation, cycle, groupable=None, project=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
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
        self.photo_fields_add(project.photos.all() if project is not None else None)

    def clean(self):
        cleaned = super().clean()
        self.coordinates_check(
            cleaned, _("Give both the latitude and the longitude, or neither.")
        )
        self.photos_clean(cleaned)
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

    row_attributes = {
        "title": "title",
        "description": "description",
        "cost": "cost_cents",
        "envelope": "envelope_id",
        "district": "district_id",
        "address": "address",
        "latitude": "latitude",
        "longitude": "longitude",
    }


def _proposal_label(proposal) -> str:
    review = getattr(proposal, "review", None)
    if review is not None and review.cost_cents is not None:
        return f"{proposal.title} ({format_euros(review.cost_cents)})"
    return proposal.title


class ProjectCommentForm(forms.Form):
    body = comment_body_field(_("Your comment on the project"))


class ProjectCommentModerateForm(forms.Form):
    """A moderator's act on a project comment: hide (with a reason) or restore."""

    RESTORE = "restore"

    action = forms.CharField(required=False, strip=False)
    reason = forms.CharField(required=False, strip=False)

    def hide(self) -> bool:
        return self.cleaned_data["action"] != self.RESTORE


class ProjectCommentHideForm(forms.Form):
    """Hiding a project comment: a public reason, and a confirmation."""

    reason = forms.CharField(
        label=_("Reason for hiding (shown in place of the comment)"),
        max_length=255,
        error_messages={"required": _("Give the reason for hiding it.")},
    )
    confirm = confirm_field()
