"""Moderators hide and restore project comments, audited (issue 6)."""

import pytest
from django.urls import reverse

from budget.models import Project, ProjectComment
from carte.models import AuditEvent
from carte.roles import Role
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def comment(organisation):
    return factories.ProjectCommentFactory(
        project__cycle__organisation=organisation,
        body="Un avis déplacé",
    )


def _moderate(client, comment, **data):
    url = reverse("budget:project-comment-moderate", args=[comment.pk])
    return client.post(url, data)


def test_a_moderator_hides_then_restores_a_project_comment(
    organisation, staff_of, commune_client, comment
):
    Project.objects.filter(pk=comment.project_id).update(comment_count=1)
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    response = _moderate(
        client, comment, action="hide", reason="Propos injurieux", confirm="on"
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert comment.hidden_reason == "Propos injurieux"
    assert Project.objects.get(pk=comment.project_id).comment_count == 0
    public = commune_client.get(comment.project.get_absolute_url()).content.decode()
    assert "Un avis déplacé" not in public
    seen_by_moderator = client.get(comment.project.get_absolute_url()).content.decode()
    assert "Propos injurieux" in seen_by_moderator
    _moderate(client, comment, action="restore")
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert Project.objects.get(pk=comment.project_id).comment_count == 1
    assert (
        "Un avis déplacé"
        in commune_client.get(comment.project.get_absolute_url()).content.decode()
    )
    actions = list(
        AuditEvent.objects.filter(target=f"project_comment:{comment.pk}")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["project_comment_hide", "project_comment_restore"]


def test_hiding_needs_a_reason(organisation, staff_of, comment):
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    _moderate(client, comment, action="hide", reason="  ")
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "role", [None, Role.REVIEWER, Role.COUNTER_AGENT, Role.ELECTED]
)
def test_other_roles_cannot_hide(organisation, staff_of, make_user, comment, role):
    if role is None:
        client = client_for(organisation, make_user())
    else:
        _user, client = staff_of(organisation, role)
    assert _moderate(client, comment, action="hide", reason="x").status_code == 403
    assert not ProjectComment.objects.filter(hidden_at__isnull=False).exists()


def test_another_communes_moderator_gets_404(other_organisation, staff_of, comment):
    _moderator, client = staff_of(other_organisation, Role.MODERATOR)
    response = _moderate(client, comment, action="hide", reason="x")
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_anonymous_is_sent_to_log_in(organisation, commune_client, comment):
    response = _moderate(commune_client, comment, action="hide", reason="x")
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_hiding_asks_for_confirmation_and_keeps_the_reason(
    organisation, staff_of, comment
):
    _moderator, client = staff_of(organisation, Role.MODERATOR)
    response = _moderate(client, comment, action="hide", reason="Hors sujet total")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick “I confirm” to go ahead." in page or "Je confirme" in page
    assert 'value="Hors sujet total"' in page
    assert "button--danger" in page
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert not AuditEvent.objects.exists()
    confirmed = _moderate(
        client, comment, action="hide", reason="Hors sujet total", confirm="on"
    )
    assert confirmed.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_reason == "Hors sujet total"
