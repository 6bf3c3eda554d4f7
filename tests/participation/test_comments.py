"""Comments: one level of replies, a short edit window, deletion keeping the thread,
moderators hiding with a reason shown in place, bounded queries on the thread."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from carte.models import AuditEvent
from carte.roles import Role
from carte.tenancy import Actor
from participation.models import Comment
from participation.permissions.comments import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_moderate_comment,
)
from participation.phases import FEATURES, Feature, Phase
from participation.services.comments import (
    comment_delete,
    comment_edit,
    comment_hide,
    comment_post,
)
from participation.views.comments import interactions_context
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    CycleFactory,
    ProposalFactory,
    build_proposal,
)
from tests.participation.conftest import assert_open_in_phases


def render_thread(proposal, user=None) -> str:
    """The proposal page's include, rendered as the detail view renders it."""
    request = RequestFactory().get(
        proposal.get_absolute_url(), HTTP_HOST=proposal.organisation.site.hostname
    )
    request.user = user or AnonymousUser()
    request.organisation = proposal.organisation
    request.actor = Actor.for_user(request.user, proposal.organisation)
    return render_to_string(
        "participation/includes/interactions.html",
        interactions_context(request, proposal),
        request=request,
    )


def visible_count(proposal) -> int:
    return Comment.objects.filter(
        proposal=proposal, deleted_at__isnull=True, hidden_at__isnull=True
    ).count()


def create_url(proposal) -> str:
    return reverse("participation:comment-create", args=[proposal.pk])


def post(proposal, author, body="Il faudrait aussi un abri vélo.", **fields):
    return comment_post(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        author=author,
        body=body,
        **fields,
    )


# Posting -------------------------------------------------------------------------


def test_a_comment_is_published_and_counted(proposal, user):
    client = client_for(proposal.organisation, user)
    response = client.post(create_url(proposal), {"body": "  Très bonne idée !  "})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"{proposal.get_absolute_url()}#commentaire-{comment.pk}"
    assert comment.body == "Très bonne idée !"
    assert comment.author == user
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


@pytest.mark.parametrize("phase", [None, *Phase])
def test_comments_follow_the_phase_table_through_the_view(organisation, user, phase):
    cycle = CycleFactory(organisation=organisation, phase=phase or False)
    proposal = ProposalFactory(cycle=cycle)
    body = "Pensez aux personnes âgées du quartier."
    response = client_for(organisation, user).post(create_url(proposal), {"body": body})
    proposal.refresh_from_db()
    if phase is not None and Feature.COMMENT in FEATURES[phase]:
        assert response.status_code == 302
        assert Comment.objects.get().body == body
        assert proposal.comment_count == 1
    else:
        assert response.status_code == 400
        assert not Comment.objects.exists()
        assert proposal.comment_count == 0
        content = response.content.decode()
        assert "Les commentaires " in content
        assert body in content  # nothing typed is lost


def test_an_empty_comment_is_refused_with_a_message(proposal, user):
    response = client_for(proposal.organisation, user).post(
        create_url(proposal), {"body": "   "}
    )
    assert response.status_code == 400
    assert "abord votre commentaire" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_too_long_comment_is_refused_and_kept(proposal, user):
    body = "a" * 3001
    response = client_for(proposal.organisation, user).post(
        create_url(proposal), {"body": body}
    )
    assert response.status_code == 400
    assert body in response.content.decode()
    assert not Comment.objects.exists()


def test_a_reply_goes_under_a_top_level_comment(proposal, user, make_user):
    parent = CommentFactory(proposal=proposal)
    response = client_for(proposal.organisation, user).post(
        create_url(proposal), {"body": "Je suis d'accord.", "parent": parent.pk}
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert reply.author == user


def test_a_reply_to_a_reply_is_refused(proposal, user):
    parent = CommentFactory(proposal=proposal)
    reply = CommentFactory(proposal=proposal, parent=parent)
    with pytest.raises(ValidationError) as error:
        post(proposal, user, parent_id=reply.pk)
    assert error.value.code == "reply_depth"
    response = client_for(proposal.organisation, user).post(
        create_url(proposal), {"body": "Réponse à une réponse", "parent": reply.pk}
    )
    assert response.status_code == 400
    assert "Réponse à une réponse" in response.content.decode()
    assert Comment.objects.count() == 2


def test_a_reply_to_another_proposals_comment_is_refused(proposal, user):
    elsewhere = CommentFactory(
        proposal=ProposalFactory(cycle=proposal.cycle), body="Ailleurs"
    )
    with pytest.raises(ValidationError) as error:
        post(proposal, user, parent_id=elsewhere.pk)
    assert error.value.code == "no_parent"


def test_an_anonymous_visitor_logs_in_and_finds_the_text_again(proposal, user):
    client = client_for(proposal.organisation)
    response = client.post(create_url(proposal), {"body": "Mon idée de banc"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" + create_url(proposal).replace("/", "%2F") in response.url
    assert not Comment.objects.exists()
    client.force_login(user)
    page = client.get(create_url(proposal)).content.decode()
    assert "Mon idée de banc" in page
    assert "Mon idée de banc" not in client.get(create_url(proposal)).content.decode()


def test_the_form_alone_says_when_comments_are_closed(organisation, user):
    proposal = ProposalFactory(
        cycle=CycleFactory(organisation=organisation, phase=False)
    )
    response = client_for(organisation, user).get(create_url(proposal))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Les commentaires ne sont pas ouverts dans cette édition." in content
    assert 'name="body"' not in content


def test_another_communes_proposal_answers_404(proposal, other_organisation, user):
    response = client_for(other_organisation, user).post(
        create_url(proposal), {"body": "Bonjour"}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_commenting_too_fast_keeps_the_text(proposal, user, settings):
    settings.AGORA_RATE_LIMITS = {"comment": [[1, 60]]}
    client = client_for(proposal.organisation, user)
    client.post(create_url(proposal), {"body": "Premier"})
    response = client.post(create_url(proposal), {"body": "Second message"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Vous allez trop vite" in content
    assert "Second message" in content
    assert Comment.objects.count() == 1


# Editing -------------------------------------------------------------------------


def edit_url(comment) -> str:
    return reverse("participation:comment-edit", args=[comment.pk])


def test_the_author_edits_within_the_window(proposal, user):
    comment = CommentFactory(proposal=proposal, author=user)
    client = client_for(proposal.organisation, user)
    assert client.get(edit_url(comment)).status_code == 200
    response = client.post(edit_url(comment), {"body": "Corrigé"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Corrigé"
    assert comment.edited_at is not None
    assert "modifié" in render_thread(proposal)


def test_editing_after_the_window_is_refused_and_keeps_the_text(proposal, user):
    comment = CommentFactory(
        proposal=proposal,
        author=user,
        body="Ancien",
        created_at=timezone.now() - timedelta(minutes=16),
    )
    response = client_for(proposal.organisation, user).post(
        edit_url(comment), {"body": "Nouveau texte"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "15 minutes" in content
    assert "Nouveau texte" in content
    comment.refresh_from_db()
    assert comment.body == "Ancien"
    assert comment.edited_at is None


def test_the_edit_window_is_a_setting(proposal, user, settings):
    settings.AGORA_COMMENT_EDIT_MINUTES = 60
    comment = CommentFactory(
        proposal=proposal,
        author=user,
        created_at=timezone.now() - timedelta(minutes=30),
    )
    comment_edit(
        organisation=proposal.organisation,
        comment_id=comment.pk,
        actor=user,
        body="Toujours modifiable",
    )
    comment.refresh_from_db()
    assert comment.body == "Toujours modifiable"


def test_only_the_author_edits(proposal, user):
    comment = CommentFactory(proposal=proposal, body="Original")
    response = client_for(proposal.organisation, user).post(
        edit_url(comment), {"body": "Piraté"}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Original"


# Deleting ------------------------------------------------------------------------


def test_deleting_blanks_the_text_and_keeps_the_thread(proposal, user):
    comment = post(proposal, user, body="Texte à retirer")
    reply = CommentFactory(proposal=proposal, parent=comment, body="Une réponse")
    proposal.refresh_from_db()
    before = proposal.comment_count
    client = client_for(proposal.organisation, user)
    assert (
        client.get(
            reverse("participation:comment-delete", args=[comment.pk])
        ).status_code
        == 200
    )
    response = client.post(reverse("participation:comment-delete", args=[comment.pk]))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == ""
    assert comment.deleted_at is not None
    assert Comment.objects.filter(pk=reply.pk, parent=comment).exists()
    proposal.refresh_from_db()
    assert proposal.comment_count == before - 1
    page = render_thread(proposal)
    assert "Commentaire supprimé par son auteur." in page
    assert "Texte à retirer" not in page
    assert "Une réponse" in page


def test_only_the_author_deletes(proposal, user):
    comment = CommentFactory(proposal=proposal)
    response = client_for(proposal.organisation, user).post(
        reverse("participation:comment-delete", args=[comment.pk])
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.deleted_at is None


def test_deleting_twice_is_refused(proposal, user):
    comment = post(proposal, user)
    comment_delete(
        organisation=proposal.organisation, comment_id=comment.pk, actor=user
    )
    with pytest.raises(ValidationError) as error:
        comment_delete(
            organisation=proposal.organisation, comment_id=comment.pk, actor=user
        )
    assert error.value.code == "already_deleted"
    proposal.refresh_from_db()
    assert proposal.comment_count == visible_count(proposal) == 0


# Hiding --------------------------------------------------------------------------


def hide_url(comment) -> str:
    return reverse("participation:comment-hide", args=[comment.pk])


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_a_moderator_hides_a_comment_with_the_reason_shown(
    proposal, user, staff_of, role
):
    comment = post(proposal, user, body="Propos déplacés")
    moderator, client = staff_of(proposal.organisation, role)
    assert client.get(hide_url(comment)).status_code == 200
    response = client.post(
        hide_url(comment),
        {"reason": "Propos injurieux", "category": "insulting", "confirm": "on"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert comment.hidden_by == moderator
    assert comment.body == "Propos déplacés"  # kept for a restore
    event = AuditEvent.objects.get(action="comment_hide")
    assert event.actor == moderator
    assert event.target == f"comment:{comment.pk}"
    assert event.data["reason"] == "Propos injurieux"
    proposal.refresh_from_db()
    assert proposal.comment_count == 0
    assert comment.hidden_category == Comment.HideCategory.INSULTING
    page = render_thread(proposal)
    assert str(Comment.HideCategory.INSULTING.label) in page
    assert "Propos injurieux" not in page  # the author's alone (and moderators')
    assert "Propos déplacés" not in page


def test_hiding_needs_a_reason(proposal, user, staff_of):
    comment = post(proposal, user)
    _moderator, client = staff_of(proposal.organisation, Role.MODERATOR)
    response = client.post(hide_url(comment), {"reason": "  ", "category": "other"})
    assert response.status_code == 400
    assert (
        escape(
            gettext(
                "Write a word for the author; only they and the moderators read it."
            )
        )
        in response.content.decode()
    )
    comment.refresh_from_db()
    assert comment.hidden_at is None


@pytest.mark.parametrize(
    "role", [None, Role.REVIEWER, Role.COUNTER_AGENT, Role.ELECTED]
)
def test_other_roles_cannot_hide(proposal, user, staff_of, make_user, role):
    comment = post(proposal, user)
    if role is None:
        client = client_for(proposal.organisation, make_user())
    else:
        _member, client = staff_of(proposal.organisation, role)
    response = client.post(hide_url(comment), {"reason": "Non"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_another_communes_moderator_gets_404(
    proposal, user, staff_of, other_organisation
):
    comment = post(proposal, user)
    _moderator, client = staff_of(other_organisation, Role.MODERATOR)
    response = client.post(hide_url(comment), {"reason": "Hors sujet"})
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_a_moderator_without_two_factor_is_asked_to_set_it_up(proposal, user, staff_of):
    comment = post(proposal, user)
    _moderator, client = staff_of(proposal.organisation, Role.MODERATOR, mfa=False)
    response = client.post(hide_url(comment), {"reason": "Hors sujet"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_a_moderator_restores_a_hidden_comment(proposal, user, moderator_hides):
    comment = post(proposal, user, body="Finalement acceptable")
    client = moderator_hides(comment, "À vérifier")
    response = client.post(reverse("participation:comment-restore", args=[comment.pk]))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert AuditEvent.objects.filter(action="comment_restore").count() == 1
    proposal.refresh_from_db()
    assert proposal.comment_count == visible_count(proposal) == 1
    assert "Finalement acceptable" in render_thread(proposal)


def test_counts_stay_exact_through_hide_delete_and_restore(proposal, user, staff_of):
    moderator, _client = staff_of(proposal.organisation, Role.MODERATOR)
    first = post(proposal, user)
    second = post(proposal, user, parent_id=first.pk)
    post(proposal, user)
    org = proposal.organisation
    comment_hide(organisation=org, comment_id=second.pk, actor=moderator, reason="x")
    comment_delete(organisation=org, comment_id=second.pk, actor=user)
    comment_delete(organisation=org, comment_id=first.pk, actor=user)
    proposal.refresh_from_db()
    assert proposal.comment_count == visible_count(proposal) == 1


# The thread on the proposal page -------------------------------------------------


def test_the_thread_shows_replies_under_their_comment(proposal, user):
    parent = post(proposal, user, body="Premier avis")
    CommentFactory(proposal=proposal, parent=parent, body="Réponse au premier")
    page = render_thread(proposal, user)
    assert page.index("Premier avis") < page.index("Réponse au premier")
    assert f'id="commentaire-{parent.pk}"' in page
    assert "<time datetime=" in page
    assert 'class="comment-replies"' in page


def comment_many(proposal, make_user):
    """100 comments with a reply each, by 10 authors taking turns."""
    authors = make_user.create_batch(10)
    parents = [
        CommentFactory(proposal=proposal, author=authors[n % 10]) for n in range(100)
    ]
    for n, parent in enumerate(parents):
        CommentFactory(proposal=proposal, parent=parent, author=authors[(n + 1) % 10])


def test_the_thread_keeps_a_bounded_number_of_queries(
    proposal, make_user, django_assert_max_num_queries
):
    comment_many(proposal, make_user)
    reader = make_user()
    with django_assert_max_num_queries(6):
        page = render_thread(proposal, reader)
    assert page.count('<article class="comment') == 200


@pytest.fixture
def named_thread(proposal, make_user, staff_of):
    """(author, replier, parent, moderator's client): a comment and its reply by
    accounts with a real name."""
    author = make_user(first_name="Camille", last_name="Durand")
    replier = make_user(first_name="Dominique", last_name="Martin")
    parent = post(proposal, author)
    post(proposal, replier, parent_id=parent.pk)
    _moderator, moderator_client = staff_of(proposal.organisation, Role.MODERATOR)
    return author, replier, parent, moderator_client


def test_no_email_or_real_name_appears_in_the_thread(proposal, named_thread):
    author, replier, parent, moderator_client = named_thread
    pages = [
        render_thread(proposal),
        render_thread(proposal, author),
        client_for(proposal.organisation, replier)
        .get(create_url(proposal) + f"?reponse={parent.pk}")
        .content.decode(),
        client_for(proposal.organisation, author)
        .get(edit_url(parent))
        .content.decode(),
        moderator_client.get(hide_url(parent)).content.decode(),
    ]
    for page in pages:
        for person in (author, replier):
            assert person.email not in page
            assert person.last_name not in page
    assert author.pseudonym in pages[0]
    assert replier.pseudonym in pages[0]


def test_the_closed_thread_says_when_comments_open(organisation, user):
    proposal = ProposalFactory(
        cycle=CycleFactory(organisation=organisation, phase=False)
    )
    page = render_thread(proposal, user)
    assert "Les commentaires ne sont pas ouverts" in page
    assert 'name="body"' not in page


def test_messages_after_posting_are_in_french(proposal, user):
    response = client_for(proposal.organisation, user).post(
        create_url(proposal), {"body": "Bonjour"}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Votre commentaire est publié."
    ]


# The predicates, role × phase, and the object cases --------------------------------

MODERATING = {Role.MODERATOR, Role.ADMIN}


@pytest.mark.parametrize("role", [None, *Role])
@pytest.mark.parametrize("phase", [None, *Phase])
def test_can_comment_follows_the_phase_for_every_account(role, phase, organisation):
    assert_open_in_phases(can_comment, Feature.COMMENT, role, phase, organisation)


@pytest.mark.parametrize("role", [None, *Role])
@pytest.mark.parametrize("phase", [None, *Phase])
def test_only_moderators_and_admins_moderate_comments(role, phase, organisation):
    actor = Actor.with_role(role, organisation=organisation)
    comment = CommentFactory.build(
        organisation=organisation, proposal=build_proposal(organisation)
    )
    assert can_moderate_comment(actor, comment, phase=phase) is (role in MODERATING)


def test_another_communes_moderator_cannot_moderate(organisation, other_organisation):
    actor = Actor.with_role(Role.MODERATOR, organisation=other_organisation)
    comment = CommentFactory.build(
        organisation=organisation, proposal=build_proposal(organisation)
    )
    assert can_moderate_comment(actor, comment, phase=Phase.SUBMISSION) is False


def test_the_author_alone_edits_within_the_window(organisation):
    now = timezone.now()
    comment = CommentFactory.build(
        organisation=organisation,
        proposal=build_proposal(organisation),
        author_id=7,
        created_at=now - timedelta(minutes=5),
    )
    author = Actor.with_role(None, organisation=organisation, user_id=7)
    other = Actor.with_role(Role.ADMIN, organisation=organisation, user_id=8)
    assert can_edit_comment(author, comment, phase=None, now=now) is True
    assert can_edit_comment(other, comment, phase=None, now=now) is False
    later = now + timedelta(minutes=11)
    assert can_edit_comment(author, comment, phase=None, now=later) is False
    comment.deleted_at = now
    assert can_edit_comment(author, comment, phase=None, now=now) is False
    assert can_delete_comment(author, comment, phase=None) is False


def test_the_author_deletes_at_any_time_even_hidden(organisation):
    comment = CommentFactory.build(
        organisation=organisation,
        proposal=build_proposal(organisation),
        author_id=7,
        created_at=timezone.now() - timedelta(days=300),
        hidden_at=timezone.now(),
    )
    author = Actor.with_role(None, organisation=organisation, user_id=7)
    assert can_delete_comment(author, comment, phase=None) is True
    anonymous = Actor.anonymous(organisation)
    assert can_delete_comment(anonymous, comment, phase=None) is False


# Through the proposal page ---------------------------------------------------------


def test_the_proposal_page_shows_the_thread_in_bounded_queries(
    proposal, make_user, django_assert_max_num_queries
):
    comment_many(proposal, make_user)
    client = client_for(proposal.organisation, make_user())
    with django_assert_max_num_queries(15):  # the same for 2 comments or 2,000
        response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<article class="comment') == 200


def test_the_proposal_page_shows_no_email_or_real_name(proposal, named_thread):
    author, replier, _parent, moderator_client = named_thread
    url = proposal.get_absolute_url()
    pages = [
        client_for(proposal.organisation).get(url).content.decode(),
        client_for(proposal.organisation, author).get(url).content.decode(),
        moderator_client.get(url).content.decode(),
    ]
    for page in pages:
        assert replier.pseudonym in page
        for person in (author, replier, proposal.author):
            assert person.email not in page
        for person in (author, replier):
            assert person.last_name not in page
