"""Proposal pages: browse (list, map), read, propose, edit a draft, the counter,
withdraw an idea.

Views parse, check a predicate of participation.permissions, call one service
or selector, and render. A refused service re-renders the form (400) with what
was typed; a visitor whose session expired is sent to log in and finds the form
filled again (the POSTed fields wait in the session).
"""

import random
from dataclasses import replace
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from carte.formats import parse_id
from carte.geocoding import geocode_first
from carte.http import form_page, organisation_or_404, require_mfa
from carte.maps import map_context, point_picker_context
from participation import ratelimit, workflow
from participation.forms.photos import PHOTO_SLOTS
from participation.forms.proposals import (
    ACTION_SUBMIT,
    CounterProposalForm,
    ProposalFilterForm,
    ProposalForm,
    WithdrawForm,
)
from participation.models import Cycle, Proposal
from participation.permissions import proposals as permissions
from participation.permissions.moderation import blocked_message, party_for
from participation.phases import Feature
from participation.selectors import proposals as selectors
from participation.selectors.cycles import (
    cycle_for_page,
    cycles_for_choice,
    cycles_open_for,
)
from participation.services import proposals as services
from participation.services.moderation import proposal_transition
from participation.views.comments import interactions_context

PAGE_SIZE = 20
SIX_DECIMALS = Decimal("0.000001")
WORLD = (-180, -90, 180, 90)
SEED_KEY = "participation_seed"
PENDING_KEY = "participation_pending"  # + cycle slug: fields typed before login
PENDING_FIELDS = (
    *ProposalForm.field_order,
    "estimated_cost",
    *(f"alt_{slot}" for slot in PHOTO_SLOTS),
)
PROPOSE_LIMIT = (30, 3600)  # saves per account per hour
COUNTER_LIMIT = (200, 3600)


def _seed(request: HttpRequest) -> int:
    """A random seed per visitor (session), so the random order stays stable."""
    seed = request.session.get(SEED_KEY)
    if not isinstance(seed, int):
        seed = random.SystemRandom().randrange(1, selectors.RANDOM_PRIME)
        request.session[SEED_KEY] = seed
    return seed


def _browse(request: HttpRequest):
    organisation = organisation_or_404(request)
    statuses = permissions.visible_statuses(request.actor, organisation)
    form = ProposalFilterForm(
        request.GET or None, organisation=organisation, statuses=statuses
    )
    values = form.values() if request.GET else {"sort": "recent"}
    filters = selectors.ProposalFilters(**values)
    seed = _seed(request) if filters.sort == "random" else 0
    queryset = selectors.proposals_for_list(
        organisation=organisation, statuses=statuses, filters=filters, seed=seed
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page_obj": page,
        "proposals": page.object_list,
        "query": query.urlencode(),
        "filters": filters,
        "statuses": statuses,
    }


def proposal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/proposal_list.html", _browse(request))


def proposal_map(request: HttpRequest) -> HttpResponse:
    """The same results as the list, on a map, with the list beside it."""
    context = _browse(request)
    organisation = request.organisation
    bbox = organisation.bbox
    query = QueryDict(mutable=True)
    query.update(request.GET)
    query.pop("page", None)
    query.pop("sort", None)
    query["bbox"] = ",".join(
        str(value) for value in (bbox.as_list() if bbox else WORLD)
    )
    context["map"] = map_context(
        organisation,
        features_url=f"{reverse('participation:proposal-geojson')}?{query.urlencode()}",
        list_anchor="liste",
        title=_("Map of the ideas"),
    )
    return render(request, "participation/proposal_map.html", context)


def proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    """This commune's proposal with what its page shows, if the reader may see
    it (404 otherwise, as for another commune's)."""
    organisation = organisation_or_404(request)
    try:
        proposal = selectors.proposal_for_page(organisation=organisation, pk=pk)
    except Proposal.DoesNotExist:
        raise Http404(_("No such idea.")) from None
    if not permissions.can_view_proposal(request.actor, proposal):
        raise Http404(_("No such idea."))
    return proposal


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_or_404(request, pk)
    organisation = request.organisation
    phase = proposal.cycle.phase_at(timezone.now())
    context = interactions_context(request, proposal)  # supports, comments...
    return render(
        request,
        "participation/proposal_detail.html",
        context
        | {
            "proposal": proposal,
            "map": proposal_point_map(organisation, proposal)
            if proposal.has_point
            else None,
            "phase": phase,
            "share_url": request.build_absolute_uri(proposal.get_absolute_url()),
            "can_edit": permissions.can_edit_proposal(
                request.actor, proposal, phase=phase
            ),
        },
    )


def proposal_point_map(organisation, proposal: Proposal) -> dict:
    """A small map of the idea's point; the list under it says the same.

    The proposal page and the study page (budget.views.reviews) show it.
    """
    point = {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [float(proposal.longitude), float(proposal.latitude)],
        },
        "properties": {
            "title": proposal.title,
            "url": proposal.get_absolute_url(),
            "status": proposal.status,
        },
    }
    return map_context(
        organisation,
        districts=False,
        features={"type": "FeatureCollection", "features": [point]},
        list_anchor="lieu",
        title=_("Place of the idea"),
        map_id="carte-idee",
    )


@require_GET
def proposal_similar(request: HttpRequest) -> JsonResponse:
    """Visible proposals whose titles share words with ?titre= (for the form)."""
    organisation = organisation_or_404(request)
    title = request.GET.get("titre", "")[:120]
    exclude = request.GET.get("sauf", "")
    found = selectors.proposals_similar(
        organisation=organisation,
        title=title,
        statuses=permissions.visible_statuses(request.actor, organisation),
        exclude_pk=parse_id(exclude),
    )
    return JsonResponse(
        {
            "results": [
                {
                    "id": p.pk,
                    "title": p.title,
                    "url": p.get_absolute_url(),
                    "supports": p.support_count,
                }
                for p in found
            ]
        }
    )


def _closed(request: HttpRequest, cycle: Cycle) -> HttpResponse:
    return render(
        request, "participation/proposal_closed.html", {"cycle": cycle}, status=403
    )


def _render_form(request, context, *, status=200) -> HttpResponse:
    proposal = context.get("proposal")
    context["picker"] = point_picker_context(request.organisation)
    context["similar_config"] = {
        "url": reverse("participation:proposal-similar"),
        "exclude": proposal.pk if proposal else None,
        "labels": {
            "found": _("Similar ideas already exist; perhaps support one of them:"),
            "supports": _("%s support(s)"),
        },
    }
    return render(request, "participation/proposal_form.html", context, status=status)


def _keep_and_log_in(request: HttpRequest, key: str) -> HttpResponse:
    """A POST without a session (never logged in, or expired): keep the typed
    fields in the session and come back to the form after logging in."""
    request.session[key] = {name: request.POST.get(name, "") for name in PENDING_FIELDS}
    messages.info(
        request,
        _(
            "Log in or create an account to send your idea. What you typed "
            "is kept (photos must be added again)."
        ),
    )
    return redirect_to_login(request.path)


def _pending(request: HttpRequest, key: str) -> dict | None:
    """The fields kept before logging in, once (checkbox left empty: unticked)."""
    kept = request.session.pop(key, None)
    if kept and kept.get("whole_commune") == "":
        kept.pop("whole_commune")
    return kept


def _save_and_maybe_submit(request, form, *, organisation, cycle, proposal=None):
    """Save the draft; on the submit button, go on to the similar-ideas step."""
    data = _placed(form, organisation)
    saved = services.proposal_save_draft(
        organisation=organisation,
        cycle_id=cycle.pk,
        author=request.user,
        data=data,
        proposal_id=proposal.pk if proposal else None,
        photos=form.photos(),
        remove_photo_ids=form.remove_photo_ids() if proposal else [],
    )
    if request.POST.get("action") == ACTION_SUBMIT:
        return redirect("participation:proposal-submit", pk=saved.pk)
    messages.success(
        request,
        _("Your draft is saved. Nobody else can see it until you send it."),
    )
    return redirect("participation:proposal-edit", pk=saved.pk)


def _placed(form, organisation) -> services.ProposalInput:
    """The form's input; an address typed without a point (no JavaScript) is
    placed by the geocoder when it finds it (it answers None on failure)."""
    data = form.to_input()
    if not form.needs_geocoding():
        return data
    found = geocode_first(organisation, data.address)
    if found is None:
        return data
    return replace(
        data,
        latitude=Decimal(str(found.latitude)).quantize(SIX_DECIMALS),
        longitude=Decimal(str(found.longitude)).quantize(SIX_DECIMALS),
    )


def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose an idea in a cycle; anyone can fill the form, sending needs an
    account (the typed fields wait in the session during login)."""
    organisation = organisation_or_404(request)
    try:
        row = cycle_for_page(organisation=organisation, slug=slug, now=timezone.now())
    except Cycle.DoesNotExist:
        raise Http404(_("No such cycle.")) from None
    cycle = row.cycle
    if not row.propose_open:
        return _closed(request, cycle)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return _keep_and_log_in(request, f"{PENDING_KEY}:{slug}")
    elif request.actor.is_blocked:
        messages.error(request, blocked_message())
        return redirect("participation:cycle-detail", slug=cycle.slug)
    elif not permissions.can_propose(request.actor, cycle, phase=row.phase):
        raise PermissionDenied(_("You cannot propose an idea here."))
    context = {"cycle": cycle, "proposal": None}
    if request.method != "POST":
        initial = _pending(request, f"{PENDING_KEY}:{slug}") or {}
        context["form"] = ProposalForm(organisation=organisation, initial=initial)
        context["restored"] = bool(initial)
        return _render_form(request, context)
    context["form"] = ProposalForm(
        request.POST, request.FILES, organisation=organisation
    )
    return _proposal_post(
        request,
        context,
        organisation=organisation,
        too_many=_("Too many ideas in a short time. Try again in an hour."),
    )


def _proposal_post(
    request: HttpRequest, context: dict, *, organisation, too_many: str
) -> HttpResponse:
    """Save the form of `context` (a draft, or sent on the submit button); else
    the form again, with its errors (400) or the rate limit's (429)."""
    form = context["form"]
    if not ratelimit.allow(
        request, action="propose", limit=PROPOSE_LIMIT[0], seconds=PROPOSE_LIMIT[1]
    ):
        form.add_error(None, too_many)
        return _render_form(request, context, status=429)
    valid = (
        form.require_complete()
        if request.POST.get("action") == ACTION_SUBMIT
        else form.is_valid()
    )
    if valid:
        try:
            return _save_and_maybe_submit(
                request,
                form,
                organisation=organisation,
                cycle=context["cycle"],
                proposal=context["proposal"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    return _render_form(request, context, status=400)


def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's draft; a POST after the session expired is kept for after
    the login, like on the first form."""
    key = f"{PENDING_KEY}:edit:{pk}"
    if not request.user.is_authenticated:
        if request.method == "POST":
            return _keep_and_log_in(request, key)
        return redirect_to_login(request.get_full_path())
    proposal = proposal_or_404(request, pk)
    organisation = request.organisation
    phase = proposal.cycle.phase_at(timezone.now())
    if not permissions.can_edit_proposal(request.actor, proposal, phase=phase):
        if (
            proposal.author_id == request.user.pk
            and proposal.status in permissions.EDITABLE_STATUSES
        ):
            return _closed(request, proposal.cycle)
        raise PermissionDenied(_("This idea can no longer be edited."))
    context = {"cycle": proposal.cycle, "proposal": proposal}
    if request.method != "POST":
        kept = _pending(request, key)
        context["restored"] = bool(kept)
        context["form"] = ProposalForm(
            organisation=organisation,
            proposal=proposal,
            initial=kept or ProposalForm.initial_from(proposal),
        )
        return _render_form(request, context)
    context["form"] = ProposalForm(
        request.POST, request.FILES, organisation=organisation, proposal=proposal
    )
    return _proposal_post(
        request,
        context,
        organisation=organisation,
        too_many=_("Too many changes in a short time. Try again in an hour."),
    )


@login_required
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The last step: similar ideas are shown (if any) before the idea is sent."""
    proposal = proposal_or_404(request, pk)
    organisation = request.organisation
    phase = proposal.cycle.phase_at(timezone.now())
    if not permissions.can_edit_proposal(request.actor, proposal, phase=phase):
        raise PermissionDenied(_("This idea can no longer be sent."))
    similar = selectors.proposals_similar(
        organisation=organisation,
        title=proposal.title,
        statuses=permissions.visible_statuses(request.actor, organisation),
        exclude_pk=proposal.pk,
    )
    error = None
    if request.method == "POST":
        try:
            services.proposal_submit(
                organisation=organisation, proposal_id=proposal.pk, author=request.user
            )
        except ValidationError as refused:
            error = refused
        else:
            messages.success(
                request,
                _(
                    "Thank you, your idea has been sent. The moderation team reads it "
                    "and publishes it, usually within a few days."
                ),
            )
            return redirect(proposal.get_absolute_url())
    # Even with nothing similar, the idea is sent by the page's button: a mere
    # GET never sends it.
    return render(
        request,
        "participation/proposal_submit.html",
        {"proposal": proposal, "similar": similar, "error": error},
        status=400 if error else 200,
    )


@login_required
def counter_proposal_create(request: HttpRequest) -> HttpResponse:
    """At the town hall: a counter agent enters a paper proposal for a resident."""
    organisation = organisation_or_404(request)
    if not permissions.can_access_counter(request.actor, organisation):
        raise PermissionDenied(_("This page is reserved for the counter agents."))
    now = timezone.now()
    cycles = [
        cycle
        for cycle in cycles_open_for(
            organisation=organisation, feature=Feature.PROPOSE, now=now
        )
        if permissions.can_submit_at_counter(
            request.actor, cycle, phase=cycle.phase_at(now)
        )
    ]
    form = CounterProposalForm(
        request.POST or None,
        organisation=organisation,
        cycles=cycles_for_choice(organisation=organisation, cycles=cycles),
    )
    context = {
        "form": form,
        "has_cycles": bool(cycles),
        "picker": point_picker_context(organisation),
    }
    if request.method == "POST":
        if not ratelimit.allow(
            request, action="counter", limit=COUNTER_LIMIT[0], seconds=COUNTER_LIMIT[1]
        ):
            form.add_error(
                None, _("Too many entries in a short time. Try again later.")
            )
        elif form.require_complete():
            try:
                proposal = services.proposal_submit_at_counter(
                    organisation=organisation,
                    cycle_id=form.cleaned_data["cycle"].pk,
                    agent=request.actor,
                    data=_placed(form, organisation),
                    resident=form.resident(),
                    now=now,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # The same words whether an account uses the e-mail or not.
                messages.success(
                    request,
                    _(
                        "The idea “%(title)s” is recorded (number %(number)s). "
                        "Give this number to the resident."
                    )
                    % {"title": proposal.title, "number": proposal.pk},
                )
                if form.cleaned_data["resident_email"]:
                    messages.info(
                        request,
                        _(
                            "If an account uses the e-mail address given, its owner "
                            "receives a link to attach the idea to it. Until then, "
                            "the idea belongs to no account."
                        ),
                    )
                return redirect("participation:counter-proposal-create")
        return render(
            request, "participation/counter_proposal_form.html", context, status=400
        )
    return render(request, "participation/counter_proposal_form.html", context)


@login_required
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The author (or the counter, for a paper proposal) withdraws an idea.

    GET says what will happen; POST withdraws it through `proposal_transition`.
    """
    proposal = proposal_or_404(request, pk)
    party = party_for(request.actor, proposal, workflow.Action.WITHDRAW)
    if party is None:
        raise PermissionDenied(_("Your role does not allow this action."))
    # Acting for the commune is a back-office act: two-step login first.
    if party != workflow.Party.AUTHOR and (refused := require_mfa(request)):
        return refused
    withdrawable = permissions.can_withdraw(request.actor, proposal)
    return form_page(
        request,
        WithdrawForm(
            request.POST if request.method == "POST" else None,
            auto_id="id_withdraw_%s",
        ),
        lambda data: proposal_transition(
            organisation=request.organisation,
            proposal_id=proposal.pk,
            action=workflow.Action.WITHDRAW,
            actor=request.actor,
            reason=data["reason"],
        ),
        "participation/proposal_withdraw.html",
        {
            "proposal": proposal,
            "withdrawable": withdrawable,
            "by_author": party == workflow.Party.AUTHOR,
        },
        success=_("The idea is withdrawn. It stays readable, marked as withdrawn."),
        next_url=proposal.get_absolute_url(),
        check=lambda: (
            None if withdrawable else (_("This idea can no longer be withdrawn."), 400)
        ),
    )
