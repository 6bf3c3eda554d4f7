"""Reports ("signaler") of a proposal or a comment: a reason, once per account."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carte.roles import Role
from carte.tenancy import Actor
from participation.models import Report
from participation.permissions.reports import can_report
from participation.services.reports import report_create
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    build_proposal,
)


def report_url(target: str, pk: int) -> str:
    return reverse("participation:report-create", args=[target, pk])


def test_a_proposal_is_reported_with_a_reason(proposal, user):
    client = client_for(proposal.organisation, user)
    url = report_url("proposition", proposal.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "spam", "details": "Publicité."})
    assert response.status_code == 302
    assert response.url == proposal.get_absolute_url()
    report = Report.objects.get()
    assert (report.proposal, report.comment, report.reporter) == (proposal, None, user)
    assert (report.reason, report.details) == ("spam", "Publicité.")
    assert report.organisation == proposal.organisation


def test_a_comment_is_reported_with_a_reason(proposal, user):
    comment = CommentFactory(proposal=proposal)
    response = client_for(proposal.organisation, user).post(
        report_url("commentaire", comment.pk), {"reason": "offensive"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#commentaire-{comment.pk}")
    report = Report.objects.get()
    assert (report.comment, report.proposal, report.reason) == (
        comment,
        None,
        "offensive",
    )


def test_an_account_reports_a_target_only_once(proposal, user):
    comment = CommentFactory(proposal=proposal)
    client = client_for(proposal.organisation, user)
    client.post(report_url("commentaire", comment.pk), {"reason": "spam"})
    response = client.post(
        report_url("commentaire", comment.pk),
        {"reason": "other", "details": "Encore"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Vous avez déjà signalé ce commentaire" in content
    assert "Encore" in content
    assert Report.objects.count() == 1


def test_the_service_refuses_a_second_report_with_a_code(proposal, user):
    report_create(
        organisation=proposal.organisation,
        reporter=user,
        reason="spam",
        proposal_id=proposal.pk,
    )
    with pytest.raises(ValidationError) as error:
        report_create(
            organisation=proposal.organisation,
            reporter=user,
            reason="other",
            proposal_id=proposal.pk,
        )
    assert error.value.code == "already_reported"


def test_a_proposal_and_its_comment_are_separate_targets(proposal, user):
    comment = CommentFactory(proposal=proposal)
    org = proposal.organisation
    report_create(
        organisation=org, reporter=user, reason="spam", proposal_id=proposal.pk
    )
    report_create(organisation=org, reporter=user, reason="spam", comment_id=comment.pk)
    assert Report.objects.count() == 2


def test_a_report_without_reason_keeps_the_details(proposal, user):
    response = client_for(proposal.organisation, user).post(
        report_url("proposition", proposal.pk), {"details": "Mes précisions"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mes précisions" in content
    assert "Choisissez un motif" in content
    assert not Report.objects.exists()


def test_one_cannot_report_ones_own_comment(proposal, user):
    comment = CommentFactory(proposal=proposal, author=user)
    response = client_for(proposal.organisation, user).post(
        report_url("commentaire", comment.pk), {"reason": "spam"}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_another_communes_comment_answers_404(proposal, user, other_organisation):
    comment = CommentFactory(proposal=proposal)
    response = client_for(other_organisation, user).post(
        report_url("commentaire", comment.pk), {"reason": "spam"}
    )
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_an_unknown_target_answers_404(proposal, user):
    response = client_for(proposal.organisation, user).get(
        report_url("cycle", proposal.pk)
    )
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(proposal):
    response = client_for(proposal.organisation).post(
        report_url("proposition", proposal.pk), {"reason": "spam"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Report.objects.exists()


def test_the_report_form_shows_no_email(proposal, make_user):
    author = make_user()
    comment = CommentFactory(proposal=proposal, author=author)
    page = (
        client_for(proposal.organisation, make_user())
        .get(report_url("commentaire", comment.pk))
        .content.decode()
    )
    assert author.pseudonym in page
    assert author.email not in page


# The predicate ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *Role])
def test_any_account_reports_others_public_content(role, organisation):
    actor = Actor.with_role(role, organisation=organisation, user_id=1)
    proposal = build_proposal(organisation, author_id=2)
    comment = CommentFactory.build(
        organisation=organisation, proposal=proposal, author_id=3
    )
    assert can_report(actor, proposal, phase=None) is True
    assert can_report(actor, comment, phase=None) is True


def test_nobody_reports_their_own_or_hidden_or_anothers_communes_content(
    organisation, other_organisation
):
    proposal = build_proposal(organisation, author_id=1)
    comment = CommentFactory.build(
        organisation=organisation, proposal=proposal, author_id=2
    )
    author = Actor.with_role(None, organisation=organisation, user_id=1)
    assert can_report(author, proposal, phase=None) is False
    elsewhere = Actor.with_role(None, organisation=other_organisation, user_id=5)
    assert can_report(elsewhere, comment, phase=None) is False
    assert can_report(Actor.anonymous(organisation), comment, phase=None) is False
    reader = Actor.with_role(None, organisation=organisation, user_id=5)
    comment.hidden_at = timezone.now()
    assert can_report(reader, comment, phase=None) is False
    proposal.status = "submitted"
    assert can_report(reader, proposal, phase=None) is False
