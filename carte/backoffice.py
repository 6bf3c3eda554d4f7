"""The back-office home: what waits (figures), panels and links, by role.

carte cannot import the apps to its right (STYLE section 1), so they register
their entries from `AppConfig.ready()`; the home page shows those the actor's
role may open (the pages check permissions again themselves). A figure's count
is a selector of its app costing a fixed number of queries, so the home page
stays bounded whatever the data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass(frozen=True)
class Figure:
    """A number of items waiting for the actor, linking to the page handling them.

    `key` names it in the page (and tests); `count(actor, organisation, now)` is
    one of the app's selectors (a fixed number of queries); `query` is appended
    to the page's URL ("?section=...").
    """

    key: str
    url_name: str
    label: str | Promise
    allowed: Callable[[Actor, Organisation], bool]
    count: Callable[[Actor, Organisation, datetime], int]
    order: int = 0
    query: str = ""


@dataclass(frozen=True)
class Panel:
    """A block of the home page: a template and the context it reads."""

    key: str
    template: str
    allowed: Callable[[Actor, Organisation], bool]
    context: Callable[[Actor, Organisation, datetime], dict] = field(
        default=lambda actor, organisation, now: {}
    )
    order: int = 0


@dataclass(frozen=True)
class Waiting:
    key: str
    label: str
    url: str
    count: int


_FIGURES: dict[str, Figure] = {}
_PANELS: dict[str, Panel] = {}


def register_figures(*figures: Figure) -> None:
    """Add figures to the home page (registering the same key again replaces)."""
    for figure in figures:
        _FIGURES[figure.key] = figure


def register_panels(*panels: Panel) -> None:
    for panel in panels:
        _PANELS[panel.key] = panel


def figures_for(
    actor: Actor, organisation: Organisation, now: datetime
) -> list[Waiting]:
    """The figures the actor's role may see, by `order`, with their counts."""
    shown = []
    for figure in sorted(_FIGURES.values(), key=lambda figure: figure.order):
        if not figure.allowed(actor, organisation):
            continue
        try:
            url = reverse(figure.url_name)
        except NoReverseMatch:
            continue
        shown.append(
            Waiting(
                figure.key,
                str(figure.label),
                url + figure.query,
                figure.count(actor, organisation, now),
            )
        )
    return shown


def panels_for(
    actor: Actor, organisation: Organisation, now: datetime
) -> list[tuple[str, dict]]:
    """[(template, context)...] of the panels the actor's role may see."""
    return [
        (panel.template, panel.context(actor, organisation, now))
        for panel in sorted(_PANELS.values(), key=lambda panel: panel.order)
        if panel.allowed(actor, organisation)
    ]
