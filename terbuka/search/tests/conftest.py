from __future__ import annotations

from typing import Protocol

import pytest

from terbuka.search import services

KIND = "dip_entry"


class Index(Protocol):
    def __call__(
        self,
        object_id: int,
        title: str,
        text: str = "",
        *,
        is_public: bool = True,
        pemda_id: int | None = 1,
        kind: str = KIND,
    ) -> None: ...


@pytest.fixture
def index(db: None) -> Index:
    """Index one object of kind ``dip_entry`` (public, Pemda 1 unless told)."""

    def index_one(
        object_id: int,
        title: str,
        text: str = "",
        *,
        is_public: bool = True,
        pemda_id: int | None = 1,
        kind: str = KIND,
    ) -> None:
        services.index_document(
            kind, object_id, title=title, text=text, is_public=is_public, pemda_id=pemda_id
        )

    return index_one
