"""Hard-to-undo actions (refuse, hide, block, delete) look different and ask for
confirmation, without a script: the form refuses an unticked "I confirm" with a
message (400), keeping what was typed, and accepts it ticked."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from carte.models import AuditEvent
from carte.roles import Role
from participation import workflow
from participation.models import Comment, ModerationEvent, Proposal
from participation.services.comments import comment_post
from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRM_ERROR = ("Tick “I confirm” to go ahead.", "Cochez « Je confirme »")
CSS = Path(__file__).resolve().parents[2] / "carte" / "static" / "carte" / "agora.css"


@pytest.fixture
def moderator_client(organisation, staff_of):
    return staff_of(organisation, Role.MODERATOR)[1]


def refused_with_message(response, typed: str) -> None:
    page = response.content.decode()
    assert response.status_code == 400
    assert any(message in page for message in CONFIRM_ERROR)
    assert typed in page  # the input is kept


def test_a_rejection_needs_confirmation(cycle, moderator_client):
    proposal = ProposalFactory(
        cycle=cycle, status=workflow.Status.SUBMITTED, published_at=None
    )
    url = reverse(
        "participation:moderation-action",
        args=[proposal.pk, workflow.Action.REJECT],
    )
    typed = "Ce projet relève du département."
    refused_with_message(moderator_client.post(url, {"reason": typed}), typed)
    proposal.refresh_from_db()
    assert proposal.status == workflow.Status.SUBMITTED
    assert not ModerationEvent.objects.exists()
    response = moderator_client.post(url, {"reason": typed, "confirm": "on"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == workflow.Status.REJECTED


def test_hiding_a_proposal_needs_confirmation(cycle, moderator_client):
    proposal = ProposalFactory(cycle=cycle)
    url = reverse("participation:moderation-hide", args=[proposal.pk])
    typed = "Propos injurieux envers un voisin"
    refused_with_message(moderator_client.post(url, {"reason": typed}), typed)
    assert Proposal.objects.get(pk=proposal.pk).hidden_at is None
    response = moderator_client.post(url, {"reason": typed, "confirm": "on"})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).hidden_at is not None


def test_hiding_a_comment_needs_confirmation(cycle, moderator_client):
    proposal = ProposalFactory(cycle=cycle)
    comment = comment_post(
        organisation=proposal.organisation,
        proposal_id=proposal.pk,
        author=UserFactory(),
        body="Propos déplacés",
    )
    url = reverse("participation:comment-hide", args=[comment.pk])
    typed = "Hors sujet, merci de rester courtois"
    data = {"reason": typed, "category": "off_topic"}
    refused_with_message(moderator_client.post(url, data), typed)
    assert Comment.objects.get(pk=comment.pk).hidden_at is None
    response = moderator_client.post(url, {**data, "confirm": "on"})
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).hidden_at is not None


def test_blocking_an_account_needs_confirmation(cycle, moderator_client):
    resident = ProposalFactory(cycle=cycle).author  # seen in this commune
    url = reverse("participation:moderation-account", args=[resident.pk])
    typed = "Insultes répétées sous trois idées"
    refused_with_message(moderator_client.post(url, {"reason": typed}), typed)
    assert not AuditEvent.objects.filter(action__contains="block").exists()
    response = moderator_client.post(url, {"reason": typed, "confirm": "on"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action__contains="block").exists()


def test_dangerous_buttons_look_different_from_the_others(cycle, moderator_client):
    proposal = ProposalFactory(
        cycle=cycle, status=workflow.Status.SUBMITTED, published_at=None
    )
    url = reverse("participation:moderation-proposal", args=[proposal.pk])
    page = moderator_client.get(url).content.decode()
    buttons = {
        label.strip(): classes
        for classes, label in re.findall(
            r'<button type="submit" class="([^"]*)">([^<]*)</button>', page
        )
    }
    danger = {
        label for label, classes in buttons.items() if "button--danger" in classes
    }
    assert len(danger) == 2  # refuse, hide
    assert len(buttons) > len(danger)  # publish and the others stay plain
    assert page.count('name="confirm"') == 2


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_danger_style_has_enough_contrast_and_a_sign_besides_colour():
    css = CSS.read_text(encoding="utf-8")
    rules = re.findall(r"button--danger[^{]*\{([^}]*)\}", css)
    backgrounds = [
        colour for rule in rules for colour in re.findall(r"background: #(\w{6})", rule)
    ]
    assert backgrounds
    white = relative_luminance("ffffff")
    for colour in backgrounds:
        ratio = (white + 0.05) / (relative_luminance(colour) + 0.05)
        assert ratio >= 4.5, colour
    assert re.search(r"\.button--danger::before \{ content: \"⚠", css)
