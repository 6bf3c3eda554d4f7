"""Forms of the moderation back office."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from carte.formats import parse_id
from carte.forms.confirm import confirm_field
from carte.forms.ids import IdChoiceField
from carte.models import District
from participation import workflow
from participation.models import Cycle, StandardReply, Theme
from participation.selectors.cycles import cycles_for_filter
from participation.selectors.moderation import standard_replies_for
from participation.selectors.proposals import districts_for, themes_for
from participation.services.comments import HIDE_REASON_MAX_LENGTH
from participation.services.moderation import (
    FORWARDED_TO_MAX_LENGTH,
    REASON_MAX_LENGTH,
)
from participation.services.reports import BLOCK_REASON_MAX_LENGTH


class QueueFilterForm(forms.Form):
    """The queue's filters (GET); an unknown value is ignored, not an error."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    cycle = IdChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("All cycles"),
    )
    district = IdChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("All districts"),
    )
    theme = IdChoiceField(
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
        self.fields["cycle"].queryset = cycles_for_filter(organisation=organisation)
        self.fields["district"].queryset = districts_for(organisation)
        self.fields["theme"].queryset = themes_for(organisation)


def reason_field(
    label, help_text, *, rows: int = 4, required: bool = False, error_messages=None
) -> forms.CharField:
    """The public explanation of a decision, shown in the proposal's history."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages=error_messages,
    )


def reply_field(label, help_text="") -> forms.ChoiceField:
    """One of the commune's standard replies for the action (choices set later)."""
    return forms.ChoiceField(label=label, required=False, help_text=help_text)


class ActionForm(forms.Form):
    """Publish or send for study: an optional public explanation."""

    reason = reason_field(
        _("Public explanation (optional)"),
        _("Shown in the proposal's public history."),
        rows=3,
    )
    reply_use: str | None = None
    # Names a subclass may lack are skipped.
    field_order = ["forwarded_to", "reply", "reason"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.replies = {}
        if self.reply_use:
            replies = standard_replies_for(
                organisation=organisation, use=self.reply_use
            )
            self.replies = {str(r.pk): r for r in replies}
            if "reply" in self.fields:
                self.fields["reply"].choices = [
                    ("", _("No standard reply")),
                    *((pk, reply.title) for pk, reply in self.replies.items()),
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
    reply = reply_field(
        _("Standard reply"), _("Its text becomes the explanation when you write none.")
    )
    reason = reason_field(
        _("What should the author change?"),
        _("Sent to the author, who edits and sends the idea again."),
    )


class RejectForm(ActionForm):
    reply_use = StandardReply.Use.REJECT
    reply = reply_field(
        _("Reason for the rejection"), _("From the commune's list; shown publicly.")
    )
    reason = reason_field(
        _("Public explanation"),
        _("Shown publicly with the reason. Empty: the standard reply's text."),
    )
    confirm = confirm_field()


class ForwardForm(ActionForm):
    reply_use = StandardReply.Use.FORWARD
    forwarded_to = forms.CharField(
        label=_("Competent body"),
        max_length=FORWARDED_TO_MAX_LENGTH,
        help_text=_("For example: the département, the intercommunalité."),
        error_messages={"required": _("Name the competent body.")},
    )
    reply = reply_field(_("Standard reply"))
    reason = reason_field(
        _("Public explanation"),
        _("Tell the author what happens next. Shown publicly."),
    )


ACTION_FORMS: dict[workflow.Action, type[ActionForm]] = {
    workflow.Action.PUBLISH: ActionForm,
    workflow.Action.REQUEST_CHANGES: RequestChangesForm,
    workflow.Action.REJECT: RejectForm,
    workflow.Action.FORWARD: ForwardForm,
    workflow.Action.START_STUDY: ActionForm,
}


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding (visible to the author and the team only)"),
        max_length=HIDE_REASON_MAX_LENGTH,
        help_text=_(
            "The public no longer sees the proposal; its author reads this reason, "
            "for example “Propos injurieux”."
        ),
        error_messages={"required": _("Give the reason for hiding it.")},
    )
    confirm = confirm_field()


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the block"),
        max_length=BLOCK_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept with the block; the team reads it."),
        error_messages={"required": _("Give the reason for the block.")},
    )
    confirm = confirm_field()


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


class IdListField(forms.Field):
    """Ticked ids, all sent under one name; what is not a number is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        ids = (parse_id(str(item)) for item in value or [])
        return [number for number in ids if number is not None]


class PublishForm(forms.Form):
    """The queue's bulk publication: the ticked proposals, the section shown and
    the queue's address to go back to."""

    proposal = IdListField(required=False)
    section = forms.CharField(required=False)
    next = forms.CharField(required=False)
