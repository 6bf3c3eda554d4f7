"""Every Agora route of the URL conf, and how to fill it with demo objects.

STYLE section 10: lists of pages are generated, not chosen. The permission matrix,
the back-office accessibility walk and the bad-input pass take their pages from
here, and tests/test_routes.py fails when a route of the URL conf cannot be
filled or is in no walk.

API (for any walk):

- `agora_routes() -> list[Route]`: every route whose view is Agora's code (the
  apps and config), walked recursively through the URL conf with namespaces;
  allauth, Wagtail, Django's own views and the API schema are left out, and so
  are the test-only pages of `carte.urls.testing`.
- `Route`: `name` (what `reverse()` takes, "budget:review-edit"), `pattern` (the
  full path pattern, "gestion/instruction/<int:pk>/"), `arguments` (the URL
  keyword arguments), `methods` (the HTTP methods the view accepts, read from
  its `require_http_methods` decorators or its class), `is_backoffice` (under
  /gestion/), `post_only`, and `path(objects)`: the URL filled from a dict of
  demo objects (`demo_objects()` builds one).
- `FILLS`: for each route with arguments, where each argument comes from: the
  key of an object of the dict (its `pk` for an `<int:>` argument, its `slug`
  for a `<slug:>` one, an `attribute` if named) or a fixed `Value`.
- `demo_objects(organisation, *, reviewer)`: one object of each kind the routes
  name, in the organisation (`reviewer` studies for the department).

A new route with arguments needs its line in FILLS, and a walk that covers it.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from budget import lifecycle
from carte.models import Organisation, User
from carte.roles import Role
from participation import workflow
from participation.models import Report, StandardReply
from participation.services.moderation import standard_replies_seed
from tests import factories

# Agora's code; a view of another package (allauth, Wagtail, Django, DRF
# Spectacular) is not ours to walk.
AGORA_PACKAGES = ("carte", "participation", "budget", "cms", "config")
# Namespaces of ours that are not the site: the map sandbox of browser tests.
SKIPPED_NAMESPACES = frozenset({"testing"})
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Value:
    """A fixed value for a URL argument (an action's code, a report's target)."""

    text: str


@dataclass(frozen=True)
class From:
    """An attribute of one of the demo objects (`pk` or `slug` when not named)."""

    key: str
    attribute: str | None = None


# Where each argument of each route comes from. A bare string is From(key).
FILLS: dict[str, dict[str, str | From | Value]] = {
    # Carte: the team and the districts.
    "carte:membership-edit": {"pk": "membership"},
    "carte:district-edit": {"pk": "district"},
    "carte:district-detail": {"pk": "district"},
    # Participation: public pages.
    "participation:cycle-detail": {"slug": "cycle"},
    "participation:proposal-create": {"slug": "cycle"},
    "participation:proposal-detail": {"pk": "proposal"},
    "participation:proposal-edit": {"pk": "draft"},
    "participation:proposal-submit": {"pk": "draft"},
    "participation:proposal-withdraw": {"pk": "proposal"},
    # Counter consent: an unknown token gets its 400 page with a message.
    "participation:claim-confirm": {"token": Value("not-a-valid-claim")},
    "participation:support-add": {"pk": "proposal"},
    "participation:support-withdraw": {"pk": "proposal"},
    "participation:support-carry-over": {"pk": "proposal"},
    "participation:comment-create": {"pk": "proposal"},
    "participation:comment-edit": {"pk": "comment"},
    "participation:comment-delete": {"pk": "comment"},
    "participation:comment-hide": {"pk": "comment"},
    "participation:comment-restore": {"pk": "comment"},
    "participation:report-create": {"target": Value("proposition"), "pk": "proposal"},
    "participation:follow": {"pk": "proposal"},
    "participation:unfollow": {"pk": "proposal"},
    # Participation: back office.
    "participation:cycle-manage-edit": {"pk": "cycle"},
    "participation:moderation-proposal": {"pk": "submitted_proposal"},
    "participation:moderation-action": {
        "pk": "submitted_proposal",
        "action": Value(workflow.Action.PUBLISH),
    },
    "participation:moderation-hide": {"pk": "proposal"},
    "participation:moderation-restore": {"pk": "proposal"},
    "participation:moderation-dismiss": {"pk": "proposal"},
    "participation:moderation-comment": {"pk": "comment", "verb": Value("classer")},
    "participation:moderation-account": {"user_id": From("author")},
    "participation:moderation-unblock": {"user_id": From("author")},
    "participation:moderation-reply-edit": {"pk": "reply"},
    "participation:moderation-reply-toggle": {"pk": "reply"},
    "participation:proposal-merge": {"pk": "proposal"},
    # Budget.
    "budget:department-edit": {"pk": "department"},
    "budget:review-assign": {"pk": "proposal"},
    "budget:review-edit": {"pk": "review"},
    "budget:project-edit": {"pk": "project"},
    "budget:project-comment-moderate": {"pk": "project_comment"},
    "budget:project-detail": {"pk": "project"},
    "budget:project-comment": {"pk": "project"},
}


@dataclass(frozen=True)
class Route:
    """One named route of Agora's URL conf."""

    name: str
    pattern: str
    arguments: tuple[str, ...]
    converters: Mapping[str, str]
    methods: frozenset[str]
    view: Callable

    @property
    def is_backoffice(self) -> bool:
        return self.pattern.startswith("gestion/")

    @property
    def post_only(self) -> bool:
        return "GET" not in self.methods

    def kwargs(self, objects: Mapping[str, Any]) -> dict[str, Any]:
        """The URL arguments filled from `objects` (KeyError: no way to fill)."""
        fills = FILLS.get(self.name, {})
        values = {}
        for argument in self.arguments:
            source = fills[argument]
            if isinstance(source, Value):
                values[argument] = source.text
                continue
            if isinstance(source, str):
                source = From(source)
            default = "slug" if self.converters[argument] == "slug" else "pk"
            values[argument] = getattr(objects[source.key], source.attribute or default)
        return values

    def path(self, objects: Mapping[str, Any] | None = None) -> str:
        return reverse(self.name, kwargs=self.kwargs(objects or {}))


def view_methods(view: Callable) -> frozenset[str]:
    """The methods a view accepts: its class's handlers, or the narrowest list of
    its `require_http_methods` decorators (a plain function view takes any)."""
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is not None:
        return frozenset(m for m in METHODS if hasattr(view_class, m.lower()))
    allowed = frozenset(METHODS)
    function = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            allowed &= frozenset(cell.cell_contents)
        function = getattr(function, "__wrapped__", None)
    return allowed & {"GET", "POST"} or allowed


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str, str | None, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if not _is_agora(entry.urlconf_module):
                continue  # Wagtail's admin, allauth: their views are theirs
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), namespace, entry


def _is_agora(code: Any) -> bool:
    """Whether a view, or an included URL conf, is Agora's (a list of patterns
    included as such is the including module's)."""
    if isinstance(code, list | tuple):
        return True
    module = getattr(code, "__module__", None) or getattr(code, "__name__", "")
    return module.split(".")[0] in AGORA_PACKAGES


def agora_routes() -> list[Route]:
    """Every route of the URL conf whose view is Agora's, by pattern then name."""
    routes = {}
    for pattern, namespace, entry in _walk(get_resolver()):
        if not _is_agora(entry.callback) or namespace in SKIPPED_NAMESPACES:
            continue
        if entry.name is None:
            raise AssertionError(f"{pattern}: an Agora route needs a name")
        name = f"{namespace}:{entry.name}" if namespace else entry.name
        converters = {
            key: type(converter).__name__.removesuffix("Converter").lower()
            for key, converter in entry.pattern.converters.items()
        }
        # Inner patterns of an include() hold their own converters; the prefix's
        # ones (none in Agora) would be missing here.
        arguments = tuple(converters)
        routes[name] = Route(
            name=name,
            pattern=pattern,
            arguments=arguments,
            converters=converters,
            methods=view_methods(entry.callback),
            view=entry.callback,
        )
    return sorted(routes.values(), key=lambda route: (route.pattern, route.name))


def backoffice_routes() -> list[Route]:
    return [route for route in agora_routes() if route.is_backoffice]


def demo_objects(organisation: Organisation, *, reviewer: User) -> dict[str, Any]:
    """One object of each kind the routes name, in `organisation`.

    `cycle` is in its ideas phase; `proposal` is published, reported, with a
    reported `comment` by another account; `submitted_proposal` waits for the
    moderators; `draft` is its author's; `review` is open, in `department`,
    which `reviewer` belongs to; `project` is in preparation, with
    `project_comment`; `author` wrote `proposal`.
    """
    cycle = factories.CycleFactory(organisation=organisation)
    proposal = factories.ProposalFactory(cycle=cycle, title="Des bancs au parc")
    comment = factories.CommentFactory(proposal=proposal, body="Un avis signalé")
    reporter = factories.UserFactory()
    for target in ({"proposal": proposal}, {"comment": comment}):
        Report.objects.create(
            organisation=organisation, reporter=reporter, reason="spam", **target
        )
    department = factories.DepartmentFactory(organisation=organisation)
    department.members.add(reviewer)
    review = factories.ReviewFactory(
        proposal=factories.ProposalFactory(
            cycle=cycle, status=workflow.Status.UNDER_STUDY, title="Un composteur"
        ),
        department=department,
        reviewer=reviewer,
        due_on=timezone.localdate(),
    )
    project = factories.ProjectFactory(
        cycle=cycle, status=lifecycle.Status.IN_PREPARATION
    )
    if not StandardReply.objects.for_organisation(organisation).exists():
        standard_replies_seed(organisation=organisation)
    return {
        "organisation": organisation,
        "cycle": cycle,
        "district": factories.DistrictFactory(organisation=organisation),
        "membership": factories.MembershipFactory(
            organisation=organisation, role=Role.MODERATOR
        ),
        "proposal": proposal,
        "author": proposal.author,
        "comment": comment,
        "submitted_proposal": factories.ProposalFactory(
            cycle=cycle,
            status=workflow.Status.SUBMITTED,
            published_at=None,
            title="Une fontaine à eau",
        ),
        "draft": factories.ProposalFactory(
            cycle=cycle,
            status=workflow.Status.DRAFT,
            published_at=None,
            title="Un brouillon",
        ),
        "department": department,
        "review": review,
        "project": project,
        "project_comment": factories.ProjectCommentFactory(project=project),
        "reply": StandardReply.objects.for_organisation(organisation)
        .order_by("pk")
        .first(),
    }
