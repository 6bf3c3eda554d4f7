"""Forms of the comment pages: write or reply, edit, hide (a moderator)."""

from django import forms
from django.utils.translation import gettext_lazy

from carte.forms.confirm import confirm_field
from carte.forms.ids import IdField
from participation.models import Comment
from participation.services.comments import (
    COMMENT_MAX_LENGTH,
    HIDE_CATEGORIES,
    HIDE_REASON_MAX_LENGTH,
)


def comment_body_field(label: str) -> forms.CharField:
    """The text of a comment, on an idea or on a project."""
    return forms.CharField(
        label=label,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Shown with your pseudonym. Stay courteous; do not give anyone's "
            "personal details. 3,000 characters at most."
        ),
        error_messages={"required": gettext_lazy("Write your comment first.")},
    )


class CommentForm(forms.Form):
    body = comment_body_field(gettext_lazy("Your comment"))
    parent = IdField(required=False)


class CommentEditForm(forms.Form):
    body = CommentForm.base_fields["body"]


class CommentHideForm(forms.Form):
    """A moderator hides a comment: a category everyone reads, and words for
    its author alone."""

    category = forms.ChoiceField(
        label=gettext_lazy("Kind of reason (visible to everyone)"),
        choices=[
            (code, label)
            for code, label in Comment.HideCategory.choices
            if code in HIDE_CATEGORIES
        ],
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Shown publicly in place of the comment, for example “Off topic”."
        ),
        error_messages={
            "required": gettext_lazy("Choose the kind of reason from the list."),
            "invalid_choice": gettext_lazy("Choose the kind of reason from the list."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy(
            "Message to the author (visible to the author and the moderators only)"
        ),
        max_length=HIDE_REASON_MAX_LENGTH,
        help_text=gettext_lazy(
            "Only the author and the moderators read it; the public does not."
        ),
        error_messages={
            "required": gettext_lazy(
                "Write a word for the author; only they and the moderators read it."
            )
        },
    )
    confirm = confirm_field()
