from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"

    def ready(self) -> None:
        from carte.backoffice import Link, register
        from participation.permissions.cycles import can_manage_cycles
        from participation.permissions.moderation import (
            can_edit_standard_replies,
            can_moderate,
        )
        from participation.permissions.proposals import can_access_counter

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
