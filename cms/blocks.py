"""StreamField blocks of the commune's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an address; the page wins when both."""

    label = blocks.CharBlock(label=_("label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(
        label=_("address"),
        required=False,
        help_text=_("For a link outside the site, or a page of the application."),
    )

    class Meta:
        icon = "link"
        template = "cms/blocks/link.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"url": [_("Choose a page or give an address.")]}
            )
        return value


class HeroBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    image = ImageChooserBlock(label=_("image"), required=False)
    image_alt = blocks.CharBlock(
        label=_("image description"),
        required=False,
        help_text=_("Describe the image for blind people; empty if decorative."),
    )
    action = LinkBlock(label=_("button"), required=False)

    class Meta:
        icon = "image"
        template = "cms/blocks/hero.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    action = LinkBlock(label=_("button"))

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_to_action.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"), max_length=30)
    label = blocks.CharBlock(label=_("what it counts"), max_length=80)


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120, required=False)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("figures"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/key_figures.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_FEATURES)

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout.html"


class TableBlock(blocks.StructBlock):
    """A simple accessible table: a caption, a header row and rows of cells."""

    caption = blocks.CharBlock(label=_("caption"), max_length=200)
    header = blocks.ListBlock(blocks.CharBlock(label=_("column")), label=_("header"))
    rows = blocks.ListBlock(
        blocks.ListBlock(blocks.CharBlock(label=_("cell"), required=False)),
        label=_("rows"),
    )

    class Meta:
        icon = "table"
        template = "cms/blocks/table.html"


def body_blocks():
    return [
        ("rich_text", blocks.RichTextBlock(label=_("text"), features=RICH_FEATURES)),
        ("callout", CalloutBlock(label=_("callout"))),
        ("table", TableBlock(label=_("table"))),
        ("call_to_action", CallToActionBlock(label=_("call to action"))),
    ]


def home_blocks():
    return [
        ("hero", HeroBlock(label=_("banner"))),
        ("key_figures", KeyFiguresBlock(label=_("key figures"))),
        *body_blocks(),
    ]
