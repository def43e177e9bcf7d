from __future__ import annotations

import pytest

from terbuka.organizations.demo import demo_load
from terbuka.organizations.models import Pemda
from terbuka.procedures.library import library_load


@pytest.fixture
def demo(db: None) -> Pemda:
    """The demo Pemda, staffed, with the SOP library loaded."""
    demo_load()
    pemda = Pemda.objects.get()
    library_load(pemda=pemda)
    return pemda
