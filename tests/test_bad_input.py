"""Bad input never breaks Agora: every route of ours, as a visitor, a resident
and each staff role, receives hostile values in each query parameter and in
each field of each form found on its pages (issue 12, acceptance point 5).

The routes come from the URL conf, filled with one set of demo objects built
once for the module; the forms and their fields are read from the pages' HTML.
Every request runs in a savepoint rolled back afterwards, so a hostile POST
that succeeds changes nothing for the next one. Expected: never a 5xx; a 400
shows an error message and keeps what was typed in the form's text fields.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.html import escape

from carte.models import Membership
from carte.roles import Role
from participation.models import Notification, Report, StandardReply
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    CycleFactory,
    DepartmentFactory,
    DistrictFactory,
    OrganisationFactory,
    ProjectCommentFactory,
    ProjectFactory,
    ProposalFactory,
    ReviewFactory,
    SupportFactory,
    ThemeFactory,
    UserFactory,
    add_totp,
    with_map,
)
from tests.participation.conftest import BOUNDS, WEST

# The values a careless or hostile person may type.
HOSTILE = {
    "huge": "9" * 30,
    "big": "9" * 19,  # a few digits past what a 64-bit column holds
    "negative": "-" + "9" * 19,
    "unicode digit": "²",
    "arabic digits": "١٢",
    "nul": "a\x00b",
    "long": "é" * 5000,
    "html": '<script>alert("x")</script><b>',
    "bidi": "\u202eabc\u2066",
    "empty": "",
}
# Each field alone, the others as the page shows them (or a sample): fewer values.
HOSTILE_ALONE = ("big", "unicode digit", "nul", "negative")
# Query parameters that views may read without a form on the page.
COMMON_PARAMS = (
    *("page", "q", "cycle", "sort", "bbox", "status", "district", "theme"),
    *("section", "service", "use", "reponse", "titre", "sauf", "next", "source"),
)
SAMPLE_EMAIL = "essai@example.org"
# An error summary, a field's error, a flash message, an error page.
ERROR_MARKERS = (
    'class="error-summary"',
    'class="errorlist',
    'role="alert"',
    "message-error",
    "error-page",
)

# What is not Agora's, by the module of the view: served by libraries.
FOREIGN = ("allauth.", "wagtail.", "django.", "drf_spectacular.")
AGORA_APPS = ("carte.", "participation.", "budget.", "cms.", "config.")
TEST_ONLY_NAMESPACES = {"testing"}  # carte.urls.testing: never in production
# Wagtail's admin, even the viewsets cms adds to it, is Wagtail's forms.
WAGTAIL_ADMIN = "admin/"


# The routes, from the URL conf


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "name" at the root
    params: tuple[str, ...]


def url_patterns(
    patterns=None, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """Every named pattern of the URL conf: full name, path prefix, pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            path = prefix + str(pattern.pattern)
            yield from url_patterns(pattern.url_patterns, inner, path)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", prefix, pattern


def view_module(pattern: URLPattern) -> str:
    callback = pattern.callback
    return getattr(callback, "view_class", callback).__module__


def is_ours(name: str, prefix: str, pattern: URLPattern) -> bool:
    return (
        view_module(pattern).startswith(AGORA_APPS)
        and not prefix.startswith(WAGTAIL_ADMIN)
        and name.split(":")[0] not in TEST_ONLY_NAMESPACES
    )


def agora_routes() -> list[Route]:
    routes = {}
    for name, prefix, pattern in url_patterns():
        if is_ours(name, prefix, pattern):
            params = tuple(pattern.pattern.regex.groupindex)
            routes.setdefault(name, Route(name, params))
    return sorted(routes.values(), key=lambda route: route.name)


ROUTES = agora_routes()


# The demo objects filling the routes


# The demo: the commune, its people and one object of each kind, by name.
Demo = SimpleNamespace


def demo_build() -> Demo:
    organisation = with_map(
        OrganisationFactory(name="Mauvaise-Saisie", slug="mauvaise-saisie"), BOUNDS
    )
    # Her address is the one the forms are filled with (sample): the counter
    # finds her account.
    citizen = UserFactory(pseudonym="Habitante curieuse", email=SAMPLE_EMAIL)
    staff = {}
    for role in Role:
        member = UserFactory(pseudonym=f"Équipe {role}")
        Membership.objects.create(organisation=organisation, user=member, role=role)
        add_totp(member)
        staff[role] = member
    district = DistrictFactory(organisation=organisation, outline=WEST)
    theme = ThemeFactory(organisation=organisation)
    cycle = CycleFactory(organisation=organisation)
    draft = ProposalFactory(
        cycle=cycle, author=citizen, status="draft", published_at=None
    )
    published = ProposalFactory(cycle=cycle, district=district, theme=theme)
    ProposalFactory(cycle=cycle, title="Une idée en double")
    submitted = ProposalFactory(cycle=cycle, status="submitted", published_at=None)
    comment = CommentFactory(proposal=published, author=citizen)
    CommentFactory(proposal=published, parent=comment)
    Report.objects.create(
        organisation=organisation,
        comment=comment,
        reporter=staff[Role.ELECTED],
        reason="spam",
        details="Publicité",
    )
    Report.objects.create(
        organisation=organisation,
        proposal=published,
        reporter=citizen,
        reason="off_topic",
    )
    SupportFactory(proposal=published, user=citizen)
    published.support_count, published.comment_count = 1, 2  # as services keep
    published.save(update_fields=["support_count", "comment_count"])
    reply = StandardReply.objects.create(
        organisation=organisation, use="reject", title="Hors sujet", body="Hors sujet."
    )
    Notification.objects.create(
        organisation=organisation,
        user=citizen,
        kind="comment",
        proposal=published,
        comment=comment,
    )
    department = DepartmentFactory(organisation=organisation)
    department.members.add(staff[Role.REVIEWER])
    review = ReviewFactory(
        proposal=ProposalFactory(cycle=cycle, status="under_study"),
        department=department,
        reviewer=staff[Role.REVIEWER],
        due_on=timezone.localdate(),
    )
    project = ProjectFactory(cycle=cycle, status="published")
    project_comment = ProjectCommentFactory(project=project, author=citizen)
    return Demo(
        organisation=organisation, citizen=citizen, staff=staff, district=district,
        cycle=cycle, draft=draft, published=published, submitted=submitted,
        comment=comment, reply=reply, department=department, review=review,
        project=project, project_comment=project_comment,
        membership=Membership.objects.get(user=staff[Role.MODERATOR]),
    )  # fmt: skip


# How each route with parameters is filled; a new one must be added here.
FILLINGS: dict[str, Callable[[Demo], dict]] = {
    "carte:membership-edit": lambda d: {"pk": d.membership.pk},
    "carte:district-edit": lambda d: {"pk": d.district.pk},
    "carte:district-detail": lambda d: {"pk": d.district.pk},
    "participation:cycle-detail": lambda d: {"slug": d.cycle.slug},
    "participation:cycle-manage-edit": lambda d: {"pk": d.cycle.pk},
    "participation:proposal-create": lambda d: {"slug": d.cycle.slug},
    "participation:proposal-detail": lambda d: {"pk": d.published.pk},
    "participation:proposal-edit": lambda d: {"pk": d.draft.pk},
    "participation:proposal-submit": lambda d: {"pk": d.draft.pk},
    "participation:proposal-withdraw": lambda d: {"pk": d.published.pk},
    "participation:support-add": lambda d: {"pk": d.published.pk},
    "participation:support-withdraw": lambda d: {"pk": d.published.pk},
    "participation:comment-create": lambda d: {"pk": d.published.pk},
    "participation:comment-edit": lambda d: {"pk": d.comment.pk},
    "participation:comment-delete": lambda d: {"pk": d.comment.pk},
    "participation:comment-hide": lambda d: {"pk": d.comment.pk},
    "participation:claim-confirm": lambda d: {"token": "not-a-valid-claim"},
    "participation:comment-restore": lambda d: {"pk": d.comment.pk},
    "participation:report-create": lambda d: {
        "target": "commentaire",
        "pk": d.comment.pk,
    },
    "participation:follow": lambda d: {"pk": d.published.pk},
    "participation:unfollow": lambda d: {"pk": d.published.pk},
    "participation:moderation-proposal": lambda d: {"pk": d.submitted.pk},
    "participation:moderation-action": lambda d: {
        "pk": d.submitted.pk,
        "action": "reject",
    },
    "participation:moderation-hide": lambda d: {"pk": d.published.pk},
    "participation:moderation-restore": lambda d: {"pk": d.published.pk},
    "participation:moderation-dismiss": lambda d: {"pk": d.published.pk},
    "participation:moderation-comment": lambda d: {
        "pk": d.comment.pk,
        "verb": "masquer",
    },
    "participation:moderation-account": lambda d: {"user_id": d.citizen.pk},
    "participation:moderation-unblock": lambda d: {"user_id": d.citizen.pk},
    "participation:moderation-reply-edit": lambda d: {"pk": d.reply.pk},
    "participation:moderation-reply-toggle": lambda d: {"pk": d.reply.pk},
    "participation:proposal-merge": lambda d: {"pk": d.published.pk},
    "participation:support-carry-over": lambda d: {"pk": d.published.pk},
    "budget:department-edit": lambda d: {"pk": d.department.pk},
    "budget:review-assign": lambda d: {"pk": d.published.pk},
    "budget:review-edit": lambda d: {"pk": d.review.pk},
    "budget:project-edit": lambda d: {"pk": d.project.pk},
    "budget:project-comment-moderate": lambda d: {"pk": d.project_comment.pk},
    "budget:project-detail": lambda d: {"pk": d.project.pk},
    "budget:project-comment": lambda d: {"pk": d.project.pk},
}

ROLES = ("visitor", "resident", *Role)


def client_as(demo: Demo, role):
    if role == "visitor":
        return client_for(demo.organisation)
    user = demo.citizen if role == "resident" else demo.staff[role]
    return client_for(demo.organisation, user)


def page_url(demo: Demo, route: Route) -> str:
    kwargs = FILLINGS[route.name](demo) if route.params else {}
    return reverse(route.name, kwargs=kwargs)


# Forms, read from the HTML


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]]  # the values the page would send
    text: set[str]  # text inputs and text areas: their input must come back
    choices: set[str]  # selects, radios, checkboxes

    @property
    def key(self) -> tuple:
        return self.method, self.action, tuple(sorted(self.fields))


def sample(name: str, attrs: dict) -> str:
    """A plausible value for an empty field, so that a form with one hostile
    field and the others filled reaches its service and the database."""
    kind = (attrs.get("type") or "").lower()
    if kind == "search" or name in {"q", "next"}:
        return ""
    if kind == "email" or "email" in name:
        return SAMPLE_EMAIL
    if kind == "date":
        return timezone.localdate().isoformat()
    if "latitude" in name or "longitude" in name:
        return "46.8" if "latitude" in name else "1.67"  # in the WEST district
    if kind == "number" or attrs.get("inputmode") in {"numeric", "decimal"}:
        return "12"
    return "Un texte d'essai, assez long pour être accepté."


class FormParser(HTMLParser):
    TEXT_TYPES = {"text", "search", "email", "url", "tel", "number", "date", ""}

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.button = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            action = urljoin(self.page, attrs.get("action") or "")
            self.form = Form(
                (attrs.get("method") or "get").lower(), action, {}, set(), set()
            )
            self.forms.append(self.form)
        elif self.form is None or (not name and tag != "option"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "").lower()
            if kind in {"file", "image", "reset"}:
                return
            self.form.fields.setdefault(name, [])
            if kind in {"checkbox", "radio"}:
                self.form.choices.add(name)
                if "checked" in attrs:
                    self.form.fields[name].append(attrs.get("value") or "on")
                elif kind == "radio" and not self.form.fields[name]:
                    self.form.fields[name].append(attrs.get("value") or "")
                return
            if kind == "submit":  # the first button, as pressing Enter sends
                if not self.button:
                    self.form.fields[name] = [attrs.get("value") or ""]
                self.button = True
                return
            if kind in self.TEXT_TYPES:
                self.form.text.add(name)
            self.form.fields[name] = [attrs.get("value") or sample(name, attrs)]
        elif tag == "button" and not self.button:
            self.button = True
            self.form.fields[name] = [attrs.get("value") or ""]
        elif tag == "select":
            self.select, self.selected = name, False
            self.form.choices.add(name)
            self.form.fields[name] = []
        elif tag == "option" and self.select:
            # The option selected, else the first that is not empty.
            values = self.form.fields[self.select]
            if "selected" in attrs:
                self.selected = True
            if "selected" in attrs or not (self.selected or any(values)):
                self.form.fields[self.select] = [attrs.get("value") or ""]
        elif tag == "textarea":
            self.textarea = name
            self.form.text.add(name)
            self.form.fields[name] = [sample(name, attrs)]

    def handle_data(self, data):
        if self.textarea and self.form is not None and data.strip():
            self.form.fields[self.textarea] = [data.strip("\n")]

    def handle_endtag(self, tag):
        if tag == "form":
            self.form, self.button = None, False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_of(page: str, html: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    return parser.forms


def route_of(action: str) -> str | None:
    try:
        match = resolve(urlsplit(action).path)
    except Resolver404:
        return None
    return match.view_name


# Requests, each in a savepoint rolled back


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)

    def check(self, client, method, url, data, *, who, what, typed=()):
        cache.clear()  # rate limits would answer 429 before the form is read
        try:
            with transaction.atomic():
                if method == "post":
                    response = client.post(url, data)
                else:
                    response = client.get(url, data)
                transaction.set_rollback(True)
        except Exception as error:
            self.problems.append(f"{who} {method} {url} {what}: {error!r}")
            return None
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{who} {method} {url} {what}: {status}")
        elif status == 400:
            self.refusal_explained(response, who, method, url, what, typed)
        return response

    def refusal_explained(self, response, who, method, url, what, typed):
        content = response.content.decode()
        if response.get("Content-Type", "").startswith("application/json"):
            if '"message"' not in content and '"errors"' not in content:
                self.problems.append(f"{who} {method} {url} {what}: 400 unexplained")
            return
        if not any(marker in content for marker in ERROR_MARKERS):
            self.problems.append(f"{who} {method} {url} {what}: 400 without message")
        for name, value in typed:
            if value and "\x00" not in value and escape(value) not in content:
                self.problems.append(f"{who} {method} {url} {what}: {name} lost")


# The pages' forms, read once per module: by role, by the route they target


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo = demo_build()
        demo.forms, demo.statuses = pages_crawl(demo)
        yield demo
        transaction.set_rollback(True)


def pages_crawl(demo: Demo) -> tuple[dict, dict]:
    """Each page as each role: its status, and the forms found, by the route
    they send to (a form shown on several pages counts once)."""
    found: dict = {}
    statuses = {}
    for role in ROLES:
        client = client_as(demo, role)
        seen = set()
        for route in ROUTES:
            with transaction.atomic():
                response = client.get(page_url(demo, route))
                transaction.set_rollback(True)
            statuses[role, route.name] = response.status_code
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                continue
            for form in forms_of(page_url(demo, route), response.content.decode()):
                target = route_of(form.action)
                if form.key in seen or target not in ROUTE_NAMES:
                    continue
                seen.add(form.key)
                found.setdefault((role, target), []).append(form)
    return found, statuses


ROUTE_NAMES = {route.name for route in ROUTES}


def served(response) -> bool:
    """The form was read for this role: not refused, nor sent to log in first."""
    login = reverse("account_login")
    return response is not None and not (
        response.status_code in {403, 404, 405}
        or response.get("Location", "").startswith(login)
    )


def posted(form: Form, changes: dict[str, str]) -> dict:
    data = {name: values for name, values in form.fields.items() if values}
    data.update({name: [value] for name, value in changes.items()})
    return data


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_hostile_input_never_breaks_the_route(demo, db, route):
    """The first role shown the page (or a form sending here) gets every hostile
    value in all its parameters (fields) at once, then each one alone; the other
    roles, the values of HOSTILE_ALONE all at once (the same code reads them)."""
    outcome = Outcome()
    url = page_url(demo, route)
    tried = set()  # the page and the forms, by a role before
    for role in ROLES:
        client, who = client_as(demo, role), str(role)
        forms = demo.forms.get((role, route.name), [])
        found = {n for f in forms if f.method == "get" for n in f.fields}
        first = demo.statuses[role, route.name] == 200 and url not in tried
        if first:
            tried.add(url)
        for label in HOSTILE if first else HOSTILE_ALONE:
            query = dict.fromkeys(found | set(COMMON_PARAMS), HOSTILE[label])
            outcome.check(client, "get", url, query, who=who, what=f"all={label}")
        for name, label in product(sorted(found) if first else [], HOSTILE_ALONE):
            query, what = {name: HOSTILE[label]}, f"{name}={label}"
            outcome.check(client, "get", url, query, who=who, what=what)
        for form in (f for f in forms if f.method == "post"):
            shown = posted(form, {})
            answer = outcome.check(client, "post", form.action, shown, who=who, what="")
            first = form.key not in tried and served(answer)
            if first:
                tried.add(form.key)
            names = [n for n in form.fields if n != "csrfmiddlewaretoken"]
            typed_in = [n for n in names if n in form.text]
            for label in HOSTILE if first else HOSTILE_ALONE:
                value = HOSTILE[label]
                changes = dict.fromkeys([*typed_in, *form.choices], value)
                outcome.check(
                    client, "post", form.action, posted(form, changes), who=who,
                    what=f"all={label}", typed=[(n, value) for n in typed_in],
                )  # fmt: skip
            for name, label in product(names if first else [], HOSTILE_ALONE):
                value = HOSTILE[label]
                outcome.check(
                    client, "post", form.action, posted(form, {name: value}),
                    who=who, what=f"{name}={label}",
                    typed=[(name, value)] if name in form.text else [],
                )  # fmt: skip
    assert not outcome.problems, "\n".join(outcome.problems)


def test_the_walk_covers_every_route_of_the_url_conf():
    """A new route is either walked (and filled, when it has parameters) or
    served by a library: adding one without a filling fails here."""
    for name, prefix, pattern in url_patterns():
        namespace = name.split(":")[0]
        if namespace in TEST_ONLY_NAMESPACES or prefix.startswith(WAGTAIL_ADMIN):
            continue
        assert name in ROUTE_NAMES or view_module(pattern).startswith(FOREIGN), name
    unfilled = {r.name for r in ROUTES if r.params and r.name not in FILLINGS}
    assert unfilled == set()
    assert set(FILLINGS) <= ROUTE_NAMES  # no filling left for a removed route
