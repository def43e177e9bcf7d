"""Request types for views behind a sign-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from terbuka.organizations.models import User


class StaffRequest(HttpRequest):
    """A request from a signed-in staff member (views wrapped in ``login_required``)."""

    user: User
