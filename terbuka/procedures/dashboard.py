"""The staff dashboard's panel for the SOP engine: what waits in the person's inbox."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from terbuka.core import dashboard
from terbuka.organizations.selectors import scope_of
from terbuka.procedures.selectors import inbox_counts


def _inbox_panel(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_of(request)
    if not scope.seats:
        return None
    waiting, overdue = inbox_counts(scope)
    return {"waiting": waiting, "overdue": overdue}


INBOX_PANEL = dashboard.register(
    dashboard.Panel(
        key="procedures.inbox", template="procedures/_dashboard_panel.html", context=_inbox_panel
    )
)
