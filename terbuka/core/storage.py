"""File storages. Private files (identity documents, internal drafts) are never served directly."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT``, with no URL: views hand them out after checks."""

    @cached_property
    def base_location(self) -> Any:
        own = getattr(self, "_location", None)
        return self._value_or_setting(own, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name: str | None) -> str:
        raise ValueError("This file is not accessible via a URL.")

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def private_storage() -> Storage:
    return storages["private"]
