"""The confirmation every dangerous action asks for, script or not.

A refusal, a hiding, a block or a validation is hard to undo: its form carries a
required "I confirm" box, so a stray click or a form sent by mistake changes
nothing. Its button has the `button--danger` look (templates).
"""

from django import forms
from django.utils.translation import gettext_lazy as _


def confirm_field() -> forms.BooleanField:
    """A required tick box: unticked, the form answers with this message."""
    return forms.BooleanField(
        label=_("I confirm"),
        required=True,
        error_messages={"required": _("Tick “I confirm” to go ahead.")},
    )
