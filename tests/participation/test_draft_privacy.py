"""Drafts are their author's alone (issue 12, acceptance 4): no staff role opens,
lists or changes a resident's unsent draft, on any route taking a proposal
(generated from the URL conf), in the lists, the map data or the back office."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from carte.roles import Role
from participation import workflow
from participation.models import Proposal
from tests.conftest import client_for
from tests.factories import ProposalFactory

TITLE = "Mon brouillon secret"


def routes(patterns=None, prefix="", namespace=None):
    """(namespace:name, pattern) of every route of the URL conf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                pattern.namespace or namespace,
            )
        elif pattern.name:
            yield f"{namespace}:{pattern.name}", prefix + str(pattern.pattern)


# Routes whose <int:pk> is something else than a proposal (a comment, a
# project...). A new route with a pk must be named here or be a proposal's.
NOT_A_PROPOSAL = {
    "participation:cycle-manage-edit",
    "participation:comment-edit",
    "participation:comment-delete",
    "participation:comment-hide",
    "participation:comment-restore",
    "participation:moderation-comment",
    "participation:moderation-reply-edit",
    "participation:moderation-reply-toggle",
    "budget:department-edit",
    "budget:review-edit",
    "budget:project-edit",
    "budget:project-comment-moderate",
    "budget:project-detail",
    "budget:project-comment",
}
EXTRA_ARGS = {
    "participation:moderation-action": {"action": workflow.Action.PUBLISH},
    "participation:report-create": {"target": "proposition"},
}
ROUTES_WITH_PK = sorted(
    name
    for name, pattern in routes()
    if name.split(":")[0] in {"participation", "budget"} and "<int:pk>" in pattern
)
PROPOSAL_ROUTES = [name for name in ROUTES_WITH_PK if name not in NOT_A_PROPOSAL]


def test_every_route_with_a_pk_is_classified():
    # The proposal routes are those not named above; a few must be among them.
    assert {
        "participation:proposal-detail",
        "participation:proposal-edit",
        "participation:moderation-proposal",
        "participation:proposal-merge",
        "budget:review-assign",
    } <= set(PROPOSAL_ROUTES)
    assert NOT_A_PROPOSAL <= set(ROUTES_WITH_PK)


@pytest.fixture
def draft(cycle):
    return ProposalFactory(
        cycle=cycle,
        title=TITLE,
        status=workflow.Status.DRAFT,
        published_at=None,
    )


def url_of(name: str, draft: Proposal) -> str:
    return reverse(name, kwargs={"pk": draft.pk, **EXTRA_ARGS.get(name, {})})


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", PROPOSAL_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_staff_role_reaches_a_draft(method, name, role, draft, staff_of):
    _member, client = staff_of(draft.organisation, role)
    data = {"reason": "x", "category": "other", "into": "1", "action": "submit"}
    response = getattr(client, method)(
        url_of(name, draft), data if method == "post" else None
    )
    assert response.status_code in {403, 404, 405}, (name, response.status_code)
    assert TITLE not in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.hidden_at) == (workflow.Status.DRAFT, None)
    assert not draft.events.exists()


def test_its_author_still_reads_and_edits_the_draft(draft):
    client = client_for(draft.organisation, draft.author)
    for name in ("participation:proposal-detail", "participation:proposal-edit"):
        response = client.get(url_of(name, draft))
        assert response.status_code == 200
        assert TITLE in response.content.decode()


LISTS = [
    "participation:proposal-list",
    "participation:proposal-map",
    "participation:moderation-queue",
    "budget:review-to-assign",
]


@pytest.mark.parametrize("role", list(Role))
def test_no_staff_list_or_map_data_shows_a_draft(role, draft, staff_of):
    _member, client = staff_of(draft.organisation, role)
    for name in LISTS:
        response = client.get(reverse(name))
        assert TITLE not in response.content.decode(), name
    for query in ("", "?status=draft", "?q=brouillon"):
        response = client.get(reverse("participation:proposal-list") + query)
        assert TITLE not in response.content.decode(), query
    geojson = client.get(
        reverse("participation:proposal-geojson") + "?bbox=-180,-90,180,90&status=draft"
    )
    assert TITLE not in geojson.content.decode()
    similar = client.get(reverse("participation:proposal-similar") + "?titre=brouillon")
    assert TITLE not in similar.content.decode()
