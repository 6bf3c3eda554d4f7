"""A small fixed-window rate limit on writes, kept in the cache.

Keys include the organisation, the action and the account (or the address for
anonymous calls), so one commune's traffic never limits another's.
"""

from django.core.cache import cache
from django.http import HttpRequest


def _who(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def allow(request: HttpRequest, *, action: str, limit: int, seconds: int) -> bool:
    """Count one hit; False once `limit` hits happened within the window."""
    organisation = getattr(request, "organisation", None)
    key = f"agora:rl:{organisation.pk if organisation else 0}:{action}:{_who(request)}"
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return True
    return count <= limit
