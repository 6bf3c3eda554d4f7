"""Give each existing organisation its Wagtail collection, editable by its editors.

New organisations get theirs from carte.services.team.editors_group; this covers
the ones created before. Historical models lack treebeard's methods, so the child
path is built here as treebeard does (steps of 4 base-36 digits).
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
        if number == 0:
            return digits.rjust(STEP, "0")


def _add_child(Collection, root, name):
    last = (
        Collection.objects.filter(depth=root.depth + 1, path__startswith=root.path)
        .order_by("-path")
        .first()
    )
    step = int(last.path[-STEP:], 36) + 1 if last else 1
    child = Collection.objects.create(
        name=name, depth=root.depth + 1, path=root.path + _base36(step), numchild=0
    )
    root.numchild += 1
    root.save(update_fields=["numchild"])
    return child


def create_collections(apps, schema_editor):
    Organisation = apps.get_model("carte", "Organisation")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    permissions = [
        Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        for app_label, codename in PERMISSIONS
    ]
    root = Collection.objects.filter(depth=1).first()
    if root is None or None in permissions:
        return  # a fresh database: no organisation yet
    for organisation in Organisation.objects.order_by("pk"):
        group = Group.objects.filter(name=f"Éditeurs – {organisation.slug}").first()
        if group is None or GroupCollectionPermission.objects.filter(group=group):
            continue
        collection = _add_child(Collection, root, organisation.name)
        for permission in permissions:
            GroupCollectionPermission.objects.create(
                group=group, collection=collection, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_remove_wagtail_welcome_site"),
        ("carte", "0003_accountblock"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0001_initial"),
        ("wagtaildocs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_collections, migrations.RunPython.noop)]
