"""A fixed-window rate limit in the shared cache, for public forms that anyone can post."""

from __future__ import annotations

from django.core.cache import cache


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under key; False once more than `limit` were made in the current window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
