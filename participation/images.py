"""Check and re-encode uploaded photos: real JPEG/PNG/WebP only, metadata stripped.

The type is read from the content (Pillow), never from the name or the browser's
claim. The image is decoded and saved again without its EXIF block, so GPS
coordinates, camera serials and dates never reach the server's disk; the file
gets a random name.
"""

import secrets
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 2000  # pixels: enough for a screen, keeps files small
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
FORMATS = {"JPEG": ("jpg", "JPEG"), "PNG": ("png", "PNG"), "WEBP": ("webp", "WEBP")}


class ImageRejected(ValueError):
    """An upload that is not an acceptable photo; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def reencode(uploaded) -> ContentFile:
    """Return the photo re-encoded without metadata, or raise ImageRejected.

    Codes: "too_large" (over MAX_BYTES), "not_an_image" (unreadable or another
    type than JPEG, PNG or WebP), "too_many_pixels".
    """
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        raise ImageRejected("too_large")
    uploaded.seek(0)
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageRejected("too_large")
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRejected("not_an_image") from error
    except Image.DecompressionBombError as error:
        raise ImageRejected("too_many_pixels") from error
    if kind not in FORMATS:
        raise ImageRejected("not_an_image")
    if width * height > MAX_PIXELS:
        raise ImageRejected("too_many_pixels")
    try:
        with Image.open(BytesIO(data)) as image:
            image.load()
            # Apply the EXIF orientation before dropping EXIF, then copy the pixels
            # only: the new image carries no metadata at all.
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            extension, pillow_format = FORMATS[kind]
            if pillow_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette())
            output = BytesIO()
            options = {"quality": 85} if pillow_format in ("JPEG", "WEBP") else {}
            clean.save(output, format=pillow_format, **options)
    except (OSError, ValueError) as error:
        raise ImageRejected("not_an_image") from error
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")
