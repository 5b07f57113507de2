"""A fixed-window rate limit in the shared cache, for public forms that anyone can post."""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _now() -> float:
    return time.time()


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under key; False once more than `limit` were made in the current window."""
    # The window is in the key, so that a new window starts by the clock, not by the cache's expiry: Redis expires
    # keys on its own clock, and the counter must agree between caches (and with a test's frozen clock).
    cache_key = f"ratelimit:{key}:{int(_now() // window_seconds)}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True


def client_ip(request: HttpRequest) -> str:
    """The address of the client, for rate limits and login lockouts.

    Behind TRUSTED_PROXY_COUNT proxies, each appends to X-Forwarded-For the address it was reached from, so the
    client is the Nth address from the right; anything further left was sent by the client and may be forged.
    A request with fewer entries than there are proxies did not come through them all: its REMOTE_ADDR is the
    only address that cannot be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def too_many_requests(request: HttpRequest, message: str, *, retry_after: int) -> HttpResponse:
    """The page for a client over its rate limit: a 429 that says, in the user's language, when to try again."""
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
