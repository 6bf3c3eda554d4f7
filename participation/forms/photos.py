"""The photo slots of a form placing photos on an idea or a project."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from carte.forms.ids import IdMultipleChoiceField
from participation.services.photos import MAX_PHOTOS, PhotoInput

PHOTO_SLOTS = range(1, MAX_PHOTOS + 1)


class PhotoSlotsMixin:
    """Up to `MAX_PHOTOS` new photos, each with its description, and the photos
    already there to remove.

    The form sets `photo_alt_help` (the description's help text) and, to refuse a
    too heavy file on the form, `photo_max_bytes`; its `__init__` calls
    `photo_fields_add` and its `clean` calls `photos_clean`.
    """

    photo_alt_help = ""
    photo_max_bytes: int | None = None

    def photo_fields_add(self, existing: models.QuerySet | None) -> None:
        """Add the photos to remove when there are some, then the empty slots."""
        if existing is not None and existing.exists():
            self.fields["remove_photos"] = IdMultipleChoiceField(
                label=_("Photos to remove"),
                queryset=existing,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["remove_photos"].label_from_instance = lambda p: p.alt_text
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
                help_text=self.photo_alt_help,
            )

    def photos_clean(self, cleaned: dict) -> None:
        """A photo needs its description, and a size under `photo_max_bytes`."""
        for slot in PHOTO_SLOTS:
            photo = cleaned.get(f"photo_{slot}")
            if not photo:
                continue
            if not cleaned.get(f"alt_{slot}", "").strip():
                self.add_error(
                    f"alt_{slot}",
                    _("Describe what the photo shows, for people who cannot see it."),
                )
            if self.photo_max_bytes is not None and photo.size > self.photo_max_bytes:
                self.add_error(
                    f"photo_{slot}",
                    _("This photo is larger than 5 MB. Choose a smaller photo."),
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
