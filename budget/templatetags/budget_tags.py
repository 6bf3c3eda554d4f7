"""Template tags of the budget pages, and the study shown on a proposal's page."""

from django import template

from budget.models import ProjectProposal, Review

register = template.Library()

# Statuses after which a proposal's page shows its study or its project.
STUDIED = frozenset({"feasible", "not_feasible", "grouped"})


@register.simple_tag
def proposal_outcome(proposal) -> dict:
    """{"review": the completed study or None, "project": its project or None}.

    One query for a studied proposal (the study, its project joined), none for
    the others; a grouped proposal without a study costs one more.
    """
    if getattr(proposal, "status", None) not in STUDIED:
        return {"review": None, "project": None}
    review = (
        Review.objects.filter(proposal_id=proposal.pk, completed_at__isnull=False)
        .select_related("proposal__project_link__project")
        .only(
            "feasible",
            "cost_cents",
            "duration_weeks",
            "public_explanation",
            "completed_at",
            "proposal__id",
            "proposal__project_link__id",
            "proposal__project_link__project__id",
            "proposal__project_link__project__title",
        )
        .first()
    )
    project = None
    if review is not None:
        link = getattr(review.proposal, "project_link", None)
        project = link.project if link else None
    elif proposal.status == "grouped":
        link = (
            ProjectProposal.objects.filter(proposal_id=proposal.pk)
            .select_related("project")
            .first()
        )
        project = link.project if link else None
    return {"review": review, "project": project}
