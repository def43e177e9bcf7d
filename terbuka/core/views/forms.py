"""Running a service from a view so that its refusal lands on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.forms import BaseForm

from terbuka.core.errors import DomainError

T = TypeVar("T")


def attempt(form: BaseForm, service: Callable[..., T], **kwargs: Any) -> tuple[bool, T | None]:
    """Call ``service(**kwargs)``; on a domain or validation error, add it to ``form``.

    Returns (succeeded, result).
    """
    try:
        return True, service(**kwargs)
    except DomainError as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
    return False, None
