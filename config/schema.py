def public_api_only(endpoints):
    """drf-spectacular preprocessing hook: document our /api/ only, not Wagtail's."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
