"""Which proposals a duplicate may be merged into, for the merge form."""

from django.db.models import Q

from carte.formats import parse_id, search_text
from participation import workflow
from participation.models import Proposal
from participation.words import significant_words

MERGE_CANDIDATES_MAX = 20


def proposals_for_merge(
    *,
    proposal: Proposal,
    query: str = "",
    include_pk: int | None = None,
    limit: int = MERGE_CANDIDATES_MAX,
) -> list[Proposal]:
    """Proposals `proposal` may be merged into: open ones of its cycle (2 queries).

    `query` finds them by number or by words of the title (icontains); without
    it, those sharing significant title words come first, then the most
    supported. `include_pk` keeps a chosen one in the list (the form's choice).
    """
    open_ones = (
        Proposal.objects.for_organisation(proposal.organisation_id)
        .published()
        .filter(cycle_id=proposal.cycle_id, status__in=sorted(workflow.ACTIVE_STATUSES))
        .exclude(pk=proposal.pk)
        .only("pk", "title", "status", "support_count", "organisation_id")
    )
    query = search_text(query or "", 120)
    number = query.removeprefix("n°").removeprefix("#").strip()
    condition = Q()
    if number.isdigit():  # that proposal; 0, none, when it is no id ("²")
        condition = Q(pk=parse_id(number) or 0)
    elif query:
        for word in query.split()[:8]:
            condition &= Q(title__icontains=word)
    else:
        for word in significant_words(proposal.title):
            condition |= Q(title__icontains=word)
    if include_pk is not None:
        condition |= Q(pk=include_pk)
    rows = list(open_ones.filter(condition).order_by("-support_count", "-pk")[:limit])
    if not query and len(rows) < limit:
        seen = {row.pk for row in rows}
        others = open_ones.exclude(pk__in=seen).order_by("-support_count", "-pk")
        rows += list(others[: limit - len(rows)])
    return rows
