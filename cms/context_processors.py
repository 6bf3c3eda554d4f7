from cms.models import HomePage


def site_home(request):
    """The organisation's home page, for the header menu and footer (one query)."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return {"site_home": None}
    home = (
        HomePage.objects.filter(pk=organisation.site.root_page_id)
        .only("navigation", "footer_links", "footer_text", "url_path", "title")
        .first()
    )
    return {"site_home": home}
