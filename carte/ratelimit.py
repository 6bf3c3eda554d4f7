"""A fixed-window rate limit in the cache, per action and per client or account."""

import time

from django.core.cache import cache
from django.http import HttpRequest


def current_minute() -> int:
    return int(time.time() // 60)


def rate_limited(
    request: HttpRequest, *, action: str, per_minute: int, key: str | None = None
) -> bool:
    """True once `key` (default: the client's IP) passed `per_minute` requests
    this minute.

    A fixed window in the cache. The IP is REMOTE_ADDR: behind a proxy, set it
    from the proxy's header in the web server; X-Forwarded-For is not trusted.
    """
    window = current_minute()
    who = key or request.META.get("REMOTE_ADDR", "")
    key = f"ratelimit:{action}:{who}:{window}"
    if cache.add(key, 1, timeout=61):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=61)
        return False
    return count > per_minute
