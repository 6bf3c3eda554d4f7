"""The back-office home's links: each app registers the pages it offers, by role.

carte cannot import the apps to its right (STYLE section 1), so they register
their entries from `AppConfig.ready()`; the home page shows those the actor's
role may open (the pages check permissions again themselves).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from carte.models import Organisation
from carte.tenancy import Actor


@dataclass(frozen=True)
class Link:
    """A page of the back office; `allowed` is the page's own permission predicate."""

    url_name: str
    label: str | Promise
    allowed: Callable[[Actor, Organisation], bool]
    section: str | Promise
    order: int = 0


_LINKS: dict[str, Link] = {}


def register(*links: Link) -> None:
    """Add links to the home page (registering the same URL name again replaces)."""
    for link in links:
        _LINKS[link.url_name] = link


def links_for(
    actor: Actor, organisation: Organisation
) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(section, [(label, url)...])...] the actor may open, by `order`."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for link in sorted(_LINKS.values(), key=lambda link: link.order):
        if not link.allowed(actor, organisation):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        sections.setdefault(str(link.section), []).append((str(link.label), url))
    return list(sections.items())
