"""Photos: real images only, 5 MB at most, re-encoded without metadata (GPS)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from participation import images
from participation.models import Proposal, ProposalPhoto
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:03:01 10:00:00"  # DateTime
    exif.get_ifd(GPS_IFD).update(
        {
            1: "N",
            2: (46.0, 48.0, 0.0),
            3: "E",
            4: (1.0, 42.0, 0.0),
        }
    )
    output = BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def png_bytes() -> bytes:
    output = BytesIO()
    Image.new("RGBA", (20, 20), (0, 128, 0, 128)).save(output, format="PNG")
    return output.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_test_photo_really_has_gps_data():
    with Image.open(BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)


def test_gps_and_other_exif_data_are_stripped_on_reencoding():
    cleaned = images.reencode(upload("holiday.jpg", jpeg_with_gps()))
    with Image.open(BytesIO(cleaned.read())) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    assert cleaned.name.endswith(".jpg")
    assert "holiday" not in cleaned.name


def test_a_png_stays_a_png_with_a_random_name():
    first = images.reencode(upload("a.png", png_bytes(), "image/png"))
    second = images.reencode(upload("a.png", png_bytes(), "image/png"))
    assert first.name.endswith(".png")
    assert first.name != second.name


def test_a_text_file_named_like_a_photo_is_rejected():
    with pytest.raises(images.ImageRejected) as error:
        images.reencode(upload("photo.jpg", b"<?php echo 'hello'; ?>"))
    assert error.value.code == "not_an_image"


def test_a_gif_is_rejected():
    output = BytesIO()
    Image.new("RGB", (4, 4)).save(output, format="GIF")
    with pytest.raises(images.ImageRejected) as error:
        images.reencode(upload("anim.gif", output.getvalue(), "image/gif"))
    assert error.value.code == "not_an_image"


def test_an_oversized_file_is_rejected():
    big = upload("big.jpg", b"\xff\xd8" + b"0" * (images.MAX_BYTES + 10))
    with pytest.raises(images.ImageRejected) as error:
        images.reencode(big)
    assert error.value.code == "too_large"


# --- Through the form ------------------------------------------------------


def post(client, cycle, **files):
    data = {
        "title": "Réparer la balançoire",
        "description": "La balançoire du square est cassée.",
        "action": "draft",
        **files,
    }
    return client.post(
        reverse("participation:proposal-create", args=[cycle.slug]), data
    )


def test_a_photo_with_gps_is_stored_without_it(organisation, cycle, user):
    client = client_for(organisation, user)
    response = post(
        client,
        cycle,
        photo_1=upload("IMG_0001.jpg", jpeg_with_gps()),
        alt_1="La balançoire cassée",
    )
    assert response.status_code == 302
    photo = ProposalPhoto.objects.get()
    assert photo.alt_text == "La balançoire cassée"
    assert "IMG_0001" not in photo.image.name
    assert photo.image.name.startswith(f"{organisation.pk}/proposals/")
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
    photo.image.delete(save=False)


def test_a_non_image_is_refused_in_the_form_and_nothing_saved(
    organisation, cycle, user
):
    client = client_for(organisation, user)
    response = post(
        client,
        cycle,
        photo_1=upload("virus.jpg", b"MZ\x90\x00 not an image"),
        alt_1="Une photo",
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    assert not ProposalPhoto.objects.exists()
    assert "Réparer la balançoire" in response.content.decode()


def test_an_oversized_photo_is_refused_in_the_form(organisation, cycle, user):
    client = client_for(organisation, user)
    response = post(
        client,
        cycle,
        photo_1=upload("big.jpg", b"\xff\xd8" + b"0" * (images.MAX_BYTES + 10)),
        alt_1="Grande photo",
    )
    assert response.status_code == 400
    assert response.context["form"].errors["photo_1"]
    assert not ProposalPhoto.objects.exists()


def test_a_photo_needs_its_description(organisation, cycle, user):
    client = client_for(organisation, user)
    response = post(client, cycle, photo_1=upload("a.jpg", jpeg_with_gps()))
    assert response.status_code == 400
    assert response.context["form"].errors["alt_1"]
    assert not Proposal.objects.exists()


def test_at_most_three_photos(organisation, cycle, user):
    client = client_for(organisation, user)
    post(
        client,
        cycle,
        **{f"photo_{n}": upload(f"{n}.jpg", jpeg_with_gps()) for n in (1, 2, 3)},
        **{f"alt_{n}": f"Photo {n}" for n in (1, 2, 3)},
    )
    proposal = Proposal.objects.get()
    assert proposal.photos.count() == 3
    edit = reverse("participation:proposal-edit", args=[proposal.pk])
    response = client.post(
        edit,
        {
            "title": proposal.title,
            "action": "draft",
            "photo_1": upload("4.jpg", jpeg_with_gps()),
            "alt_1": "Photo 4",
        },
    )
    assert response.status_code == 400
    assert proposal.photos.count() == 3
    for photo in proposal.photos.all():
        photo.image.delete(save=False)
