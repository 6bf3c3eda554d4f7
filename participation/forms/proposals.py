"""Forms of the proposal pages: the resident's form, the counter's, the filters,
withdrawing an idea."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carte.formats import format_euros
from carte.forms.ids import IdChoiceField, IdField
from carte.forms.money import EurosField
from carte.maps import PointForm
from participation import images
from participation.forms.moderation import reason_field
from participation.forms.photos import PHOTO_SLOTS, PhotoSlotsMixin
from participation.models import StatusChoices
from participation.selectors.proposals import SORTS, districts_for, themes_for
from participation.services.proposals import ProposalInput, ResidentInput

# The address field of the point picker, said for an idea or a project.
PLACE_TEXTS = (
    _("Address or place"),
    _("For example “12 rue de la Gare” or “Tilleuls park”."),
)
ACTION_DRAFT = "draft"
ACTION_SUBMIT = "submit"


class ProposalForm(PhotoSlotsMixin, PointForm):
    """Title, description, theme, place, cost and up to three photos.

    The draft button accepts an incomplete idea (a title is enough); the submit
    button needs a description. The place is a point (the picker map fills the
    latitude and longitude), an address, or the whole commune.
    """

    field_order = [
        "title",
        "description",
        "theme",
        "whole_commune",
        "address",
        "latitude",
        "longitude",
    ]
    POINT_TEXTS = {
        "address": PLACE_TEXTS,
        "latitude": (
            _("Latitude"),
            _("Filled in by the map; you can also type it, e.g. 46.80."),
        ),
        "longitude": (
            _("Longitude"),
            _("Filled in by the map; you can also type it, e.g. 1.70."),
        ),
    }
    photo_alt_help = _("For people who cannot see it, e.g. “The broken swing”.")
    photo_max_bytes = images.MAX_BYTES

    title = forms.CharField(
        label=_("Title of your idea"),
        max_length=120,
        help_text=_("In a few words, for example “A bench in the Tilleuls park”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Your idea in a few sentences"),
        max_length=5000,
        required=False,
        help_text=_(
            "What, where, for whom, why. Leave a blank line between paragraphs."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    theme = IdChoiceField(
        label=_("Theme"),
        queryset=None,
        required=False,
        empty_label=_("No theme"),
    )
    whole_commune = forms.BooleanField(
        label=_("This idea concerns the whole commune (no particular place)"),
        required=False,
    )
    estimated_cost = EurosField(
        label=_("Estimated cost in euros (optional)"),
        required=False,
        help_text=_(
            "If you have an idea of it, for example 1 500. The city checks it."
        ),
    )

    def __init__(self, *args, organisation, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["theme"].queryset = themes_for(organisation)
        self.photo_fields_add(proposal.photos.all() if proposal is not None else None)

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("whole_commune"):
            cleaned["address"] = ""
            cleaned["latitude"] = cleaned["longitude"] = None
        else:
            self.coordinates_check(
                cleaned,
                _("Give both the latitude and the longitude, or click on the map."),
            )
        self.photos_clean(cleaned)
        return cleaned

    def require_complete(self) -> bool:
        """For the submit button: the description is needed too."""
        if self.is_valid() and not self.cleaned_data["description"].strip():
            self.add_error("description", _("Describe your idea in a few sentences."))
        return self.is_valid()

    def needs_geocoding(self) -> bool:
        data = self.cleaned_data
        return bool(
            data.get("address")
            and data.get("latitude") is None
            and not data.get("whole_commune")
        )

    def to_input(self) -> ProposalInput:
        data = self.cleaned_data
        return ProposalInput(
            title=data["title"],
            description=data.get("description", ""),
            theme_id=data["theme"].pk if data.get("theme") else None,
            address=data.get("address", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            estimated_cost_cents=data.get("estimated_cost"),
        )

    @staticmethod
    def initial_from(proposal) -> dict:
        cost = proposal.estimated_cost_cents
        return {
            "title": proposal.title,
            "description": proposal.description,
            "theme": proposal.theme_id,
            "address": proposal.address,
            "latitude": proposal.latitude,
            "longitude": proposal.longitude,
            "whole_commune": not proposal.address and not proposal.has_point,
            "estimated_cost": format_euros(cost, symbol=False)
            if cost is not None
            else "",
        }


def _resident_field(field_class, label, help_text, **options) -> forms.Field:
    """An optional field about the resident, which the browser never fills."""
    widget = field_class.widget(attrs={"autocomplete": "off"})
    return field_class(
        label=label, required=False, help_text=help_text, widget=widget, **options
    )


class CounterProposalForm(ProposalForm):
    """The counter agent's form: the idea, the cycle, and who handed it in."""

    cycle = IdChoiceField(label=_("Cycle"), queryset=None, empty_label=None)
    resident_name = _resident_field(
        forms.CharField,
        _("Resident's name"),
        _("Kept private: never shown on the site."),
        max_length=150,
    )
    resident_contact = _resident_field(
        forms.CharField,
        _("Resident's phone or postal address (optional)"),
        _("Kept private, to reach the resident about their idea."),
        max_length=255,
    )
    resident_email = _resident_field(
        forms.EmailField,
        _("E-mail of the resident's account (optional)"),
        _(
            "If an account uses this address, its owner receives a link to attach "
            "the idea to it; nothing is attached without their consent. Kept "
            "private."
        ),
        max_length=254,  # what resident_contact (255) can hold
    )

    field_order = [
        "cycle",
        "resident_name",
        "resident_contact",
        "resident_email",
        *ProposalForm.field_order,
    ]

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in PHOTO_SLOTS:  # a paper proposal comes without uploads
            del self.fields[f"photo_{slot}"], self.fields[f"alt_{slot}"]
        self.fields["cycle"].queryset = cycles
        self.fields["description"].required = True

    def resident(self) -> ResidentInput:
        return ResidentInput(
            name=self.cleaned_data["resident_name"],
            contact=self.cleaned_data["resident_contact"],
            email=self.cleaned_data["resident_email"],
        )


class ProposalFilterForm(forms.Form):
    """The list's filters, read from the query string (GET)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    district = forms.TypedChoiceField(
        label=_("District"), required=False, coerce=int, empty_value=None
    )
    theme = forms.TypedChoiceField(
        label=_("Theme"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    cycle = IdField(required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("recent", _("Most recent")),
            ("supports", _("Most supported")),
            ("random", _("Random order")),
        ],
    )

    def __init__(self, *args, organisation, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        everywhere = [("", _("All"))]
        self.fields["district"].choices = everywhere + [
            (d.pk, d.name) for d in districts_for(organisation)
        ]
        self.fields["theme"].choices = everywhere + [
            (t.pk, t.name) for t in themes_for(organisation)
        ]
        self.fields["status"].choices = everywhere + [
            (value, label)
            for value, label in StatusChoices.choices
            if value in statuses
        ]

    def values(self) -> dict:
        """The valid filters (an invalid one is ignored, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        sort = data.get("sort") or "recent"
        return {
            "q": (data.get("q") or "").strip(),
            "district": data.get("district"),
            "theme": data.get("theme"),
            "status": data.get("status") or None,
            "cycle": data.get("cycle"),
            "sort": sort if sort in SORTS else "recent",
        }


class WithdrawForm(forms.Form):
    reason = reason_field(
        _("Explanation (optional)"), _("Shown publicly in the history of the idea.")
    )
