"""File storages. Private files (identity documents, internal drafts) are never served directly."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]
