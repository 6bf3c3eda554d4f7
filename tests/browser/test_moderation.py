"""The moderation back office in a real browser (issue 6, acceptance 6).

The queue and a proposal's moderation page have zero axe-core violations, also
with errors shown; a moderator publishes a proposal with the keyboard alone, and
publishes from the queue with JavaScript turned off.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from carte.roles import Role
from participation import workflow
from participation.models import ModerationEvent, Proposal, Report
from tests.browser.conftest import logged_in, tab_to
from tests.factories import (
    CommentFactory,
    CycleFactory,
    ProposalFactory,
    UserFactory,
    staff_member,
)

pytestmark = pytest.mark.browser

QUEUE = reverse("participation:moderation-queue")


@pytest.fixture
def commune(live_organisation):
    """The live commune with an open cycle, a moderator (with TOTP), two
    submitted proposals and a reported one with a reported comment."""
    cycle = CycleFactory(organisation=live_organisation, title="Budget 2027")
    moderator = staff_member(live_organisation, Role.MODERATOR)
    waiting = [
        ProposalFactory(
            cycle=cycle,
            title=title,
            status=workflow.Status.SUBMITTED,
            published_at=None,
        )
        for title in ("Des nichoirs au parc", "Un composteur partagé")
    ]
    reported = ProposalFactory(cycle=cycle, title="Une idée signalée")
    comment = CommentFactory(proposal=reported, body="Un commentaire signalé")
    Report.objects.create(
        organisation=live_organisation,
        proposal=reported,
        reporter=UserFactory(),
        reason="spam",
    )
    Report.objects.create(
        organisation=live_organisation,
        comment=comment,
        reporter=UserFactory(),
        reason="offensive",
    )
    return {
        "organisation": live_organisation,
        "moderator": moderator,
        "waiting": waiting,
        "reported": reported,
    }


def test_the_queue_has_no_accessibility_violation(
    commune, new_context, live_server, axe
):
    page = logged_in(new_context, live_server, commune["moderator"], bypass_csp=True)
    for section in ("nouvelles", "modifications", "signalements"):
        response = page.goto(f"{QUEUE}?section={section}")
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_have_text("Modération")
        axe(page)
    expect(page.locator("main")).to_contain_text("Un commentaire signalé")


def test_the_moderation_page_has_no_accessibility_violation(
    commune, new_context, live_server, axe
):
    page = logged_in(new_context, live_server, commune["moderator"], bypass_csp=True)
    for proposal in (commune["waiting"][0], commune["reported"]):
        url = reverse("participation:moderation-proposal", args=[proposal.pk])
        assert page.goto(url).status == 200
        expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title)
        axe(page)
    # Errors shown: a forward without its explanation.
    page.get_by_role("button", name="Transmettre à l'organisme compétent").click()
    expect(page.locator("#error-summary").first).to_be_visible()
    axe(page)


def test_a_moderator_publishes_a_proposal_with_the_keyboard_only(
    commune, new_context, live_server
):
    page = logged_in(new_context, live_server, commune["moderator"])
    first = commune["waiting"][0]
    page.goto(QUEUE)
    page_url = reverse("participation:moderation-proposal", args=[first.pk])
    tab_to(page, f"a[href='{page_url}']", limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    action = reverse(
        "participation:moderation-action", args=[first.pk, workflow.Action.PUBLISH]
    )
    tab_to(page, f"form[action='{action}'] button[type='submit']", limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("C'est fait")
    first.refresh_from_db()
    assert first.status == workflow.Status.PUBLISHED
    assert ModerationEvent.objects.filter(proposal=first).count() == 1


def test_bulk_publish_works_without_javascript(commune, new_context, live_server):
    page = logged_in(
        new_context, live_server, commune["moderator"], java_script_enabled=False
    )
    page.goto(QUEUE)
    for proposal in commune["waiting"]:
        page.get_by_label(f"Publier « {proposal.title} »").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Publier les idées cochées").click()
    expect(page.locator(".messages")).to_contain_text("2 idées publiées")
    assert set(
        Proposal.objects.filter(pk__in=[p.pk for p in commune["waiting"]]).values_list(
            "status", flat=True
        )
    ) == {workflow.Status.PUBLISHED}


def test_a_standard_reply_fills_the_explanation_without_erasing_typed_text(
    commune, new_context, live_server
):
    from participation.models import StandardReply

    organisation = commune["organisation"]
    for title, body in (
        ("Hors compétence", "Cette idée ne relève pas de la commune."),
        ("Pas un investissement", "Le budget finance des travaux."),
    ):
        StandardReply.objects.create(
            organisation=organisation, use="reject", title=title, body=body
        )
    proposal = commune["waiting"][0]
    page = logged_in(new_context, live_server, commune["moderator"])  # CSP on
    page.goto(reverse("participation:moderation-proposal", args=[proposal.pk]))
    reason = page.locator("#id_reject_reason")
    page.locator("#id_reject_reply").select_option(label="Hors compétence")
    expect(reason).to_have_value("Cette idée ne relève pas de la commune.")
    page.locator("#id_reject_reply").select_option(label="Pas un investissement")
    expect(reason).to_have_value("Le budget finance des travaux.")
    reason.fill("Mon texte à moi.")
    page.locator("#id_reject_reply").select_option(label="Hors compétence")
    expect(reason).to_have_value("Mon texte à moi.")
