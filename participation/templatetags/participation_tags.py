"""Template filters: a resident's text made safe, euros, status labels."""

import re
from datetime import timedelta

from django import template
from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from carte.formats import format_euros
from carte.models import RoleChoices
from participation.models import StatusChoices

register = template.Library()
_BLANK_LINES = re.compile(r"\n\s*\n")


@register.filter
def paragraphs(text: str) -> SafeString:
    """Plain text to paragraphs: everything escaped, links made clickable but
    marked rel="nofollow noopener" (no markup typed by a resident survives)."""
    text = (text or "").replace("\r\n", "\n").strip()
    blocks = []
    for block in _BLANK_LINES.split(text):
        if not block.strip():
            continue
        html = urlize(block.strip(), trim_url_limit=60, nofollow=True, autoescape=True)
        html = html.replace('rel="nofollow"', 'rel="nofollow noopener"')
        blocks.append("<p>" + html.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(blocks))


@register.filter(expects_localtime=True)
def last_day(end):
    """A phase ends at midnight, exclusive: show the last day it is open."""
    return end - timedelta(microseconds=1) if end else end


@register.filter
def euros(cents) -> str:
    return "" if cents is None else format_euros(int(cents))


@register.filter
def status_label(value: str) -> str:
    try:
        return StatusChoices(value).label
    except ValueError:
        return escape(value)


@register.filter
def role_label(value: str) -> str:
    """The staff role shown in the public history (never a name)."""
    if not value:
        return _("The author")
    try:
        return RoleChoices(value).label
    except ValueError:
        return escape(value)
