"""Create an organisation with its own Wagtail site and home page."""

from django.db import transaction
from wagtail.models import Page, Site

from carte.models import Organisation
from carte.services.team import editors_group
from cms.models import HomePage


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    hostname: str,
    port: int = 80,
    is_default_site: bool = False,
    **fields,
) -> Organisation:
    """An organisation, its home page (under the tree root) and its Site.

    The hostname picks the site, the site the organisation (carte.tenancy). With
    `is_default_site`, requests for an unknown host are served this organisation:
    a single-commune installation needs no hostname set up.
    """
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title=name, slug=slug, live=True))
    if is_default_site:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site = Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        site_name=name,
        is_default_site=is_default_site,
    )
    organisation = Organisation(name=name, slug=slug, site=site, **fields)
    organisation.full_clean()
    organisation.save()
    editors_group(organisation)
    return organisation
