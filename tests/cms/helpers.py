"""Helpers shared by the cms tests."""

import re

from cms.models import HomePage


def home_of(organisation) -> HomePage:
    return HomePage.objects.get(pk=organisation.site.root_page_id)


def h1s(html: str) -> list[str]:
    """The text of each h1 of a page, in order."""
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)


def give_contact_details(organisation) -> None:
    """The details the legal pages show, as an administrator would fill them."""
    organisation.address = "Hôtel de ville\n1 place de la Mairie\n59000 Villeneuve"
    organisation.contact_email = "participation@villeneuve.test"
    organisation.dpo_name = "Claire Martin"
    organisation.dpo_email = "dpo@villeneuve.test"
    organisation.population = 12500
    organisation.save()
