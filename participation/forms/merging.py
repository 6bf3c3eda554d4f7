"""The moderation's form merging a duplicate into another proposal."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carte.formats import parse_id
from participation.forms.moderation import reason_field
from participation.models import Proposal, StatusChoices


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(
        label=gettext_lazy("The proposal to keep"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "This proposal is merged into the one you choose. It stays readable, "
            "with its supports and comments."
        ),
        error_messages={
            "required": gettext_lazy("Choose the proposal to merge into."),
            "invalid_choice": gettext_lazy("Choose the proposal to merge into."),
        },
    )
    reason = reason_field(
        gettext_lazy("Public explanation"),
        gettext_lazy(
            "Shown in the history of the proposal. Say why both ideas are the same."
        ),
        required=True,
        error_messages={
            "required": gettext_lazy(
                "Explain why these proposals are merged: the explanation is published."
            )
        },
    )

    def __init__(self, *args, candidates: list[Proposal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [
            (
                candidate.pk,
                _("No. %(number)s – %(title)s (%(status)s, supports: %(supports)s)")
                % {
                    "number": candidate.pk,
                    "title": candidate.title,
                    "status": StatusChoices(candidate.status).label,
                    "supports": candidate.support_count,
                },
            )
            for candidate in candidates
        ]

    @staticmethod
    def selected(data) -> int | None:
        """The proposal ticked in `data` (kept in the candidates' list)."""
        return parse_id(data.get("into", ""))
