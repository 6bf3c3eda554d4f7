"""Districts of an organisation: import from GeoJSON and edit, audited."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carte import geometry
from carte.models import District, Organisation, User
from carte.services.audit import audit_record

NAME_MAX_LENGTH = District._meta.get_field("name").max_length
CODE_MAX_LENGTH = District._meta.get_field("code").max_length


@dataclass(frozen=True)
class ImportSummary:
    """Codes of the districts created and updated by an import, in file order."""

    created: list[str]
    updated: list[str]


def _collection_message(error: geometry.GeometryError) -> str:
    messages = {
        "not_json": _("This is not valid JSON. Check the file or the pasted text."),
        "not_feature_collection": _(
            "Give a GeoJSON FeatureCollection: an object whose “type” is "
            "“FeatureCollection”, with one feature per district."
        ),
        "no_features": _("The collection has no feature: add one per district."),
        "not_a_feature": _("Item %(number)s of “features” is not a GeoJSON Feature."),
    }
    message = messages.get(error.code, messages["not_feature_collection"])
    if error.code == "not_a_feature":
        message %= {"number": int(error.detail) + 1}
    return message


def _feature_label(feature: geometry.Feature, name: str) -> str:
    number = feature.index + 1
    if name:
        return _("Feature %(number)s (“%(name)s”)") % {"number": number, "name": name}
    return _("Feature %(number)s") % {"number": number}


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for errors in error.message_dict.values() for m in errors]
    return list(error.messages)


def _district_from_feature(
    *,
    organisation: Organisation,
    feature: geometry.Feature,
    existing: dict[str, District],
) -> tuple[District | None, list[str]]:
    """The district this feature creates or updates, or the problems found."""
    properties = feature.properties
    raw_name = properties.get("name")
    name = " ".join(raw_name.split()) if isinstance(raw_name, str) else ""
    raw_code = properties.get("code")
    code = str(raw_code).strip() if raw_code not in (None, "") else slugify(name)
    problems = []
    if not name:
        problems.append(
            _('Give it a “name” property, for example "name": "Centre-ville".')
        )
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(
            _("Its name is too long (%(max)s characters at most).")
            % {"max": NAME_MAX_LENGTH}
        )
    if name and not code:
        problems.append(
            _("Give it a “code” property made of letters, digits and dashes.")
        )
    if feature.geometry is None:
        problems.append(_("It has no geometry: draw the district's outline."))
    if problems:
        return None, problems
    district = existing.get(code) or District(organisation=organisation, code=code)
    district.name = name
    district.outline = feature.geometry
    try:
        # Field checks (code as a slug, lengths) and District.clean(): a valid
        # closed polygon inside the commune's bounds.
        district.full_clean(
            exclude=["organisation"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return None, _messages_of(error)
    return district, []


@transaction.atomic
def districts_import(
    *, organisation: Organisation, geojson: str | dict[str, Any], actor: User
) -> ImportSummary:
    """Create or update the organisation's districts from a GeoJSON FeatureCollection.

    Each feature needs a `name` property and a (Multi)Polygon geometry; its
    optional `code` (default: the name, slugified) identifies the district, so
    importing the same file again updates rather than duplicates. Districts not
    in the file are kept. All or nothing: if any feature is refused, nothing is
    saved and the ValidationError lists every problem, feature by feature.
    """
    try:
        features = geometry.load_features(geojson)
    except geometry.GeometryError as error:
        raise ValidationError(_collection_message(error), code=error.code) from error
    existing = {
        district.code: district
        for district in District.objects.for_organisation(organisation)
        .select_for_update()
        .order_by("pk")
    }
    errors: list[ValidationError] = []
    to_save: list[District] = []
    seen: dict[str, int] = {}
    for feature in features:
        district, problems = _district_from_feature(
            organisation=organisation, feature=feature, existing=existing
        )
        if district is not None and district.code in seen:
            problems = [
                _("Its code “%(code)s” is already used by feature %(number)s.")
                % {"code": district.code, "number": seen[district.code] + 1}
            ]
        label = _feature_label(feature, str(feature.properties.get("name") or ""))
        if problems:
            errors.append(
                ValidationError(
                    _("%(label)s: %(problems)s"),
                    code="invalid_feature",
                    params={"label": label, "problems": " ".join(problems)},
                )
            )
            continue
        seen[district.code] = feature.index
        to_save.append(district)
    if errors:
        raise ValidationError(errors)
    created = [d for d in to_save if d.pk is None]
    updated = [d for d in to_save if d.pk is not None]
    District.objects.bulk_create(created)
    District.objects.bulk_update(updated, ["name", "outline"])
    summary = ImportSummary(
        created=[d.code for d in created], updated=[d.code for d in updated]
    )
    audit_record(
        actor,
        "districts_import",
        f"organisation:{organisation.pk}",
        {"created": summary.created, "updated": summary.updated},
        organisation=organisation,
    )
    return summary


@transaction.atomic
def district_update(
    *,
    organisation: Organisation,
    district_id: int,
    name: str,
    code: str,
    outline: dict[str, Any] | None,
    actor: User,
) -> District:
    """Rename a district, change its code or outline (None: no outline), audited.

    The outline must be a valid (Multi)Polygon inside the commune's bounds
    (District.clean) and the code unique in the organisation. Proposals keep the
    district they were given: a new outline does not move them.
    """
    district = (
        District.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=district_id)
    )
    before = {"name": district.name, "code": district.code}
    outline_changed = outline != district.outline
    district.name, district.code, district.outline = name, code, outline
    district.full_clean(validate_unique=False, validate_constraints=False)
    taken = (
        District.objects.for_organisation(organisation)
        .filter(code=code)
        .exclude(pk=district.pk)
    )
    if taken.exists():
        raise ValidationError(
            {"code": _("Another district already uses this code. Choose another.")},
            code="code_taken",
        )
    district.save(update_fields=["name", "code", "outline"])
    after = {"name": district.name, "code": district.code}
    if before != after or outline_changed:
        audit_record(
            actor,
            "district_update",
            f"district:{district.pk}",
            {"from": before, "to": after, "outline_changed": outline_changed},
            organisation=organisation,
        )
    return district
