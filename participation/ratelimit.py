"""A small cache-based rate limiter for writes (fixed windows).

Keys hold the organisation, the action and the account (or the address for an
anonymous call), so one commune's traffic never limits another's. Two entry
points share one counter:

- `allow(request, action=, limit=, seconds=)`: one window, True or False (the
  proposal views);
- `hit(action, organisation_id=, user_id=)`: every window of `RATES[action]`,
  overridable with the `AGORA_RATE_LIMITS` setting ({"comment": [[5, 60]]}),
  raises `RateLimitExceeded` (supports, comments, reports, follows); views
  call it through `too_fast(request, action)` or, for `carte.http.form_page`,
  `form_check(request, action)`.

Fixed windows: a burst at a window's edge may pass up to twice the limit, which is
enough to stop floods and scripts without storing timestamps. In production the
cache must be shared between processes (database cache or Redis).
"""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

# action -> (max hits, window in seconds) pairs; every window must hold.
RATES: dict[str, tuple[tuple[int, int], ...]] = {
    "support": ((30, 60), (300, 3600)),
    "comment": ((5, 60), (40, 3600)),
    "comment_edit": ((10, 60),),
    "report": ((10, 600), (30, 86400)),
    "follow": ((30, 60),),
    "notification": ((60, 60),),
}


class RateLimitExceeded(Exception):
    """Too many writes; `retry_after` is a number of seconds."""

    def __init__(self, action: str, retry_after: int) -> None:
        super().__init__(action)
        self.action = action
        self.retry_after = retry_after


def _count(key: str, seconds: int) -> int:
    """Add one hit to the window stored at `key`; the hits so far."""
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1


def _who(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def allow(request: HttpRequest, *, action: str, limit: int, seconds: int) -> bool:
    """Count one hit; False once `limit` hits happened within the window."""
    organisation = getattr(request, "organisation", None)
    key = f"agora:rl:{organisation.pk if organisation else 0}:{action}:{_who(request)}"
    return _count(key, seconds) <= limit


def rates_for(action: str) -> Sequence[tuple[int, int]]:
    overrides = getattr(settings, "AGORA_RATE_LIMITS", {}) or {}
    if action in overrides:
        return tuple((int(limit), int(window)) for limit, window in overrides[action])
    return RATES[action]


def hit(action: str, *, organisation_id: int, user_id: int) -> None:
    """Count one write of `action`; raise RateLimitExceeded past any window's limit."""
    for limit, window in rates_for(action):
        key = f"agora:rl:{organisation_id}:{action}:user:{user_id}:{window}"
        if _count(key, window) > limit:
            raise RateLimitExceeded(action, retry_after=window)


def too_fast(request: HttpRequest, action: str) -> str | None:
    """Count one write of `action` by the account in this commune; the message
    to show when it writes too fast, else None."""
    try:
        hit(action, organisation_id=request.organisation.pk, user_id=request.user.pk)
    except RateLimitExceeded:
        return _("You are going too fast. Wait a minute, then try again.")
    return None


def form_check(
    request: HttpRequest, action: str
) -> Callable[[], tuple[str, int] | None]:
    """`too_fast` as a `carte.http.form_page` check: (message, 429) when refused."""

    def check() -> tuple[str, int] | None:
        message = too_fast(request, action)
        return (message, 429) if message else None

    return check
