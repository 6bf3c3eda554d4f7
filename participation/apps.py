from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"

    def ready(self) -> None:
        from carte.backoffice import (
            Figure,
            Link,
            Panel,
            register,
            register_figures,
            register_panels,
        )
        from carte.permissions import can_access_backoffice
        from participation.permissions.cycles import can_manage_cycles
        from participation.permissions.moderation import (
            can_edit_standard_replies,
            can_moderate,
        )
        from participation.permissions.proposals import can_access_counter
        from participation.selectors import cycles as cycle_selectors
        from participation.selectors import moderation as moderation_selectors

        moderation = _("Moderation")
        register(
            Link(
                "participation:moderation-queue",
                _("Moderation queue: new ideas, changes, reports"),
                can_moderate,
                moderation,
                10,
            ),
            Link(
                "participation:moderation-replies",
                _("Standard replies and rejection reasons"),
                can_edit_standard_replies,
                moderation,
                11,
            ),
            Link(
                "participation:counter-proposal-create",
                _("Counter: enter an idea for a resident"),
                can_access_counter,
                _("Counter"),
                30,
            ),
            Link(
                "participation:cycle-manage-list",
                _("Cycles and their phases"),
                can_manage_cycles,
                _("Commune"),
                40,
            ),
        )

        register_figures(
            Figure(
                "to_moderate",
                "participation:moderation-queue",
                _("Ideas to moderate"),
                can_moderate,
                lambda actor, organisation, now: (
                    moderation_selectors.proposals_to_moderate_count(
                        organisation=organisation
                    )
                ),
                10,
            ),
            Figure(
                "reported",
                "participation:moderation-queue",
                _("Reported contents"),
                can_moderate,
                lambda actor, organisation, now: (
                    moderation_selectors.reported_contents_count(
                        organisation=organisation
                    )
                ),
                11,
                "?section=signalements",
            ),
        )
        register_panels(
            Panel(
                "cycles",
                "participation/cycle_backoffice_panel.html",
                can_access_backoffice,
                lambda actor, organisation, now: {
                    "rows": cycle_selectors.cycles_for_list(
                        organisation=organisation, now=now
                    ),
                    "can_manage": can_manage_cycles(actor, organisation),
                },
            )
        )
