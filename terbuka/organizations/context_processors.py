from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from terbuka.organizations.selectors import primary_pemda, scope_of


def site_pemda(request: HttpRequest) -> dict[str, Any]:
    """The Pemda whose name and logo head every page (looked up once per request)."""
    cached = getattr(request, "_terbuka_pemda", False)
    if cached is False:
        cached = primary_pemda()
        request._terbuka_pemda = cached  # type: ignore[attr-defined]
    return {"site_pemda": cached}


def staff_scope(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's scope, for menus that depend on roles."""
    if not request.user.is_authenticated:
        return {}
    return {"staff_scope": scope_of(request)}
