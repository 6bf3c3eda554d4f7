"""Notifications: on-site list, e-mails after commit (at once, daily digest or
never), the status-change hook, idempotent tasks."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from carte.roles import Role
from participation.models import (
    Follow,
    ModerationEvent,
    Notification,
    NotificationPreference,
)
from participation.services.comments import comment_post
from participation.services.notifications import notify_status_change
from participation.tasks import send_digests, send_notification_email
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    CycleFactory,
    NotificationFactory,
    ProposalFactory,
)


@pytest.fixture
def proposal(organisation):
    return ProposalFactory(
        cycle=CycleFactory(organisation=organisation), title="Des bancs au parc"
    )


def prefer(user, mode):
    NotificationPreference.objects.create(user=user, email_mode=mode)


def reply(proposal, parent, author, body="Je réponds."):
    return comment_post(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        author=author,
        body=body,
        parent_id=parent.pk,
    )


# After commit, at once ------------------------------------------------------------


def test_a_reply_notifies_and_emails_the_parents_author_after_commit(
    proposal, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    parent_author, replier = make_user(), make_user()
    parent = CommentFactory(proposal=proposal, author=parent_author)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = reply(proposal, parent, replier, body="Et pourquoi pas des arbres ?")
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    notification = Notification.objects.get(user=parent_author)
    assert notification.kind == Notification.Kind.REPLY
    assert notification.comment == comment
    assert notification.emailed_at is not None
    [email] = [e for e in mailoutbox if e.to == [parent_author.email]]
    assert "Une réponse à votre commentaire" in email.subject
    assert "Des bancs au parc" in email.subject
    host = proposal.organisation.site.hostname
    body = email.body
    assert (
        f"http://{host}{proposal.get_absolute_url()}#commentaire-{comment.pk}" in body
    )
    assert f"http://{host}/compte/notifications/#preferences" in body
    assert replier.pseudonym in body
    assert "Et pourquoi pas des arbres ?" in body
    assert replier.email not in body
    assert "Bonjour" in body
    html = email.alternatives[0][0]
    assert 'lang="fr"' in html
    assert replier.email not in html


def test_a_reply_to_ones_own_comment_notifies_nobody(
    proposal, user, django_capture_on_commit_callbacks, mailoutbox
):
    parent = CommentFactory(proposal=proposal, author=user)
    proposal.author = user
    proposal.save()
    with django_capture_on_commit_callbacks(execute=True):
        reply(proposal, parent, user)
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_followers_and_the_author_hear_of_a_comment_once(
    proposal, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    follower, parent_author, replier = make_user(), make_user(), make_user()
    for user in (follower, parent_author):
        Follow.objects.create(
            organisation=proposal.organisation, proposal=proposal, user=user
        )
    parent = CommentFactory(proposal=proposal, author=parent_author)
    with django_capture_on_commit_callbacks(execute=True):
        reply(proposal, parent, replier)
    kinds = dict(Notification.objects.values_list("user_id", "kind"))
    assert kinds == {
        parent_author.pk: Notification.Kind.REPLY,
        follower.pk: Notification.Kind.COMMENT,
        proposal.author_id: Notification.Kind.COMMENT,
    }
    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        [follower.email, parent_author.email, proposal.author.email]
    )


# The status-change hook -------------------------------------------------------------


def test_a_status_change_notifies_the_author_and_followers(
    proposal, make_user, staff_of, django_capture_on_commit_callbacks, mailoutbox
):
    follower = make_user()
    Follow.objects.create(
        organisation=proposal.organisation, proposal=proposal, user=follower
    )
    moderator, _client = staff_of(proposal.organisation, Role.MODERATOR)
    Follow.objects.create(
        organisation=proposal.organisation, proposal=proposal, user=moderator
    )
    event = ModerationEvent.objects.create(
        organisation=proposal.organisation,
        proposal=proposal,
        actor=moderator,
        action="publish",
        from_status="submitted",
        to_status="published",
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify_status_change(
            organisation=proposal.organisation,
            proposal_id=proposal.pk,
            event_id=event.pk,
        )
    users = set(Notification.objects.values_list("user_id", flat=True))
    assert users == {proposal.author_id, follower.pk}  # not the moderator
    assert {n.kind for n in Notification.objects.all()} == {"status_changed"}
    assert len(mailoutbox) == 2
    assert all("Des bancs au parc" in email.subject for email in mailoutbox)


def test_a_status_change_of_a_hidden_proposal_notifies_only_its_author(
    organisation, make_user, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(
        cycle=CycleFactory(organisation=organisation), status="changes_requested"
    )
    follower = make_user()
    Follow.objects.create(organisation=organisation, proposal=proposal, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        notify_status_change(organisation=organisation, proposal_id=proposal.pk)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [
        proposal.author_id
    ]


def test_a_rolled_back_change_sends_nothing(
    proposal, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_status_change(
            organisation=proposal.organisation, proposal_id=proposal.pk
        )
    assert len(callbacks) == 1
    assert mailoutbox == []


# Preferences --------------------------------------------------------------------


def test_preference_none_sends_nothing(
    proposal, django_capture_on_commit_callbacks, mailoutbox
):
    prefer(proposal.author, "none")
    with django_capture_on_commit_callbacks(execute=True):
        notify_status_change(
            organisation=proposal.organisation, proposal_id=proposal.pk
        )
    notification = Notification.objects.get()
    assert notification.emailed_at is None
    assert send_digests.call() == 0
    assert mailoutbox == []


def test_digest_groups_unsent_notifications_per_account_and_commune(
    proposal,
    make_user,
    other_organisation,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    digest_user, other = make_user(), make_user()
    prefer(digest_user, "digest")
    second = ProposalFactory(cycle=proposal.cycle, title="Une fontaine")
    elsewhere = ProposalFactory(
        cycle=CycleFactory(organisation=other_organisation), title="Ailleurs"
    )
    for target in (proposal, second, elsewhere):
        Follow.objects.create(
            organisation=target.organisation, proposal=target, user=digest_user
        )
    with django_capture_on_commit_callbacks(execute=True):
        for target in (proposal, second, elsewhere):
            comment_post(
                organisation=target.organisation,
                proposal_id=target.pk,
                author=other,
                body="Avis",
            )
    immediate = [e for e in mailoutbox if e.to == [digest_user.email]]
    assert immediate == []  # left for the digest
    mailoutbox.clear()

    assert send_digests.call() == 2  # one per commune
    mine = sorted(
        (e for e in mailoutbox if e.to == [digest_user.email]),
        key=lambda e: len(e.body),
    )
    assert len(mine) == 2
    assert "Ailleurs" in mine[0].body
    assert "Des bancs au parc" in mine[1].body and "Une fontaine" in mine[1].body
    assert proposal.organisation.site.hostname in mine[1].body
    assert other_organisation.site.hostname in mine[0].body
    assert not Notification.objects.filter(
        user=digest_user, emailed_at__isnull=True
    ).exists()

    mailoutbox.clear()
    assert send_digests.call() == 0  # a rerun sends nothing
    assert mailoutbox == []


def test_the_digest_never_shows_a_hidden_comments_text(
    proposal, make_user, moderator_hides, django_capture_on_commit_callbacks, mailoutbox
):
    prefer(proposal.author, "digest")
    comment = comment_post(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        author=make_user(),
        body="Texte injurieux",
    )
    moderator_hides(comment, "Injurieux")
    assert send_digests.call() == 1
    [email] = mailoutbox
    assert "Texte injurieux" not in email.body
    assert "Texte injurieux" not in email.alternatives[0][0]


def test_the_digest_command_reports_what_it_sent(proposal, make_user, mailoutbox):
    prefer(proposal.author, "digest")
    NotificationFactory(proposal=proposal)
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().strip() == "1 digest e-mail(s) sent."
    assert len(mailoutbox) == 1


def test_sending_a_notification_twice_sends_one_email(proposal, mailoutbox):
    notification = NotificationFactory(proposal=proposal)
    assert send_notification_email.call(notification.pk) is True
    assert send_notification_email.call(notification.pk) is False
    assert send_notification_email.call(notification.pk + 1000) is False
    assert len(mailoutbox) == 1


def test_a_failed_send_can_be_retried(proposal, mailoutbox, monkeypatch):
    notification = NotificationFactory(proposal=proposal)

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(ConnectionError):
        send_notification_email.call(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    assert send_notification_email.call(notification.pk) is True
    assert len(mailoutbox) == 1


# The notifications page -------------------------------------------------------------


def list_url() -> str:
    return reverse("participation:notification-list")


def test_the_page_lists_ones_notifications_in_this_commune(
    proposal, user, make_user, other_organisation
):
    NotificationFactory(proposal=proposal, user=user)
    elsewhere = ProposalFactory(
        cycle=CycleFactory(organisation=other_organisation), title="Ailleurs"
    )
    NotificationFactory(proposal=elsewhere, user=user)
    NotificationFactory(
        proposal=ProposalFactory(cycle=proposal.cycle, title="Pas pour vous"),
        user=make_user(),
    )
    response = client_for(proposal.organisation, user).get(list_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Des bancs au parc" in content
    assert "Ailleurs" not in content
    assert "Pas pour vous" not in content
    assert 'id="preferences"' in content


def test_the_page_keeps_a_bounded_number_of_queries(
    proposal, user, make_user, django_assert_max_num_queries
):
    for _ in range(30):
        comment = CommentFactory(proposal=proposal, author=make_user())
        NotificationFactory(
            proposal=proposal, user=user, kind=Notification.Kind.REPLY, comment=comment
        )
    client = client_for(proposal.organisation, user)
    with django_assert_max_num_queries(12):
        assert client.get(list_url()).status_code == 200


def test_marking_one_and_all_notifications_read(proposal, user):
    first, second = (
        NotificationFactory(proposal=proposal, user=user) for _ in range(2)
    )
    client = client_for(proposal.organisation, user)
    url = reverse("participation:notification-read")
    client.post(url, {"notification": first.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    client.post(url)
    second.refresh_from_db()
    assert second.read_at is not None


def test_one_cannot_mark_anothers_notification_read(proposal, user, make_user):
    theirs = NotificationFactory(proposal=proposal, user=make_user())
    client_for(proposal.organisation, user).post(
        reverse("participation:notification-read"), {"notification": theirs.pk}
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_preference_form_saves_the_choice(proposal, user):
    client = client_for(proposal.organisation, user)
    url = reverse("participation:notification-preference")
    response = client.post(url, {"email_mode": "digest"})
    assert response.status_code == 302
    assert user.notification_preference.email_mode == "digest"
    response = client.post(url, {"email_mode": "sometimes"})
    assert response.status_code == 400
    user.notification_preference.refresh_from_db()
    assert user.notification_preference.email_mode == "digest"


def test_the_page_needs_an_account(organisation):
    response = client_for(organisation).get(list_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_digest_skips_notifications_older_than_a_week(proposal, mailoutbox):
    prefer(proposal.author, "digest")
    NotificationFactory(
        proposal=proposal, created_at=timezone.now() - timedelta(days=8)
    )
    assert send_digests.call() == 0
    assert mailoutbox == []


def test_titles_are_escaped_in_the_html_email(organisation, mailoutbox):
    proposal = ProposalFactory(
        cycle=CycleFactory(organisation=organisation), title="<b>Bancs</b> & parc"
    )
    NotificationFactory(proposal=proposal)
    send_digests.call()  # nothing: no digest preference
    send_notification_email.call(Notification.objects.get().pk)
    [email] = mailoutbox
    assert "<b>Bancs</b> & parc" in email.subject
    assert "<b>Bancs</b> & parc" in email.body  # plain text, not HTML
    html = email.alternatives[0][0]
    assert "<b>Bancs</b>" not in html
    assert "&lt;b&gt;Bancs&lt;/b&gt; &amp; parc" in html
