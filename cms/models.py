"""The commune's Wagtail pages: a home page (with navigation and footer), content."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import LinkBlock, body_blocks, home_blocks


class HomePage(Page):
    """Root of an organisation's site; also holds its main menu and footer."""

    body = StreamField(home_blocks(), verbose_name=_("content"), blank=True)
    navigation = StreamField(
        [("link", LinkBlock(label=_("link")))],
        verbose_name=_("main menu"),
        blank=True,
        help_text=_("Links shown in the header of every page, in this order."),
    )
    footer_links = StreamField(
        [("link", LinkBlock(label=_("link")))],
        verbose_name=_("footer links"),
        blank=True,
        help_text=_(
            "Legal notice, accessibility (with its compliance status), personal data…"
        ),
    )
    footer_text = models.TextField(
        _("footer text"),
        blank=True,
        help_text=_("A short line under the footer links, for example opening hours."),
    )

    content_panels = (*Page.content_panels, FieldPanel("body"))
    settings_panels = (
        *Page.settings_panels,
        MultiFieldPanel(
            [
                FieldPanel("navigation"),
                FieldPanel("footer_links"),
                FieldPanel("footer_text"),
            ],
            heading=_("Navigation and footer"),
        ),
    )
    parent_page_types = ("wagtailcore.Page",)
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The header and footer come from this very page: a preview then shows the
        # edited menu, where the context processor reads the published row.
        context["site_home"] = self
        return context


class ContentPage(Page):
    """A plain page: how it works, legal notice, accessibility, personal data…"""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(body_blocks(), verbose_name=_("content"), blank=True)

    content_panels = (
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
    )
    search_fields = (
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    )
    parent_page_types = ("cms.HomePage", "cms.ContentPage")
    template = "cms/content_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # From the organisation's home page down to the parent, for the breadcrumb.
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gte=2).live()
        return context

    class Meta:
        verbose_name = _("content page")
