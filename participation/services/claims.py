"""Counter consent: an idea keyed at the counter joins an account only when the
account's owner says so.

The counter agent types the resident's e-mail; `counter_claim_request` (called by
`participation.services.proposals.proposal_submit_at_counter`) opens a
`CounterClaim` when an account uses that address. Its owner receives a signed
link (`django.core.signing`, salted, expiring after `claim_days()`), opens it
logged in and confirms (`counter_claim_confirm`): only then does the account
become the author. The agent is told the same thing whether an account matched
or not, and never sees a pseudonym tied to the address. Each step is audited.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.models import Organisation, User
from carte.services.audit import audit_record
from carte.tenancy import Actor
from participation.models import CounterClaim, Proposal

SALT = "participation.counter-claim"


def claim_days() -> int:
    """How long the link stays valid (setting AGORA_COUNTER_CLAIM_DAYS, 14)."""
    return max(1, int(getattr(settings, "AGORA_COUNTER_CLAIM_DAYS", 14)))


def claim_token(claim: CounterClaim) -> str:
    """The link's token: the claim's id and commune, signed with the secret key."""
    return signing.dumps([claim.pk, claim.organisation_id], salt=SALT)


def account_for_email(email: str) -> User | None:
    """The active account using this e-mail address (case ignored), if any."""
    email = email.strip()
    if not email:
        return None
    return User.objects.filter(email__iexact=email, is_active=True).first()


def counter_claim_request(
    *, organisation: Organisation, proposal: Proposal, email: str, agent: Actor
) -> CounterClaim | None:
    """Ask the account using `email` to confirm a proposal keyed at the counter.

    Returns the claim (None when no account uses the address: nothing is said
    about it). Runs in the caller's transaction; the e-mail is the caller's to
    enqueue after commit. Audited ("counter_claim_request"), without the address.
    """
    user = account_for_email(email)
    if user is None:
        return None
    now = timezone.now()
    claim = CounterClaim.objects.create(
        organisation=organisation,
        proposal=proposal,
        user=user,
        created_at=now,
        expires_at=now + timedelta(days=claim_days()),
    )
    audit_record(
        agent,
        "counter_claim_request",
        f"proposal:{proposal.pk}",
        {"claim": claim.pk},
        organisation=organisation,
    )
    return claim


def _refused(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def counter_claim_for_token(
    *, organisation: Organisation, token: str, user: User, now: datetime | None = None
) -> CounterClaim:
    """The claim a link names, if `user` may confirm it now.

    Refused (ValidationError) when the link is damaged or of another commune
    ("invalid"), too old ("expired"), already used ("already_confirmed"), meant
    for another account ("other_account") or the idea has an author already.
    """
    now = now or timezone.now()
    invalid = _refused(
        _(
            "This link is not valid. Copy the whole address from the e-mail, or "
            "ask the town hall's counter to send a new one."
        ),
        "invalid",
    )
    expired = _refused(
        _(
            "This link has expired. Ask the town hall's counter to send a new one: "
            "the idea stays recorded."
        ),
        "expired",
    )
    try:
        claim_id, organisation_id = signing.loads(
            token, salt=SALT, max_age=timedelta(days=claim_days())
        )
    except signing.SignatureExpired:
        raise expired from None
    except (signing.BadSignature, TypeError, ValueError):
        raise invalid from None
    if organisation_id != organisation.pk or not isinstance(claim_id, int):
        raise invalid
    claim = (
        CounterClaim.objects.for_organisation(organisation)
        .select_related("proposal")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise invalid
    if claim.user_id != user.pk:
        raise _refused(
            _(
                "This link was sent to another account. Log out, then log in with "
                "the account that received the e-mail."
            ),
            "other_account",
        )
    if claim.confirmed_at is not None:
        raise _refused(
            _("You have already attached this idea to your account."),
            "already_confirmed",
        )
    if now >= claim.expires_at:
        raise expired
    if claim.proposal.author_id is not None:
        raise invalid
    return claim


@transaction.atomic
def counter_claim_confirm(
    *, organisation: Organisation, token: str, user: User, now: datetime | None = None
) -> Proposal:
    """The account's owner confirms: the idea keyed at the counter becomes theirs.

    The checks of `counter_claim_for_token` run again on the locked rows. The
    other claims on the proposal lapse. Audited ("counter_claim_confirm").
    """
    now = now or timezone.now()
    claim = counter_claim_for_token(
        organisation=organisation, token=token, user=user, now=now
    )
    claim = CounterClaim.objects.select_for_update().get(pk=claim.pk)
    proposal = (
        Proposal.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=claim.proposal_id)
    )
    if claim.confirmed_at is not None or proposal.author_id is not None:
        raise _refused(
            _("You have already attached this idea to your account."),
            "already_confirmed",
        )
    proposal.author = user
    proposal.save(update_fields=["author", "updated_at"])
    claim.confirmed_at = now
    claim.save(update_fields=["confirmed_at"])
    audit_record(
        user,
        "counter_claim_confirm",
        f"proposal:{proposal.pk}",
        {"claim": claim.pk},
        organisation=organisation,
    )
    return proposal
