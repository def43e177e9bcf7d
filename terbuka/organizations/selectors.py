"""Reads of the organisation structure."""

from __future__ import annotations

from terbuka.organizations.models import Pemda


def primary_pemda() -> Pemda | None:
    return Pemda.objects.filter(is_primary=True).first() or Pemda.objects.order_by("id").first()
