"""The staff dashboard's panel for the DIP: the entries a person manages and what needs doing."""

from __future__ import annotations

from terbuka.core import dashboard
from terbuka.public_information.views.entries import dashboard_panel

ENTRIES_PANEL = dashboard.register(
    dashboard.Panel(
        key="dip.entries",
        template="public_information/staff/entry_panel.html",
        context=dashboard_panel,
    )
)
