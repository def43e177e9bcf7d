"""A small fixed-window rate limit on the cache, per client address and purpose."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request: HttpRequest, purpose: str, limit: int, window_seconds: int) -> bool:
    """Count this attempt; True once the address made more than ``limit`` in the window."""
    key = f"ratelimit:{purpose}:{client_address(request)}"
    if cache.add(key, 1, timeout=window_seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return False
    return count > limit
