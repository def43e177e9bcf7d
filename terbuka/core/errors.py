"""Domain errors. Messages are translatable constants that views show and tests assert on."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused an operation. ``message`` is shown to the user."""

    default_message: Any = _("Operasi ini tidak dapat dilakukan.")

    def __init__(self, message: Any = None, **params: Any) -> None:
        self.message = message if message is not None else self.default_message
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class NotPermitted(DomainError):
    default_message = _("Anda tidak berwenang melakukan tindakan ini.")


class InvalidTransition(DomainError):
    default_message = _("Perubahan status ini tidak diperbolehkan.")


class ValidationFailed(DomainError):
    default_message = _("Data tidak valid.")
