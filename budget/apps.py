from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"

    def ready(self) -> None:
        from django.utils import timezone

        from budget import permissions, selectors
        from carte.backoffice import Figure, Link, register, register_figures
        from carte.roles import Role

        def studies(*, overdue: bool):
            return lambda actor, organisation, now: selectors.studies_due_count(
                organisation=organisation,
                user_id=actor.user_id,
                see_all=actor.role == Role.ADMIN,
                today=timezone.localdate(now),
                overdue=overdue,
            )

        review = _("Review and projects")
        register(
            Link(
                "budget:review-to-assign",
                _("Send published ideas for study"),
                permissions.can_assign_review,
                review,
                20,
            ),
            Link(
                "budget:review-list",
                _("Ideas to study (worklist)"),
                permissions.can_see_worklist,
                review,
                21,
            ),
            Link(
                "budget:project-manage-list",
                _("Projects"),
                permissions.can_build_projects,
                review,
                22,
            ),
            Link(
                "budget:ballot-list-validate",
                _("Validate the list put to the vote"),
                permissions.can_decide_ballot_list,
                review,
                23,
            ),
            Link(
                "budget:department-list",
                _("City services"),
                permissions.can_manage_departments,
                _("Commune"),
                41,
            ),
        )
        register_figures(
            Figure(
                "to_assign",
                "budget:review-to-assign",
                _("Ideas to send for study"),
                permissions.can_assign_review,
                lambda actor, organisation, now: (
                    selectors.proposals_awaiting_assignment(
                        organisation=organisation
                    ).count()
                ),
                20,
            ),
            Figure(
                "studies_due",
                "budget:review-list",
                _("Studies due within 7 days"),
                permissions.can_see_worklist,
                studies(overdue=False),
                21,
            ),
            Figure(
                "studies_overdue",
                "budget:review-list",
                _("Overdue studies"),
                permissions.can_see_worklist,
                studies(overdue=True),
                22,
            ),
            Figure(
                "projects_to_decide",
                "budget:ballot-list-validate",
                _("Projects waiting for the decision on the list"),
                permissions.can_decide_ballot_list,
                lambda actor, organisation, now: selectors.projects_to_decide_count(
                    organisation=organisation
                ),
                23,
            ),
        )
