"""Photos attached to an idea or a project: how many, their description, re-encoding.

Proposals and projects take at most `MAX_PHOTOS` photos each, every one with a
text alternative (RGAA), re-encoded by `participation.images` so that no
metadata reaches the disk.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from participation import images

MAX_PHOTOS = 3


@dataclass(frozen=True)
class PhotoInput:
    file: object  # an UploadedFile
    alt_text: str


def image_message(code: str) -> str:
    """The message for an `images.ImageRejected` code."""
    return {
        "too_large": _("This photo is larger than 5 MB. Choose a smaller photo."),
        "too_many_pixels": _("This photo is too big. Choose a smaller photo."),
    }.get(code, _("This file is not a photo. Choose a JPEG, PNG or WebP image."))


def photos_update(
    owner: models.Model,
    *,
    photos: Sequence[PhotoInput],
    remove_ids: Sequence[int] = (),
    too_many: str,
    alt_text_max_length: int | None = None,
) -> None:
    """Delete the photos `remove_ids` of `owner`, then add `photos` after the rest.

    `owner.photos` are the owner's photos (`image`, `alt_text`, `position`). Raises a
    `ValidationError`: `too_many` with code "too_many_photos" past `MAX_PHOTOS`,
    "alt_missing" for a photo without a description, or the `images` code of a
    file that is not an acceptable photo. `alt_text_max_length` cuts the
    description when given.
    """
    mine = owner.photos.all()
    if remove_ids:
        mine.filter(pk__in=remove_ids).delete()
    kept = mine.count()
    if kept + len(photos) > MAX_PHOTOS:
        raise ValidationError(too_many, code="too_many_photos")
    for index, photo in enumerate(photos, start=kept):
        alt_text = (photo.alt_text or "").strip()
        if not alt_text:
            raise ValidationError(
                _("Describe what each photo shows, for people who cannot see it."),
                code="alt_missing",
            )
        try:
            content = images.reencode(photo.file)
        except images.ImageRejected as error:
            raise ValidationError(image_message(error.code), code=error.code) from error
        owner.photos.create(
            image=content,
            alt_text=alt_text[:alt_text_max_length],
            position=index,
        )
