"""Template tags shared by every app's pages."""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def reuse_block(context, name: str) -> SafeString:
    """The page's block `name` rendered once more, as its child template fills it.

    templates/page.html writes the heading block into <title> and again into <h1>,
    so that a page states its title once. Empty outside an extended template.
    """
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks else None
    return block.render(context) if block else SafeString("")
