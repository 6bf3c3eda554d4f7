from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"

    def ready(self) -> None:
        from budget import permissions
        from carte.backoffice import Link, register

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
