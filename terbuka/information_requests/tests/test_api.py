"""Request tracking through the API: what the tracking page shows, nothing personal."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client

from terbuka.core import clock
from terbuka.information_requests import api, services
from terbuka.information_requests.models import Decision, InformationRequest
from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.models import Opd, Pemda, User

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The rate limit counts in the process-wide cache; every test starts from zero."""
    cache.clear()


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


@pytest.fixture
def filed(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> InformationRequest:
    return services.request_register(
        pemda=demo,
        opd=Opd.objects.get(code="dpmptsp"),
        requester=citizen,
        asked=asked,
        channel="situs",
    )


def url(item: InformationRequest) -> str:
    return f"/api/v1/permohonan/{item.tracking_token}"


def personal(citizen: Requester) -> list[str]:
    national = citizen.phone.removeprefix("+62")
    return [
        citizen.name,
        citizen.nik,
        citizen.address,
        "Melati",
        citizen.phone,
        f"0{national}",
        citizen.email,
        citizen.occupation,
    ]


@pytest.mark.django_db
def test_tracking_gives_number_status_deadlines_and_milestones(
    client: Client, filed: InformationRequest, settings: Any
) -> None:
    settings.SITE_URL = "https://ppid.example.go.id"
    response = client.get(url(filed))

    assert response.status_code == 200
    assert response["Cache-Control"] in ("private, no-store", "no-store, private")
    data = response.json()
    assert data["number"] == filed.number
    assert data["status"] == {"code": "diterima", "label": "Diterima"}
    assert data["received_on"] == "2026-03-17"
    assert data["notice_due_on"] == filed.notice_due_on.isoformat()
    assert data["extended_due_on"] is None
    assert data["due_on"] == data["notice_due_on"]
    assert data["decision"] is None
    assert data["noticed_on"] is None
    assert data["objections"] == []
    assert data["files"] == []
    assert data["tracking_url"] == (
        f"https://ppid.example.go.id/permohonan-informasi/lacak/{filed.tracking_token}/"
    )
    assert data["milestones"][0] == {
        "label": "Permohonan diterima dan didaftarkan",
        "on": "2026-03-17",
        "done": True,
        "note": filed.number,
    }
    assert [step["done"] for step in data["milestones"]] == [True, False, False, False]
    assert data["milestones"][1]["on"] == data["notice_due_on"]


@pytest.mark.django_db
def test_tracking_follows_extension_decision_and_delivered_files(
    client: Client, filed: InformationRequest, at: list[dt.datetime], citizen: Requester
) -> None:
    officer = User.objects.get(username="ppid.dpmptsp")
    at[0] = dt.datetime(2026, 3, 24, 10, 0, tzinfo=WIB)
    services.request_extend(
        request=filed, actor=officer, working_days=5, reason="Data tersebar di beberapa bidang"
    )
    services.request_decide(request=filed, actor=officer, decision=Decision.GRANTED)
    filed.refresh_from_db()

    data = client.get(url(filed)).json()

    assert data["status"]["code"] == "diputuskan"
    assert data["decision"] == {"code": "dikabulkan", "label": "Dikabulkan seluruhnya"}
    assert data["extended_due_on"] == filed.extended_due_on.isoformat()  # type: ignore[union-attr]
    assert data["due_on"] == data["extended_due_on"]
    assert data["noticed_on"] == "2026-03-24"
    labels = [step["label"] for step in data["milestones"]]
    assert "Batas setelah perpanjangan (paling lama 7 hari kerja)" in labels
    assert data["milestones"][3]["note"] == "Dikabulkan seluruhnya"
    assert data["files"], "the written notice is offered for download"
    for offered in data["files"]:
        assert offered["kind"]["code"] in ("pemberitahuan", "informasi")
        path = offered["url"].removeprefix("http://127.0.0.1:8000")
        download: Any = client.get(path)
        assert download.status_code == 200  # the same signed link as the tracking page
        b"".join(download.streaming_content)
    raw = client.get(url(filed)).content.decode()
    for needle in personal(citizen):
        assert needle not in raw


@pytest.mark.django_db
def test_tracking_shows_nothing_personal(
    client: Client, filed: InformationRequest, citizen: Requester, asked: Asked
) -> None:
    response = client.get(url(filed))
    raw = response.content.decode() + "\n".join(f"{k}: {v}" for k, v in response.items())
    for needle in [*personal(citizen), asked.information, asked.purpose]:
        assert needle not in raw
    assert not {"name", "nik", "address", "phone", "email"} & set(response.json())


@pytest.mark.django_db
def test_unknown_token_is_a_json_404(client: Client, demo: Pemda) -> None:
    response = client.get("/api/v1/permohonan/bukan-token-yang-ada")
    assert response.status_code == 404
    assert response.json() == {"detail": "Permohonan dengan kode pelacakan ini tidak ditemukan."}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_tracking_is_rate_limited_per_client_address(
    client: Client, filed: InformationRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api, "TRACKING_PER_HOUR", 3)
    statuses = [client.get(url(filed)).status_code for _n in range(3)]
    assert statuses == [200, 200, 200]

    limited = client.get(url(filed))
    assert limited.status_code == 429
    assert limited.json() == {
        "detail": "Terlalu banyak permintaan dari alamat ini. Silakan coba lagi nanti."
    }
    assert limited["Retry-After"] == "3600"
    assert "no-store" in limited["Cache-Control"]
    # Guessing tokens counts too, and another address is not affected.
    assert client.get("/api/v1/permohonan/tebakan").status_code == 429
    other = client.get(url(filed), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200
