from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from terbuka.organizations.selectors import primary_pemda


def site_pemda(request: HttpRequest) -> dict[str, Any]:
    """The Pemda whose name and logo head every page."""
    return {"site_pemda": primary_pemda()}
