"""Each organisation's Wagtail collection: where its editors keep images and files.

Wagtail filters image and document screens and choosers by collection permissions,
so an editor who holds them on their commune's collection only sees that
collection's images and documents.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission

from carte.models import Organisation

COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def collection_for(group: Group) -> Collection | None:
    """The collection a commune's editors group holds its permissions on."""
    return (
        Collection.objects.filter(group_permissions__group=group).order_by("pk").first()
    )


@transaction.atomic
def collection_grant(*, organisation: Organisation, group: Group) -> Collection:
    """The organisation's collection (created once, under the root collection), on
    which `group`, its editors, may add, change and choose images and documents."""
    collection = collection_for(group)
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=organisation.name)
    for app_label, codename in COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            ),
        )
    return collection
