def organisation(request):
    """The current organisation and the actor, for the base template."""
    return {"organisation": getattr(request, "organisation", None)}
