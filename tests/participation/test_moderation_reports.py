"""Reported contents (issue 6, acceptance 4): hidden after N distinct accounts
report them, pending review; moderators hide, restore, or dismiss the reports;
every decision is audited, and a hidden proposal leaves the public's sight."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from carte.models import AuditEvent
from carte.roles import Role
from participation.models import Comment, Proposal, Report
from participation.services.reports import (
    proposal_hide,
    proposal_restore,
    report_create,
    reports_dismiss,
)
from tests.conftest import client_for
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.participation.test_moderation_queue import WHO, client_of


@pytest.fixture
def proposal(cycle):
    return ProposalFactory(cycle=cycle, title="Un parc à chiens")


def report(proposal=None, comment=None, reporter=None, reason="spam"):
    target = proposal or comment
    return report_create(
        organisation=target.organisation,
        reporter=reporter or UserFactory(),
        reason=reason,
        proposal_id=proposal.pk if proposal else None,
        comment_id=comment.pk if comment else None,
    )


def test_a_proposal_is_hidden_after_three_distinct_reports(proposal):
    report(proposal)
    report(proposal)
    proposal.refresh_from_db()
    assert proposal.hidden_at is None
    report(proposal, reason="offensive")
    proposal.refresh_from_db()
    assert proposal.hidden_at is not None
    assert proposal.hidden_by is None
    assert proposal.hidden_reason
    assert not proposal.is_public
    assert not Proposal.objects.published().filter(pk=proposal.pk).exists()
    audit = AuditEvent.objects.get(action="proposal_auto_hide")
    assert audit.target == f"proposal:{proposal.pk}"
    assert audit.actor is None
    assert audit.data["reporters"] == 3


@override_settings(AGORA_REPORTS_TO_HIDE=2)
def test_the_number_of_reports_comes_from_the_settings(proposal):
    report(proposal)
    report(proposal)
    proposal.refresh_from_db()
    assert proposal.hidden_at is not None


@override_settings(AGORA_REPORTS_TO_HIDE=2)
def test_the_same_account_reporting_twice_counts_once(proposal):
    reporter = UserFactory()
    report(proposal, reporter=reporter)
    with pytest.raises(ValidationError):
        report(proposal, reporter=reporter)
    proposal.refresh_from_db()
    assert proposal.hidden_at is None
    assert Report.objects.count() == 1


@override_settings(AGORA_REPORTS_TO_HIDE=2)
def test_resolved_reports_no_longer_count(proposal, organisation, staff_of):
    moderator, _client = staff_of(organisation, Role.MODERATOR)
    report(proposal)
    reports_dismiss(organisation=organisation, actor=moderator, proposal_id=proposal.pk)
    report(proposal)
    proposal.refresh_from_db()
    assert proposal.hidden_at is None


@override_settings(AGORA_REPORTS_TO_HIDE=2)
def test_a_comment_is_hidden_and_the_count_stays_exact(proposal):
    comment = CommentFactory(proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=1)
    report(comment=comment)
    report(comment=comment)
    comment.refresh_from_db()
    proposal.refresh_from_db()
    assert comment.hidden_at is not None and comment.hidden_by is None
    assert proposal.comment_count == 0
    assert AuditEvent.objects.filter(
        action="comment_auto_hide", target=f"comment:{comment.pk}"
    ).exists()


@override_settings(AGORA_REPORTS_TO_HIDE=2)
def test_restore_shows_it_again_and_resolves_its_reports(
    proposal, organisation, staff_of
):
    moderator, client = staff_of(organisation, Role.MODERATOR)
    report(proposal)
    report(proposal)
    url = reverse("participation:moderation-restore", args=[proposal.pk])
    assert client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.hidden_at is None and proposal.is_public
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert set(Report.objects.values_list("resolved_by", flat=True)) == {moderator.pk}
    assert AuditEvent.objects.filter(
        action="proposal_restore", actor=moderator
    ).exists()
    public = client_for(organisation).get(proposal.get_absolute_url())
    assert public.status_code == 200


@override_settings(AGORA_REPORTS_TO_HIDE=2)
def test_a_hidden_proposal_is_hidden_from_the_public_only(
    proposal, organisation, staff_of
):
    report(proposal)
    report(proposal)
    url = proposal.get_absolute_url()
    assert client_for(organisation).get(url).status_code == 404
    assert client_for(organisation, UserFactory()).get(url).status_code == 404
    assert client_for(organisation, proposal.author).get(url).status_code == 200
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    assert client.get(url).status_code == 200


def test_a_moderator_hides_a_proposal_with_a_reason(proposal, organisation, staff_of):
    moderator, client = staff_of(organisation, Role.MODERATOR)
    report(proposal)
    url = reverse("participation:moderation-hide", args=[proposal.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.hidden_at is None
    assert (
        client.post(url, {"reason": "Propos injurieux", "confirm": "on"}).status_code
        == 302
    )
    proposal.refresh_from_db()
    assert (proposal.hidden_reason, proposal.hidden_by) == (
        "Propos injurieux",
        moderator,
    )
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert AuditEvent.objects.get(action="proposal_hide").data["reason"] == (
        "Propos injurieux"
    )


def test_dismissing_reports_keeps_the_content(proposal, organisation, staff_of):
    moderator, client = staff_of(organisation, Role.MODERATOR)
    report(proposal)
    url = reverse("participation:moderation-dismiss", args=[proposal.pk])
    assert client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_public
    assert Report.objects.get().resolved_by == moderator
    assert AuditEvent.objects.filter(action="reports_dismiss").count() == 1
    with pytest.raises(ValidationError) as error:
        reports_dismiss(
            organisation=organisation, actor=moderator, proposal_id=proposal.pk
        )
    assert error.value.code == "no_report"


@override_settings(AGORA_REPORTS_TO_HIDE=2)
def test_reported_comments_are_handled_from_the_moderation_page(
    proposal, organisation, staff_of
):
    moderator, client = staff_of(organisation, Role.MODERATOR)
    kept, hidden = CommentFactory.create_batch(2, proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=2)
    report(comment=kept)
    report(comment=hidden)
    report(comment=hidden)  # hidden by reports
    page = reverse("participation:moderation-proposal", args=[proposal.pk])
    html = client.get(page).content.decode()
    assert kept.body in html and hidden.body in html
    restore = reverse("participation:moderation-comment", args=[hidden.pk, "retablir"])
    assert client.post(restore).status_code == 302
    keep = reverse("participation:moderation-comment", args=[kept.pk, "classer"])
    assert client.post(keep).status_code == 302
    hide = reverse("participation:moderation-comment", args=[kept.pk, "masquer"])
    assert client.post(hide, {"reason": ""}).status_code == 400
    assert (
        client.post(
            hide, {"reason": "Hors sujet", "category": "off_topic", "confirm": "on"}
        ).status_code
        == 302
    )
    kept.refresh_from_db()
    hidden.refresh_from_db()
    proposal.refresh_from_db()
    assert hidden.hidden_at is None
    assert (kept.hidden_reason, kept.hidden_by) == ("Hors sujet", moderator)
    assert kept.hidden_category == Comment.HideCategory.OFF_TOPIC
    assert proposal.comment_count == 1
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


@override_settings(AGORA_REPORTS_TO_HIDE=2)
def test_the_reports_section_lists_reporters_reasons_and_hidden_state(
    proposal, organisation, staff_of
):
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    comment = CommentFactory(proposal=proposal, body="Un commentaire douteux")
    report(comment=comment, reason="off_topic")
    report(proposal, reason="spam")
    report(proposal, reason="offensive")  # hidden by reports
    response = client.get(
        reverse("participation:moderation-queue"), {"section": "signalements"}
    )
    html = response.content.decode()
    assert proposal.title in html and "Un commentaire douteux" in html
    # Oldest report first: the comment's row, then the proposal's.
    assert html.index("Un commentaire douteux") < html.index(f">{proposal.title}</a>")
    assert "Advertising or spam (1)" in html or "Publicité" in html
    visible = client.get(
        reverse("participation:moderation-queue"),
        {"section": "signalements", "visibility": "visible"},
    ).content.decode()
    assert f">{proposal.title}</a>" not in visible
    assert "Un commentaire douteux" in visible


@pytest.mark.parametrize("who", WHO)
def test_hide_restore_and_dismiss_are_for_the_communes_moderators(
    who, proposal, organisation, other_organisation, staff_of
):
    _user, client = client_of(who, organisation, other_organisation, staff_of)
    report(proposal)
    allowed = who in {Role.MODERATOR, Role.ADMIN}
    expected = 302 if allowed or who is None else 403
    for name, data in (
        ("moderation-dismiss", {}),
        ("moderation-hide", {"reason": "Injurieux", "confirm": "on"}),
        ("moderation-restore", {}),
    ):
        url = reverse(f"participation:{name}", args=[proposal.pk])
        assert client.post(url, data).status_code == expected
    if not allowed:
        proposal.refresh_from_db()
        assert proposal.hidden_at is None
        assert not Report.objects.filter(resolved_at__isnull=False).exists()
        assert not AuditEvent.objects.exists()


def test_services_refuse_another_communes_proposal(
    proposal, other_organisation, staff_of
):
    moderator, _client = staff_of(other_organisation, Role.MODERATOR)
    with pytest.raises(Proposal.DoesNotExist):
        proposal_hide(
            organisation=other_organisation,
            proposal_id=proposal.pk,
            actor=moderator,
            reason="x",
        )
    with pytest.raises(Proposal.DoesNotExist):
        proposal_restore(
            organisation=other_organisation, proposal_id=proposal.pk, actor=moderator
        )
    with pytest.raises(Comment.DoesNotExist):
        reports_dismiss(
            organisation=other_organisation,
            actor=moderator,
            comment_id=CommentFactory(proposal=proposal).pk,
        )


@override_settings(AGORA_REPORTS_TO_HIDE=1)
def test_a_hidden_proposal_leaves_the_public_lists_and_map(proposal, organisation):
    other = ProposalFactory(cycle=proposal.cycle, title="Une autre idée")
    report(proposal)
    client = client_for(organisation)
    listing = client.get(reverse("participation:proposal-list")).content.decode()
    assert other.title in listing and proposal.title not in listing
