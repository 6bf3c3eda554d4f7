"""Moderation content (issue 12, acceptance 4): moderators read what reporters
wrote, the reported sections list only reported contents, and a hidden comment
shows everyone its category but only its author and the moderators the
moderator's words."""

import pytest
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from carte.models import AuditEvent
from carte.roles import MODERATION_ROLES, Role
from participation.models import Comment, Proposal, Report
from participation.selectors.moderation import QueueFilters
from participation.selectors.reports import reported_items, reported_keys
from participation.services.comments import comment_hide
from participation.services.reports import report_create
from tests.conftest import client_for
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.participation.test_moderation_queue import WHO, client_of

QUEUE = reverse("participation:moderation-queue") + "?section=signalements"
WORDS = "Il donne le numéro de téléphone de ma voisine"


@pytest.fixture
def proposal(cycle):
    return ProposalFactory(cycle=cycle, title="Un jardin partagé")


def comment_on(proposal, **fields) -> Comment:
    """A visible comment, counted on its proposal as the service counts it."""
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    return CommentFactory(proposal=proposal, **fields)


def report(target, *, details=WORDS, reason="personal_data", reporter=None):
    is_comment = isinstance(target, Comment)
    return report_create(
        organisation=target.organisation,
        reporter=reporter or UserFactory(),
        reason=reason,
        details=details,
        proposal_id=None if is_comment else target.pk,
        comment_id=target.pk if is_comment else None,
    )


def moderation_page(proposal) -> str:
    return reverse("participation:moderation-proposal", args=[proposal.pk])


# --- Report texts --------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(MODERATION_ROLES))
def test_moderators_read_the_reporters_words_in_the_queue(role, proposal, staff_of):
    comment = comment_on(proposal)
    report(comment, reporter=UserFactory(pseudonym="Veilleur"))
    report(proposal, details="Publicité pour un magasin", reason="spam")
    _user, client = staff_of(proposal.organisation, role)
    html = client.get(QUEUE).content.decode()
    assert escape(WORDS) in html
    assert "Publicité pour un magasin" in html
    assert "Veilleur" in html  # the reporter, by pseudonym
    assert str(Report.Reason.PERSONAL_DATA.label) in html


def test_moderators_read_the_reporters_words_on_the_moderation_page(proposal, staff_of):
    comment = comment_on(proposal)
    report(comment)
    report(proposal, details="Doublon d'une autre idée", reason="other")
    _user, client = staff_of(proposal.organisation, Role.MODERATOR)
    html = client.get(moderation_page(proposal)).content.decode()
    assert escape(WORDS) in html  # the comment's report
    assert escape("Doublon d'une autre idée") in html  # the proposal's


@pytest.mark.parametrize("who", [w for w in WHO if w not in MODERATION_ROLES])
def test_nobody_else_reads_the_reporters_words(
    who, proposal, organisation, other_organisation, staff_of
):
    comment = comment_on(proposal)
    report(comment)
    _user, client = client_of(who, organisation, other_organisation, staff_of)
    for url in (QUEUE, moderation_page(proposal), proposal.get_absolute_url()):
        response = client.get(url)
        assert escape(WORDS) not in response.content.decode(), url
    assert client.get(QUEUE).status_code in {302, 403}


def test_the_reports_of_a_page_are_read_in_a_bounded_number_of_queries(
    cycle, django_assert_max_num_queries
):
    def page_items(size):
        for _ in range(size):
            proposal = ProposalFactory(cycle=cycle)
            report(proposal)
            report(comment_on(proposal), reason="spam")
        keys = reported_keys(organisation=cycle.organisation, filters=QueueFilters())
        with django_assert_max_num_queries(3):
            return reported_items(organisation=cycle.organisation, keys=keys)

    assert all(item.reports for item in page_items(2))
    assert len(page_items(10)) == 24
    assert {r.details for i in page_items(0) for r in i.reports} == {WORDS}


# --- Only reported contents ----------------------------------------------------------


def test_the_moderation_page_lists_only_the_reported_comments(proposal, staff_of):
    quiet = comment_on(proposal, body="Un commentaire tranquille")
    handled = comment_on(proposal, body="Un signalement déjà traité")
    reported = comment_on(proposal, body="Un commentaire signalé")
    report(reported)
    Report.objects.filter(pk=report(handled).pk).update(resolved_at=handled.created_at)
    _user, client = staff_of(proposal.organisation, Role.MODERATOR)
    html = client.get(moderation_page(proposal)).content.decode()
    assert "Un commentaire signalé" in html
    assert "Un commentaire tranquille" not in html
    assert "Un signalement déjà traité" not in html
    assert quiet.pk and f"commentaire-{quiet.pk}" not in html


def test_the_queue_lists_only_reported_contents(proposal, cycle, staff_of):
    comment_on(proposal, body="Un commentaire tranquille")
    ProposalFactory(cycle=cycle, title="Une idée sans signalement")
    report(comment_on(proposal, body="Un commentaire signalé"))
    _user, client = staff_of(proposal.organisation, Role.MODERATOR)
    html = client.get(QUEUE).content.decode()
    assert "Un commentaire signalé" in html
    assert "Un commentaire tranquille" not in html
    assert "Une idée sans signalement" not in html


# --- Who reads why a comment was hidden ---------------------------------------------


def hidden_comment(proposal, moderator):
    comment = comment_on(proposal, body="Texte masqué")
    comment_hide(
        organisation=proposal.organisation,
        comment_id=comment.pk,
        actor=moderator,
        reason="Vous citez l'adresse d'un voisin",
        category=Comment.HideCategory.PERSONAL_DATA,
    )
    return comment


def test_a_hidden_comment_shows_each_reader_what_is_theirs(
    proposal, organisation, staff_of
):
    moderator, moderator_client = staff_of(organisation, Role.MODERATOR)
    comment = hidden_comment(proposal, moderator)
    category = str(Comment.HideCategory.PERSONAL_DATA.label)
    words = escape("Vous citez l'adresse d'un voisin")
    url = proposal.get_absolute_url()
    readers = {
        "visitor": client_for(organisation),
        "citizen": client_for(organisation, UserFactory()),
        "reviewer": staff_of(organisation, Role.REVIEWER)[1],
        "author": client_for(organisation, comment.author),
        "moderator": moderator_client,
    }
    pages = {name: client.get(url).content.decode() for name, client in readers.items()}
    for name, html in pages.items():
        assert category in html, name  # everyone reads the kind of reason
        assert "Texte masqué" not in html, name
        assert (words in html) is (name in {"author", "moderator"}), name
    # {% translate %} output is not escaped.
    own = gettext("The moderators' message (visible to you and the moderators only):")
    assert own in pages["author"]
    assert (
        escape(
            gettext(
                "Message to the author (visible to the author and the moderators only):"
            )
        )
        in pages["moderator"]
    )


def test_hiding_a_comment_keeps_its_category_and_audits_it(proposal, staff_of):
    _moderator, client = staff_of(proposal.organisation, Role.MODERATOR)
    comment = comment_on(proposal)
    url = reverse("participation:comment-hide", args=[comment.pk])
    response = client.post(
        url, {"category": "advertising", "reason": "Lien vers un site", "confirm": "on"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_category == Comment.HideCategory.ADVERTISING
    event = AuditEvent.objects.get(action="comment_hide")
    assert event.data["category"] == "advertising"


@pytest.mark.parametrize("category", ["", "reported", "n'importe quoi"])
def test_a_moderator_chooses_a_category_from_the_list(category, proposal, staff_of):
    _moderator, client = staff_of(proposal.organisation, Role.MODERATOR)
    comment = comment_on(proposal)
    url = reverse("participation:comment-hide", args=[comment.pk])
    response = client.post(url, {"category": category, "reason": "Mon message"})
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(gettext("Choose the kind of reason from the list.")) in html
    assert 'value="Mon message"' in html  # what was typed is kept
    comment.refresh_from_db()
    assert comment.hidden_at is None


@override_settings(AGORA_REPORTS_TO_HIDE=1)
def test_a_comment_hidden_by_reports_says_so_to_everyone(proposal, organisation):
    comment = comment_on(proposal, body="Texte signalé")
    report(comment)
    comment.refresh_from_db()
    assert comment.hidden_category == Comment.HideCategory.REPORTED
    html = client_for(organisation).get(proposal.get_absolute_url()).content.decode()
    assert escape(str(Comment.HideCategory.REPORTED.label)) in html
    assert "Texte signalé" not in html


def test_the_proposal_hide_form_says_who_reads_the_reason(proposal, staff_of):
    _moderator, client = staff_of(proposal.organisation, Role.MODERATOR)
    html = client.get(moderation_page(proposal)).content.decode()
    label = gettext("Reason for hiding (visible to the author and the team only)")
    assert escape(label) in html
    assert escape(gettext("Kind of reason (visible to everyone)")) not in html
    report(comment_on(proposal))
    html = client.get(moderation_page(proposal)).content.decode()
    assert escape(gettext("Kind of reason (visible to everyone)")) in html
    label = gettext(
        "Message to the author (visible to the author and the moderators only)"
    )
    assert escape(label) in html
