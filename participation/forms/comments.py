"""Forms of the comment pages: write or reply, edit, hide (a moderator)."""

from django import forms
from django.utils.translation import gettext_lazy

from carte.forms.ids import IdField
from participation.services.comments import COMMENT_MAX_LENGTH, HIDE_REASON_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Shown with your pseudonym. Stay courteous; do not give anyone's "
            "personal details. 3,000 characters at most."
        ),
        error_messages={"required": gettext_lazy("Write your comment first.")},
    )
    parent = IdField(required=False)


class CommentEditForm(forms.Form):
    body = CommentForm.base_fields["body"]


class CommentHideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=HIDE_REASON_MAX_LENGTH,
        help_text=gettext_lazy(
            "Shown publicly in place of the comment, for example “Propos injurieux”."
        ),
        error_messages={
            "required": gettext_lazy(
                "Give the reason, it is shown in place of the comment."
            )
        },
    )
