from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"

    def ready(self) -> None:
        from carte.backoffice import Link, register
        from participation import permissions_moderation
        from participation.permissions import proposals as permissions

        moderation = _("Moderation")
        register(
            Link(
                "participation:moderation-queue",
                _("Moderation queue: new ideas, changes, reports"),
                lambda actor, org: permissions_moderation.can_moderate(actor, org.pk),
                moderation,
                10,
            ),
            Link(
                "participation:moderation-replies",
                _("Standard replies and rejection reasons"),
                lambda actor, org: permissions_moderation.can_edit_standard_replies(
                    actor, org.pk
                ),
                moderation,
                11,
            ),
            Link(
                "participation:counter-proposal-create",
                _("Counter: enter an idea for a resident"),
                lambda actor, org: permissions.can_access_counter(actor, org.pk),
                _("Counter"),
                30,
            ),
            Link(
                "participation:cycle-manage-list",
                _("Cycles and their phases"),
                lambda actor, org: permissions.can_manage_cycles(actor, org.pk),
                _("Commune"),
                40,
            ),
        )
