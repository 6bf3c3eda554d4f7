"""StreamField blocks of the commune's pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
# Addresses an editor may type: a path of the site, an anchor, or these schemes.
SAFE_URL_PREFIXES = ("/", "#", "https://", "http://", "mailto:", "tel:")


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an address; the page wins when both.

    With `required=False` the whole link may be left empty (a banner without a
    button); a half-filled link is refused either way.
    """

    label = blocks.CharBlock(label=_("label"), max_length=60, required=False)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(
        label=_("address"),
        required=False,
        help_text=_(
            "For a link outside the site (https://…) or a page of the application "
            "(/compte/…)."
        ),
    )

    class Meta:
        icon = "link"
        template = "cms/blocks/link.html"
        required = True

    def clean(self, value):
        value = super().clean(value)
        label = (value.get("label") or "").strip()
        url = (value.get("url") or "").strip()
        if not label and not value.get("page") and not url and not self.meta.required:
            return value
        errors = {}
        if not label:
            errors["label"] = ValidationError(
                _("Give the text of the link."), code="required"
            )
        if not value.get("page") and not url:
            errors["url"] = ValidationError(
                _("Choose a page or give an address."), code="no_target"
            )
        elif url and not url.lower().startswith(SAFE_URL_PREFIXES):
            errors["url"] = ValidationError(
                _(
                    "Give an address starting with https:// or /, for example "
                    "https://www.service-public.fr or /compte/."
                ),
                code="unsafe_url",
            )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class TitledBlock(blocks.StructBlock):
    """A block opening on a required title (its first field)."""

    title = blocks.CharBlock(label=_("title"), max_length=120)


class HeroBlock(TitledBlock):
    text = blocks.TextBlock(label=_("text"), required=False)
    image = ImageChooserBlock(label=_("image"), required=False)
    image_alt = blocks.CharBlock(
        label=_("image description"),
        required=False,
        help_text=_("Describe the image for blind people; empty if decorative."),
    )
    action = LinkBlock(
        label=_("button"),
        required=False,
        help_text=_("Optional: leave the three fields empty for no button."),
    )

    class Meta:
        icon = "image"
        template = "cms/blocks/hero.html"


class CallToActionBlock(TitledBlock):
    text = blocks.TextBlock(label=_("text"), required=False)
    action = LinkBlock(label=_("button"))

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_to_action.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        label=_("figure"), max_length=30, help_text=_("For example: 150 000 €")
    )
    label = blocks.CharBlock(label=_("what it counts"), max_length=80)


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120, required=False)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("figures"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/key_figures.html"


class CalloutBlock(TitledBlock):
    text = blocks.RichTextBlock(label=_("text"), features=RICH_FEATURES)

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout.html"


class TableBlock(blocks.StructBlock):
    """A simple accessible table: a caption, a header row and rows of cells.

    The first cell of each row heads its row (scope="row").
    """

    caption = blocks.CharBlock(
        label=_("caption"),
        max_length=200,
        help_text=_("Says what the table shows; read first by screen readers."),
    )
    header = blocks.ListBlock(blocks.CharBlock(label=_("column")), label=_("header"))
    rows = blocks.ListBlock(
        blocks.ListBlock(blocks.CharBlock(label=_("cell"), required=False)),
        label=_("rows"),
    )

    class Meta:
        icon = "table"
        template = "cms/blocks/table.html"


class ContactBlock(blocks.StructBlock):
    """The organisation's contact details, read from it when the page is shown.

    Kept in the organisation (Wagtail admin, "Organisations") so the legal pages
    never drift from the real address or data protection officer.
    """

    which = blocks.ChoiceBlock(
        label=_("details"),
        choices=[
            ("organisation", _("The organisation: name, address, e-mail, phone")),
            ("dpo", _("The data protection officer")),
        ],
        default="organisation",
    )

    class Meta:
        icon = "mail"
        template = "cms/blocks/contact.html"


def body_blocks():
    return [
        ("rich_text", blocks.RichTextBlock(label=_("text"), features=RICH_FEATURES)),
        ("callout", CalloutBlock(label=_("callout"))),
        ("table", TableBlock(label=_("table"))),
        ("call_to_action", CallToActionBlock(label=_("call to action"))),
        ("contact", ContactBlock(label=_("contact details"))),
    ]


def home_blocks():
    return [
        ("hero", HeroBlock(label=_("banner"))),
        ("key_figures", KeyFiguresBlock(label=_("key figures"))),
        *body_blocks(),
    ]
