"""Forms of the moderation back office (issue 6)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from carte.models import District
from participation import workflow
from participation.models import Cycle, StandardReply, Theme
from participation.services.comments import HIDE_REASON_MAX_LENGTH
from participation.services.moderation import (
    FORWARDED_TO_MAX_LENGTH,
    REASON_MAX_LENGTH,
)
from participation.services.reports import BLOCK_REASON_MAX_LENGTH


class QueueFilterForm(forms.Form):
    """The queue's filters (GET); an unknown value is ignored, not an error."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("All cycles"),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("All districts"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("All themes"),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        required=False,
        choices=[
            ("", _("Hidden or not")),
            ("hidden", _("Hidden only")),
            ("visible", _("Not hidden only")),
        ],
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.for_organisation(
            organisation
        ).only("pk", "title")
        self.fields["district"].queryset = District.objects.for_organisation(
            organisation
        ).only("pk", "name")
        self.fields["theme"].queryset = Theme.objects.for_organisation(
            organisation
        ).only("pk", "name")


def _reply_choices(organisation, use: str) -> list[tuple[str, str]]:
    replies = StandardReply.objects.for_organisation(organisation).filter(
        use=use, is_active=True
    )
    return [(str(r.pk), r.title) for r in replies.order_by("position", "title", "pk")]


class ActionForm(forms.Form):
    """Publish or send for study: an optional public explanation."""

    reason = forms.CharField(
        label=_("Public explanation (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the proposal's public history."),
    )
    reply_use: str | None = None

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.replies = {}
        if self.reply_use:
            replies = StandardReply.objects.for_organisation(organisation).filter(
                use=self.reply_use, is_active=True
            )
            self.replies = {str(r.pk): r for r in replies}
            if "reply" in self.fields:
                self.fields["reply"].choices = [
                    ("", _("No standard reply")),
                    *_reply_choices(organisation, self.reply_use),
                ]
                # For standard_replies.js, which copies the text to adapt it.
                self.fields["reply"].widget.attrs["data-reply-texts"] = json.dumps(
                    {pk: reply.body for pk, reply in self.replies.items()}
                )

    def clean(self):
        data = super().clean()
        reply = self.replies.get(data.get("reply") or "")
        data["reply_title"] = reply.title if reply else ""
        # The standard reply's text is the explanation when none was written
        # (the page's script copies it in the field; without it, the server does).
        if reply and not data.get("reason"):
            data["reason"] = reply.body
        return data


class RequestChangesForm(ActionForm):
    reply_use = StandardReply.Use.REQUEST_CHANGES
    reply = forms.ChoiceField(
        label=_("Standard reply"),
        required=False,
        help_text=_("Its text becomes the explanation when you write none."),
    )
    reason = forms.CharField(
        label=_("What should the author change?"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the author, who edits and sends the idea again."),
    )
    field_order = ["reply", "reason"]


class RejectForm(ActionForm):
    reply_use = StandardReply.Use.REJECT
    reply = forms.ChoiceField(
        label=_("Reason for the rejection"),
        required=False,
        help_text=_("From the commune's list; shown publicly."),
    )
    reason = forms.CharField(
        label=_("Public explanation"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown publicly with the reason. Empty: the standard reply's text."
        ),
    )
    field_order = ["reply", "reason"]


class ForwardForm(ActionForm):
    reply_use = StandardReply.Use.FORWARD
    forwarded_to = forms.CharField(
        label=_("Competent body"),
        max_length=FORWARDED_TO_MAX_LENGTH,
        help_text=_("For example: the département, the intercommunalité."),
        error_messages={"required": _("Name the competent body.")},
    )
    reply = forms.ChoiceField(label=_("Standard reply"), required=False)
    reason = forms.CharField(
        label=_("Public explanation"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tell the author what happens next. Shown publicly."),
    )
    field_order = ["forwarded_to", "reply", "reason"]


ACTION_FORMS: dict[workflow.Action, type[ActionForm]] = {
    workflow.Action.PUBLISH: ActionForm,
    workflow.Action.REQUEST_CHANGES: RequestChangesForm,
    workflow.Action.REJECT: RejectForm,
    workflow.Action.FORWARD: ForwardForm,
    workflow.Action.START_STUDY: ActionForm,
}


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=HIDE_REASON_MAX_LENGTH,
        help_text=_("Shown to the author, for example “Propos injurieux”."),
        error_messages={"required": _("Give the reason for hiding it.")},
    )


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the block"),
        max_length=BLOCK_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept with the block; the team reads it."),
        error_messages={"required": _("Give the reason for the block.")},
    )


class StandardReplyForm(forms.Form):
    use = forms.ChoiceField(label=_("Used for"), choices=StandardReply.Use.choices)
    title = forms.CharField(
        label=_("Short reason"),
        max_length=120,
        help_text=_("Shown publicly for a rejection, for example “Hors compétence”."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Proposed as the public explanation; it can be edited each time."),
    )
    position = forms.IntegerField(
        label=_("Position in the list"), min_value=0, max_value=999, initial=0
    )
