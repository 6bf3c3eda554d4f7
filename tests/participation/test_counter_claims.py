"""Counter consent (issue 12, acceptance 4): an idea keyed at the counter joins
an account only when its owner confirms from the e-mailed link; the agent never
learns which pseudonym goes with an e-mail; a resident without an account keeps
their name and contact private to the team."""

import re
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from carte.models import AuditEvent
from carte.roles import Role
from participation.models import CounterClaim, Proposal
from participation.services.claims import claim_token
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.test_proposals import COUNTER_URL, counter_data

PSEUDONYM = "Paul du Moulin"


@pytest.fixture
def resident(db):
    return UserFactory(email="paul@example.org", pseudonym=PSEUDONYM)


def key_in(client, cycle, email, django_capture_on_commit_callbacks, **fields):
    """The agent records an idea; (the response followed to the next page, the
    messages shown)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(COUNTER_URL),
            counter_data(cycle, resident_email=email, **fields),
            follow=True,
        )
    assert response.status_code == 200
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def link_in(message) -> str:
    return re.search(r"https?://\S+/propositions/rattacher/\S+/", message.body)[0]


def test_an_idea_for_an_account_waits_for_consent_and_mails_a_link(
    organisation, cycle, resident, staff_of, django_capture_on_commit_callbacks
):
    agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    response, _messages = key_in(
        client, cycle, "PAUL@example.org", django_capture_on_commit_callbacks
    )
    proposal = Proposal.objects.get()
    assert proposal.author is None  # pending
    claim = CounterClaim.objects.get()
    assert (claim.user, claim.proposal, claim.confirmed_at) == (
        resident,
        proposal,
        None,
    )
    assert claim.emailed_at is not None
    audit = AuditEvent.objects.get(action="counter_claim_request")
    assert (audit.actor, audit.target) == (agent, f"proposal:{proposal.pk}")
    assert "paul@example.org" not in str(audit.data).lower()
    [message] = mail.outbox
    assert message.to == ["paul@example.org"]
    assert organisation.site.hostname in link_in(message)
    assert PSEUDONYM not in response.content.decode()


def test_the_agent_reads_the_same_whether_the_email_has_an_account_or_not(
    organisation, cycle, resident, staff_of, django_capture_on_commit_callbacks
):
    _agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    known, known_messages = key_in(
        client, cycle, "paul@example.org", django_capture_on_commit_callbacks
    )
    unknown, unknown_messages = key_in(
        client, cycle, "personne@example.org", django_capture_on_commit_callbacks
    )
    numbers = [str(p.pk) for p in Proposal.objects.order_by("pk")]
    same = [m.replace(numbers[0], "N") for m in known_messages]
    assert same == [m.replace(numbers[1], "N") for m in unknown_messages]
    for html in (known.content.decode(), unknown.content.decode()):
        assert PSEUDONYM not in html
    # The agent's later pages do not tell either: the idea has no author yet.
    for proposal in Proposal.objects.all():
        page = client.get(proposal.get_absolute_url())
        assert PSEUDONYM not in page.content.decode()
    assert len(mail.outbox) == 1  # only the account's owner is written to


def test_a_form_error_at_the_counter_shows_no_pseudonym(
    organisation, cycle, resident, staff_of
):
    _agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    response = client.post(
        reverse(COUNTER_URL),
        counter_data(cycle, resident_email="paul@example.org", title=""),
    )
    assert response.status_code == 400
    assert PSEUDONYM not in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.fixture
def claim(organisation, cycle, resident, staff_of, django_capture_on_commit_callbacks):
    _agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    key_in(client, cycle, "paul@example.org", django_capture_on_commit_callbacks)
    return CounterClaim.objects.get()


def confirm_url(claim) -> str:
    return reverse("participation:claim-confirm", args=[claim_token(claim)])


def test_the_mailed_link_attaches_the_idea_once_confirmed(
    organisation, claim, resident
):
    client = client_for(organisation, resident)
    url = urlsplit(link_in(mail.outbox[0])).path  # the very link e-mailed
    page = client.get(url)
    assert page.status_code == 200
    assert escape(claim.proposal.title) in page.content.decode()
    claim.proposal.refresh_from_db()
    assert claim.proposal.author is None  # a GET attaches nothing
    response = client.post(url)
    assert response.status_code == 302
    claim.refresh_from_db()
    claim.proposal.refresh_from_db()
    assert claim.proposal.author == resident
    assert claim.confirmed_at is not None
    audit = AuditEvent.objects.get(action="counter_claim_confirm")
    assert (audit.actor, audit.target) == (resident, f"proposal:{claim.proposal_id}")
    again = client.post(url)
    assert again.status_code == 400
    message = gettext("You have already attached this idea to your account.")
    assert escape(message) in again.content.decode()


def refused(client, url, message):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 400
        assert escape(gettext(message)) in response.content.decode()


EXPIRED = (
    "This link has expired. Ask the town hall's counter to send a new one: "
    "the idea stays recorded."
)
INVALID = (
    "This link is not valid. Copy the whole address from the e-mail, or "
    "ask the town hall's counter to send a new one."
)


def test_an_expired_claim_is_refused_with_a_message(organisation, claim, resident):
    CounterClaim.objects.filter(pk=claim.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    refused(client_for(organisation, resident), confirm_url(claim), EXPIRED)
    claim.proposal.refresh_from_db()
    assert claim.proposal.author is None


def test_an_expired_signature_is_refused_with_a_message(organisation, claim, resident):
    url = confirm_url(claim)
    later = timezone.now() + timedelta(days=15)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        refused(client_for(organisation, resident), url, EXPIRED)
    claim.proposal.refresh_from_db()
    assert claim.proposal.author is None


@pytest.mark.parametrize(
    "token",
    [
        "nimportequoi",
        "²",
        "x" * 600,
        signing.dumps([999999, 1], salt="participation.counter-claim"),
        signing.dumps("autre", salt="participation.counter-claim"),
        signing.dumps([1, 1], salt="un-autre-sel"),
    ],
)
def test_an_invalid_link_is_refused_with_a_message(
    organisation, claim, resident, token
):
    url = reverse("participation:claim-confirm", args=[token])
    refused(client_for(organisation, resident), url, INVALID)
    claim.proposal.refresh_from_db()
    assert claim.proposal.author is None


def test_a_tampered_link_is_refused(organisation, claim, resident):
    token = claim_token(claim)
    url = reverse("participation:claim-confirm", args=[token[:-2] + "xx"])
    refused(client_for(organisation, resident), url, INVALID)


def test_the_link_works_only_for_the_account_asked(organisation, claim, staff_of):
    for role in (None, Role.COUNTER_AGENT, Role.MODERATOR):
        user = UserFactory() if role is None else staff_of(organisation, role)[0]
        response = client_for(organisation, user).post(confirm_url(claim))
        assert response.status_code == 400
        assert PSEUDONYM not in response.content.decode()
    claim.proposal.refresh_from_db()
    assert claim.proposal.author is None


def test_the_link_of_another_commune_is_refused(other_organisation, claim, resident):
    refused(client_for(other_organisation, resident), confirm_url(claim), INVALID)


def test_a_visitor_is_asked_to_log_in_first(organisation, claim):
    response = client_for(organisation).get(confirm_url(claim))
    assert response.status_code == 302
    assert "connexion" in response.url or "login" in response.url


def test_without_an_account_the_residents_details_stay_private(
    organisation, cycle, staff_of, django_capture_on_commit_callbacks
):
    _agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    key_in(
        client,
        cycle,
        "jeanne@example.org",
        django_capture_on_commit_callbacks,
        resident_contact="",
    )
    proposal = Proposal.objects.get()
    assert proposal.author is None
    # Kept for the team only.
    assert proposal.resident_name == "Jeanne Martin"
    assert proposal.resident_contact == "jeanne@example.org"
    Proposal.objects.filter(pk=proposal.pk).update(status="published")
    visitor = client_for(organisation)
    pages = [
        visitor.get(proposal.get_absolute_url()),
        visitor.get(reverse("participation:proposal-list")),
        visitor.get(
            reverse("participation:proposal-geojson") + "?bbox=-180,-90,180,90"
        ),
        client_for(organisation, UserFactory()).get(proposal.get_absolute_url()),
    ]
    for response in pages:
        html = response.content.decode()
        assert "Jeanne Martin" not in html
        assert "jeanne@example.org" not in html
