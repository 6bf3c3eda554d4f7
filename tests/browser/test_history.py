"""A proposal's public history, merged proposals and the merge page in a real
browser (issue 6, acceptance 5 and 6): zero axe-core violations, and a supporter
carries their support over with the keyboard alone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from carte.roles import Role
from carte.tenancy import Actor
from participation.models import Support
from participation.services.merging import proposal_merge
from participation.services.moderation import proposal_transition
from participation.services.supports import support_add
from tests.browser.conftest import log_in, logged_in, tab_to
from tests.factories import (
    CycleFactory,
    MembershipFactory,
    ProposalFactory,
    UserFactory,
    staff_member,
)

pytestmark = pytest.mark.browser

DAY = datetime(2026, 3, 3, 10, tzinfo=ZoneInfo("Europe/Paris"))
FEASIBLE = "Le terrain appartient à la commune ; coût estimé avec les services."


@pytest.fixture
def commune(live_organisation):
    cycle = CycleFactory(organisation=live_organisation, slug="budget-2027")
    moderator = staff_member(live_organisation, Role.MODERATOR)
    reviewer = MembershipFactory(
        organisation=live_organisation, role=Role.REVIEWER
    ).user
    return {
        "organisation": live_organisation,
        "cycle": cycle,
        "moderator": moderator,
        "reviewer": reviewer,
    }


def act(proposal, action, actor, **fields):
    proposal_transition(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        action=action,
        actor=Actor.for_user(actor, proposal.organisation),
        now=DAY,
        **fields,
    )


@pytest.fixture
def merged(commune):
    """A merged original with one supporter, and the proposal it lives on in."""
    cycle = commune["cycle"]
    original = ProposalFactory(cycle=cycle, title="Des bancs sur la promenade")
    target = ProposalFactory(cycle=cycle, title="Installer des bancs promenade")
    supporter = UserFactory()
    support_add(
        organisation=commune["organisation"], proposal_id=original.pk, user=supporter
    )
    proposal_merge(
        organisation=commune["organisation"],
        proposal_id=original.pk,
        into_id=target.pk,
        actor=Actor.for_user(commune["moderator"], commune["organisation"]),
        reason="Les deux idées demandent des bancs au même endroit.",
    )
    return original, target, supporter


def test_a_studied_proposal_shows_its_full_history(axe_page, axe, commune):
    author = UserFactory()
    proposal = ProposalFactory(
        cycle=commune["cycle"], author=author, status="draft", published_at=None
    )
    act(proposal, "submit", author)
    act(proposal, "publish", commune["moderator"])
    act(proposal, "start_study", commune["moderator"])
    act(proposal, "mark_feasible", commune["reviewer"], reason=FEASIBLE)
    axe_page.goto(proposal.get_absolute_url())
    history = axe_page.locator("#historique ol > li")
    expect(history).to_have_count(4)
    expect(history.nth(0)).to_contain_text("3 mars 2026 – Déposée par son auteur")
    expect(history.nth(1)).to_contain_text("Publiée par la modération")
    expect(history.nth(2)).to_contain_text("Envoyée à l'étude par la modération")
    expect(history.nth(3)).to_contain_text(
        "Déclarée réalisable par un service de la ville"
    )
    expect(history.nth(3)).to_contain_text(FEASIBLE)
    expect(axe_page.locator("#historique")).not_to_contain_text(
        commune["moderator"].pseudonym
    )
    axe(axe_page)


def test_a_merged_original_has_no_accessibility_violation(
    new_context, live_server, axe, merged
):
    original, target, supporter = merged
    page = logged_in(new_context, live_server, supporter, bypass_csp=True)
    page.goto(original.get_absolute_url())
    banner = page.locator("#fusion")
    expect(banner).to_contain_text(
        f"Cette proposition a été fusionnée avec « {target.title} » (n° {target.pk})"
    )
    expect(
        banner.get_by_role(
            "button", name=f"Reporter mon soutien sur la proposition n° {target.pk}"
        )
    ).to_be_visible()
    axe(page)
    page.goto(target.get_absolute_url())
    expect(page.get_by_text("Fusionne les propositions")).to_be_visible()
    axe(page)


def test_the_merge_page_has_no_accessibility_violation(
    new_context, live_server, axe, commune
):
    original = ProposalFactory(cycle=commune["cycle"], title="Des bancs au parc")
    ProposalFactory(cycle=commune["cycle"], title="Bancs dans le parc")
    page = logged_in(new_context, live_server, commune["moderator"], bypass_csp=True)
    response = page.goto(reverse("participation:proposal-merge", args=[original.pk]))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Fusionner un doublon")
    axe(page)
    page.get_by_role("button", name="Fusionner les idées").click()  # errors shown
    expect(page.locator("#error-summary")).to_be_visible()
    axe(page)


def test_a_supporter_carries_their_support_over_with_the_keyboard(page, merged):
    original, target, supporter = merged
    log_in(page, supporter.email)
    page.goto(original.get_absolute_url())
    tab_to(page, "#fusion button[type='submit']", limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(target.get_absolute_url() + "#soutiens")
    expect(page.locator(".messages")).to_contain_text("Votre soutien va désormais à")
    assert list(
        Support.objects.filter(user=supporter).values_list("proposal", flat=True)
    ) == [target.pk]
    original.refresh_from_db()
    target.refresh_from_db()
    assert (original.support_count, target.support_count) == (0, 1)
