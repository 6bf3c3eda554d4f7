"""Counter consent: the resident confirms that an idea keyed at the counter is
theirs, from the link e-mailed to their account.

GET shows the idea and what confirming does (a mere GET, such as a mail
scanner's, attaches nothing); POST attaches it through `counter_claim_confirm`.
A damaged, expired or used link, or another account, gets the page with the
reason (400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carte.http import organisation_or_404
from participation.services import claims as services


@login_required
def claim_confirm(request: HttpRequest, token: str) -> HttpResponse:
    organisation = organisation_or_404(request)
    token = token[:500]
    try:
        if request.method == "POST":
            proposal = services.counter_claim_confirm(
                organisation=organisation, token=token, user=request.user
            )
            messages.success(
                request,
                _("The idea is now attached to your account, with your pseudonym."),
            )
            return redirect(proposal.get_absolute_url())
        claim = services.counter_claim_for_token(
            organisation=organisation, token=token, user=request.user
        )
    except ValidationError as error:
        return render(
            request,
            "participation/claim_confirm.html",
            {"error": " ".join(error.messages)},
            status=400,
        )
    return render(
        request,
        "participation/claim_confirm.html",
        {"claim": claim, "proposal": claim.proposal},
    )
