"""Back office: administrators list, import (GeoJSON) and edit their districts."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from carte.models import AuditEvent, District
from carte.roles import Role
from carte.services import districts as services_districts
from tests.conftest import client_for
from tests.factories import DistrictFactory, square_outline, with_map

pytestmark = pytest.mark.django_db

BOUNDS = [1.64, 46.76, 1.76, 46.84]
LIST_URL = "/gestion/quartiers/"


def fr(message: str, **params) -> str:
    """The French catalogue's wording (its owner may improve it), translated."""
    with translation.override("fr"):
        text = translation.gettext(message)
    assert text != message, f"not translated: {message}"
    return text % params if params else text


def fr_feature(number: int, name: str = "") -> str:
    if name:
        return fr("Feature %(number)s (“%(name)s”)", number=number, name=name)
    return fr("Feature %(number)s", number=number)


IMPORT_URL = "/gestion/quartiers/importer/"


CENTRE = square_outline(1.69, 46.79, 0.01)
GARE = square_outline(1.71, 46.79, 0.01)
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[1.69, 46.79], [1.70, 46.80], [1.70, 46.79], [1.69, 46.80], [1.69, 46.79]]
    ],
}


def feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


@pytest.fixture
def commune(organisation):
    return with_map(organisation, BOUNDS)


@pytest.fixture
def admin(commune, staff_of):
    """(user, client) of an administrator of the commune."""
    return staff_of(commune, Role.ADMIN)


@pytest.fixture
def admin_client(admin):
    return admin[1]


def page_of(response) -> str:
    return response.content.decode()


# Who may come in


@pytest.mark.parametrize(
    "role", [Role.MODERATOR, Role.REVIEWER, Role.COUNTER_AGENT, Role.ELECTED]
)
def test_other_staff_roles_get_403_everywhere(commune, staff_of, role):
    district = DistrictFactory(organisation=commune, name="Centre")
    _, client = staff_of(commune, role)
    edit_url = reverse("carte:district-edit", args=[district.pk])
    assert client.get(LIST_URL).status_code == 403
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(edit_url).status_code == 403
    posted = client.post(IMPORT_URL, {"geojson": collection(feature(GARE, name="G"))})
    assert posted.status_code == 403
    edited = client.post(edit_url, {"name": "Piraté", "code": "x", "outline": ""})
    assert edited.status_code == 403
    district.refresh_from_db()
    assert district.name == "Centre"
    assert District.objects.count() == 1


def test_a_citizen_gets_403(commune, user):
    assert client_for(commune, user).get(LIST_URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(commune):
    response = client_for(commune).get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_communes_administrator_gets_403_on_this_host(
    commune, other_organisation, staff_of
):
    user, _ = staff_of(other_organisation, Role.ADMIN)
    assert client_for(commune, user).get(LIST_URL).status_code == 403


def test_another_communes_district_answers_404(admin_client, other_organisation):
    foreign = DistrictFactory(organisation=other_organisation, name="Ailleurs")
    url = reverse("carte:district-edit", args=[foreign.pk])
    assert admin_client.get(url).status_code == 404
    data = {"name": "Piraté", "code": "pirate", "outline": ""}
    assert admin_client.post(url, data).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Ailleurs"


def test_district_detail_remains_a_name_of_the_edit_page(commune):
    district = DistrictFactory(organisation=commune)
    assert reverse("carte:district-detail", args=[district.pk]) == reverse(
        "carte:district-edit", args=[district.pk]
    )


# The list


def test_the_list_shows_each_district_with_a_map_and_its_skip_link(
    admin_client, commune, other_organisation
):
    DistrictFactory(organisation=commune, name="Centre", code="centre", outline=CENTRE)
    DistrictFactory(organisation=commune, name="Les Hameaux", code="hameaux")
    DistrictFactory(organisation=other_organisation, name="Ailleurs", code="ailleurs")
    response = admin_client.get(LIST_URL)
    assert response.status_code == 200
    page = page_of(response)
    assert "Centre" in page and "Les Hameaux" in page
    assert "Ailleurs" not in page
    assert 'href="#liste-quartiers"' in page
    assert 'id="liste-quartiers"' in page
    config = response.context["map"]["config"]
    assert config["districts"]["features"] == [
        {
            "type": "Feature",
            "properties": {"name": "Centre", "code": "centre"},
            "geometry": CENTRE,
        }
    ]
    assert config["bounds"] == [[46.76, 1.64], [46.84, 1.76]]
    assert 'id="carte-quartiers-config" type="application/json"' in page


def test_the_list_says_when_there_is_no_district(admin_client):
    page = page_of(admin_client.get(LIST_URL))
    assert fr("No district yet. Import them from a GeoJSON file.") in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_queries_are_bounded(
    admin_client, commune, count, django_assert_max_num_queries
):
    for index in range(count):
        outline = square_outline(1.65 + index * 0.003, 46.77, 0.002)
        DistrictFactory(organisation=commune, outline=outline)
    with django_assert_max_num_queries(10):  # the same for 3 districts or 3,000
        assert admin_client.get(LIST_URL).status_code == 200


# Import


def test_pasting_a_collection_creates_the_districts_with_an_audit_row(
    admin, admin_client, commune
):
    geojson = collection(
        feature(CENTRE, name="Centre-ville", code="centre"),
        feature(GARE, name="La Gare"),
    )
    response = admin_client.post(IMPORT_URL, {"geojson": geojson}, follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    page = page_of(response)
    with translation.override("fr"):
        created = translation.ngettext(
            "%(count)s district created.", "%(count)s districts created.", 2
        ) % {"count": 2}
    assert created in page
    districts = District.objects.for_organisation(commune).order_by("code")
    assert [(d.code, d.name) for d in districts] == [
        ("centre", "Centre-ville"),
        ("la-gare", "La Gare"),
    ]
    assert districts[0].outline == CENTRE
    event = AuditEvent.objects.for_organisation(commune).get()
    assert event.action == "districts_import"
    assert event.actor == admin[0]
    assert event.data == {"created": ["centre", "la-gare"], "updated": []}


def test_importing_again_updates_districts_by_code_and_keeps_the_others(
    admin_client, commune
):
    kept = DistrictFactory(organisation=commune, name="Le Moulin", code="moulin")
    old = DistrictFactory(organisation=commune, name="Centre", code="centre")
    geojson = collection(feature(GARE, name="Centre-ville", code="centre"))
    response = admin_client.post(IMPORT_URL, {"geojson": geojson})
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.name, old.outline) == ("Centre-ville", GARE)
    assert District.objects.filter(pk=kept.pk).exists()
    assert District.objects.for_organisation(commune).count() == 2
    event = AuditEvent.objects.get(action="districts_import")
    assert event.data == {"created": [], "updated": ["centre"]}


def test_a_feature_is_accepted_alone_and_its_properties_may_be_padded(
    admin_client, commune
):
    geojson = json.dumps(feature(CENTRE, name="  Le   Bourg "))
    assert admin_client.post(IMPORT_URL, {"geojson": geojson}).status_code == 302
    district = District.objects.get(organisation=commune)
    assert (district.name, district.code) == ("Le Bourg", "le-bourg")


def test_one_invalid_feature_saves_nothing_and_keeps_the_text(admin_client, commune):
    geojson = collection(
        feature(CENTRE, name="Centre-ville"),
        feature(BOW_TIE, name="Le Nœud"),
    )
    response = admin_client.post(IMPORT_URL, {"geojson": geojson})
    assert response.status_code == 400
    page = page_of(response)
    assert f"{fr_feature(2, 'Le Nœud')} :" in page
    assert fr("The outline crosses itself or is otherwise invalid.") in page
    assert "Centre-ville" in page  # the pasted text is still in the box
    assert response.context["form"]["geojson"].value() == geojson
    assert not District.objects.exists()
    assert not AuditEvent.objects.filter(action="districts_import").exists()


def test_every_refused_feature_is_listed(admin_client, commune):
    outside = square_outline(2.5, 47.5, 0.01)
    geojson = collection(
        feature(CENTRE, code="sans-nom"),
        feature(outside, name="Trop loin"),
        feature(None, name="Sans contour"),
        feature(CENTRE, name="Centre", code="Pas un code!"),
        feature(GARE, name="Gare", code="gare"),
        feature(CENTRE, name="Gare bis", code="gare"),
    )
    response = admin_client.post(IMPORT_URL, {"geojson": geojson})
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 5
    name_missing = 'Give it a “name” property, for example "name": "Centre-ville".'
    assert errors[0] == f"{fr_feature(1)} : {fr(name_missing)}"
    outside_message = fr("The outline goes beyond the commune's map bounds.")
    assert errors[1] == f"{fr_feature(2, 'Trop loin')} : {outside_message}"
    no_geometry = fr("It has no geometry: draw the district's outline.")
    assert errors[2] == f"{fr_feature(3, 'Sans contour')} : {no_geometry}"
    assert errors[3].startswith(f"{fr_feature(4, 'Centre')} : ")
    assert len(errors[3]) > len(fr_feature(4, "Centre")) + 10  # the slug message
    taken = fr(
        "Its code “%(code)s” is already used by feature %(number)s.",
        code="gare",
        number=5,
    )
    assert errors[4] == f"{fr_feature(6, 'Gare bis')} : {taken}"
    assert not District.objects.exists()


@pytest.mark.parametrize(
    ("text", "message", "params"),
    [
        (
            "{pas du json",
            "This is not valid JSON. Check the file or the pasted text.",
            {},
        ),
        (
            json.dumps(CENTRE),
            "Give a GeoJSON FeatureCollection: an object whose “type” is "
            "“FeatureCollection”, with one feature per district.",
            {},
        ),
        (
            '{"type": "FeatureCollection", "features": []}',
            "The collection has no feature: add one per district.",
            {},
        ),
        (
            '{"type": "FeatureCollection", "features": [1]}',
            "Item %(number)s of “features” is not a GeoJSON Feature.",
            {"number": 1},
        ),
    ],
)
def test_what_is_not_a_collection_is_explained(admin_client, text, message, params):
    response = admin_client.post(IMPORT_URL, {"geojson": text})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [fr(message, **params)]
    assert not District.objects.exists()


def test_uploading_a_geojson_file_imports_it(admin_client, commune):
    content = collection(feature(CENTRE, name="Centre")).encode()
    upload = SimpleUploadedFile("quartiers.geojson", content, "application/geo+json")
    response = admin_client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 302
    assert District.objects.get(organisation=commune).code == "centre"


def test_a_json_file_with_a_byte_order_mark_is_accepted(admin_client, commune):
    content = "\ufeff" + collection(feature(CENTRE, name="Église"))
    upload = SimpleUploadedFile("export.JSON", content.encode("utf-8"))
    assert admin_client.post(IMPORT_URL, {"file": upload}).status_code == 302
    assert District.objects.get(organisation=commune).name == "Église"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("quartiers.txt", b"{}", "Choose a file ending in .geojson or .json."),
        (
            "quartiers.geojson",
            b"\xff\xfe\x00oops",
            "The file is not UTF-8 text. Export it again as GeoJSON.",
        ),
        (
            "quartiers.geojson",
            b" " * (1024 * 1024 + 1),
            "The file is larger than 1 MB. Simplify the outlines and retry.",
        ),
    ],
)
def test_a_wrong_file_is_refused(admin_client, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = admin_client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [fr(message)]
    assert not District.objects.exists()


def test_nothing_given_is_refused(admin_client):
    response = admin_client.post(IMPORT_URL, {"geojson": "  "})
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert errors == [fr("Paste the GeoJSON or choose a file.")]


def test_text_and_file_together_are_refused(admin_client):
    upload = SimpleUploadedFile("q.geojson", b"{}")
    response = admin_client.post(IMPORT_URL, {"geojson": "{}", "file": upload})
    assert response.status_code == 400
    both = (
        "Either paste the GeoJSON or choose a file, not both. Empty the text box "
        "to use the file."
    )
    assert response.context["form"].non_field_errors() == [fr(both)]


def test_the_import_page_explains_the_expected_file(admin_client):
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    page = page_of(response)
    assert 'enctype="multipart/form-data"' in page
    assert "FeatureCollection" in page
    assert 'accept=".geojson,.json' in page


def test_the_service_rolls_back_when_the_audit_fails(admin, commune, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(AuditEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services_districts.districts_import(
            organisation=commune,
            geojson=collection(feature(CENTRE, name="Centre")),
            actor=admin[0],
        )
    assert not District.objects.exists()


# Edit


@pytest.fixture
def centre(commune):
    return DistrictFactory(
        organisation=commune, name="Centre", code="centre", outline=CENTRE
    )


def edit_url(district):
    return reverse("carte:district-edit", args=[district.pk])


def test_the_edit_page_shows_the_outline_as_text(admin_client, centre):
    response = admin_client.get(edit_url(centre))
    assert response.status_code == 200
    assert json.loads(response.context["form"]["outline"].value()) == CENTRE
    title = fr("District %(name)s", name="Centre")
    assert f"<h1>{title}</h1>" in page_of(response)


def test_editing_name_code_and_outline_is_saved_and_audited(
    admin, admin_client, centre
):
    data = {
        "name": "Centre historique",
        "code": "centre-historique",
        "outline": json.dumps(feature(GARE, name="ignored")),
    }
    response = admin_client.post(edit_url(centre), data, follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    assert fr("The district has been saved.") in page_of(response)
    centre.refresh_from_db()
    assert (centre.name, centre.code, centre.outline) == (
        "Centre historique",
        "centre-historique",
        GARE,
    )
    event = AuditEvent.objects.get(action="district_update")
    assert event.actor == admin[0]
    assert event.target == f"district:{centre.pk}"
    assert event.data == {
        "from": {"name": "Centre", "code": "centre"},
        "to": {"name": "Centre historique", "code": "centre-historique"},
        "outline_changed": True,
    }


def test_emptying_the_outline_removes_it(admin_client, centre):
    data = {"name": "Centre", "code": "centre", "outline": ""}
    assert admin_client.post(edit_url(centre), data).status_code == 302
    centre.refresh_from_db()
    assert centre.outline is None


def test_saving_without_change_writes_no_audit_row(admin_client, centre):
    data = {"name": "Centre", "code": "centre", "outline": json.dumps(CENTRE)}
    assert admin_client.post(edit_url(centre), data).status_code == 302
    assert not AuditEvent.objects.filter(action="district_update").exists()


@pytest.mark.parametrize(
    ("outline", "message"),
    [
        ("{oops", "This is not valid JSON."),
        (json.dumps(BOW_TIE), "The outline crosses itself or is otherwise invalid."),
        (
            json.dumps(square_outline(2.5, 47.5, 0.01)),
            "The outline goes beyond the commune's map bounds.",
        ),
        (
            json.dumps({"type": "Point", "coordinates": [1.7, 46.8]}),
            "The outline must be a Polygon or a MultiPolygon.",
        ),
    ],
)
def test_a_wrong_outline_is_explained_and_the_input_kept(
    admin_client, centre, outline, message
):
    data = {"name": "Nouveau nom", "code": "centre", "outline": outline}
    response = admin_client.post(edit_url(centre), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["outline"] == [fr(message)]
    assert form["outline"].value() == outline
    assert form["name"].value() == "Nouveau nom"
    centre.refresh_from_db()
    assert (centre.name, centre.outline) == ("Centre", CENTRE)


def test_a_code_already_used_in_the_commune_is_refused(admin_client, commune, centre):
    DistrictFactory(organisation=commune, code="gare")
    data = {"name": "Centre", "code": "gare", "outline": ""}
    response = admin_client.post(edit_url(centre), data)
    assert response.status_code == 400
    message = fr("Another district already uses this code. Choose another.")
    assert response.context["form"].errors["code"] == [message]
    centre.refresh_from_db()
    assert centre.code == "centre"


def test_a_code_used_by_another_commune_is_fine(
    admin_client, other_organisation, centre
):
    DistrictFactory(organisation=other_organisation, code="gare")
    data = {"name": "Centre", "code": "gare", "outline": ""}
    assert admin_client.post(edit_url(centre), data).status_code == 302


def test_writes_are_rate_limited_per_user(admin_client, centre, monkeypatch):
    # One fixed minute: a slow run must not cross into the next window.
    monkeypatch.setattr("carte.ratelimit.current_minute", lambda: 30_000_000)
    data = {"name": "Centre", "code": "centre", "outline": ""}
    for _ in range(20):
        assert admin_client.post(edit_url(centre), data).status_code == 302
    response = admin_client.post(edit_url(centre), data)
    assert response.status_code == 429
    message = fr("Too many changes in a minute. Wait a minute and try again.")
    assert response.context["form"].non_field_errors() == [message]
