"""The requester's own list ("Permohonan saya"): an e-mailed link, no password."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from terbuka.core import clock
from terbuka.core.models import AuditEvent, OutboxMessage
from terbuka.information_requests import account, services
from terbuka.information_requests.models import InformationRequest
from terbuka.information_requests.services import Asked, Requester
from terbuka.information_requests.views import account as account_views
from terbuka.organizations.models import Opd, Pemda

WIB = ZoneInfo("Asia/Jakarta")
MINE = "/permohonan-informasi/saya/"
SENT = "Jika ada permohonan dengan alamat ini, tautan telah dikirim"
NOINDEX = '<meta name="robots" content="noindex">'
KIND = "information_request.mine_link"
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The rate limit counts in the process-wide cache; every test starts from zero."""
    cache.clear()


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


Register = Callable[..., InformationRequest]


@pytest.fixture
def register(demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]) -> Register:
    """Register a request for ``citizen`` with some fields changed, one minute after the last."""

    def make(
        information: str = "", opd: str | None = "dpmptsp", **changes: Any
    ) -> InformationRequest:
        at[0] += dt.timedelta(minutes=1)
        return services.request_register(
            pemda=demo,
            opd=Opd.objects.get(code=opd) if opd else None,
            requester=dataclasses.replace(citizen, **changes),
            asked=dataclasses.replace(asked, information=information or asked.information),
            channel="situs",
        )

    return make


def link_path(message: OutboxMessage) -> str:
    found = re.search(r"https?://\S+/permohonan-informasi/saya/\S+/", message.body_text)
    assert found is not None, message.body_text
    return urlsplit(found.group(0)).path


def ask(client: Client, email: str, **extra: Any) -> Any:
    return client.post(MINE, {"email": email}, **extra)


def links() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=KIND).order_by("id"))


def test_the_url_names() -> None:
    assert reverse("information_requests:mine") == MINE
    assert reverse("information_requests:mine_list", args=["abc"]) == f"{MINE}abc/"


@pytest.mark.django_db
def test_a_known_address_gets_one_link_that_lists_all_its_requests_and_no_others(
    register: Register, client: Client, at: list[dt.datetime]
) -> None:
    first = register("Anggaran jalan desa 2025")
    second = register("Daftar penerima beasiswa", opd=None, email="Budi@Example.COM")
    other = register("Data milik orang lain", email="siti@example.com")

    response = ask(client, "  BUDI@example.com ")

    assert response.status_code == 200
    assert SENT in response.content.decode()
    [message] = links()
    assert message.to == "Budi@Example.COM"  # the latest request's address as written
    assert message.language == "id"
    assert message.subject == "Tautan ke daftar permohonan informasi Anda"
    assert "24 jam" in message.body_text
    assert "Budi Santoso" in message.body_text

    page = client.get(link_path(message))
    text = page.content.decode()
    assert page.status_code == 200
    for item in (first, second):
        assert item.number in text
        assert reverse("information_requests:track", args=[item.tracking_token]) in text
    assert other.number not in text
    assert other.tracking_token not in text
    assert text.index(second.number) < text.index(first.number)  # newest first
    assert "Anggaran jalan desa 2025" in text
    assert "PPID Utama" in text  # the body asked by the second request
    assert "Diterima" in text  # status label
    with translation.override("id"):
        assert date_format(first.notice_due_on, "j F Y") in text  # the statutory deadline
    assert "b•••@example.com" in text  # the address, masked


@pytest.mark.django_db
def test_the_link_is_audited_without_the_address_in_clear(
    register: Register, client: Client
) -> None:
    register()
    ask(client, "budi@example.com")
    [event] = AuditEvent.objects.filter(action="information_request.mine_link_sent")
    assert event.data == {"surel": "b•••@example.com", "permohonan": 1}
    assert event.actor_label == "pemohon"
    for stored in AuditEvent.objects.all():
        assert "budi@example.com" not in f"{stored.data} {stored.object_repr}"


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_page_and_nothing_is_queued(
    register: Register, client: Client
) -> None:
    register()
    known = ask(client, "budi@example.com")
    unknown = ask(client, "nobody@example.com")

    assert unknown.status_code == known.status_code == 200
    same = CSRF.sub("", known.content.decode()).replace("budi@", "nobody@")
    assert CSRF.sub("", unknown.content.decode()) == same
    assert [m.to for m in links()] == ["budi@example.com"]
    assert AuditEvent.objects.filter(action="information_request.mine_link_sent").count() == 1


@pytest.mark.django_db
def test_a_double_submit_queues_one_mail_and_a_later_one_queues_another(
    register: Register, client: Client, at: list[dt.datetime]
) -> None:
    register()
    ask(client, "budi@example.com")
    ask(client, "Budi@Example.com")
    assert len(links()) == 1
    at[0] += dt.timedelta(seconds=account.DEDUPE_WINDOW_SECONDS)
    ask(client, "budi@example.com")
    assert len(links()) == 2
    assert AuditEvent.objects.filter(action="information_request.mine_link_sent").count() == 2
    assert "budi@example.com" not in (links()[0].dedupe_key or "")


@pytest.mark.django_db
def test_one_address_gets_at_most_three_links_an_hour_whoever_asks(
    register: Register, client: Client, at: list[dt.datetime]
) -> None:
    register()
    for number in range(5):
        at[0] += dt.timedelta(minutes=6)
        response = ask(client, "budi@example.com", REMOTE_ADDR=f"10.0.0.{number}")
        assert SENT in response.content.decode()  # the page says nothing different
    assert len(links()) == account.LINKS_PER_ADDRESS_PER_HOUR
    at[0] += dt.timedelta(minutes=40)  # the first link is over an hour old
    ask(client, "budi@example.com")
    assert len(links()) == account.LINKS_PER_ADDRESS_PER_HOUR + 1


@pytest.mark.django_db
def test_the_mail_goes_out_in_the_language_of_the_latest_request(
    register: Register, client: Client
) -> None:
    register(language="id")
    register(language="en")
    ask(client, "budi@example.com")
    assert links()[0].language == "en"


@pytest.mark.django_db
def test_too_many_requests_from_one_client_address_get_a_clear_message(
    register: Register, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    register()
    monkeypatch.setattr(account_views, "LINK_REQUESTS_PER_HOUR", 2)
    for address in ("a@example.com", "b@example.com"):
        assert ask(client, address).status_code == 200
    limited = ask(client, "budi@example.com")
    text = limited.content.decode()
    assert limited.status_code == 429
    assert "Terlalu banyak permintaan tautan dari alamat ini dalam satu jam." in text
    assert 'value="budi@example.com"' in text  # nothing typed is lost
    assert SENT not in text
    assert links() == []
    # Another client address is not limited.
    assert SENT in ask(client, "budi@example.com", REMOTE_ADDR="10.1.2.3").content.decode()
    assert len(links()) == 1


@pytest.mark.django_db
def test_an_invalid_address_is_reported_on_its_field_and_kept(client: Client) -> None:
    response = client.post(MINE, {"email": "budi@"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="budi@"' in text
    assert '<label class="form-label" for="id_email">' in text
    assert 'id="id_email_error"' in text
    assert re.search(r'<input[^>]*aria-invalid="true"', text)
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_email_error', text)
    assert SENT not in text


@pytest.mark.django_db
def test_an_expired_link_gets_a_clear_page_and_a_way_to_a_new_one(
    register: Register, client: Client, at: list[dt.datetime]
) -> None:
    register()
    path = reverse(
        "information_requests:mine_list",
        args=[account.mine_token_make(email="budi@example.com")],
    )
    at[0] += account.LINK_MAX_AGE - dt.timedelta(seconds=1)
    assert client.get(path).status_code == 200
    client.post(MINE, {"keluar": "1"})
    at[0] += dt.timedelta(seconds=2)

    expired = client.get(path)

    text = expired.content.decode()
    assert expired.status_code == 410
    assert "Tautan ini sudah kedaluwarsa" in text
    assert f'href="{MINE}"' in text
    assert "Minta tautan baru" in text
    assert NOINDEX in text
    assert account.SESSION_KEY not in client.session  # nothing remembered


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [
        "rusak",
        "ImJ1ZGlAZXhhbXBsZS5jb20i:1vB2c3:tampered-signature",
        signing.dumps("budi@example.com"),  # signed, but with another salt
    ],
)
def test_a_bad_link_gets_a_clear_page_not_an_error(
    register: Register, client: Client, token: str
) -> None:
    register()
    response = client.get(reverse("information_requests:mine_list", args=[token]))
    text = response.content.decode()
    assert response.status_code == 400
    assert "Tautan ini tidak valid." in text
    assert "Minta tautan baru" in text
    assert "budi@example.com" not in text


@pytest.mark.django_db
def test_a_token_of_another_address_shows_only_that_address(
    register: Register, client: Client
) -> None:
    mine = register()
    theirs = register(email="siti@example.com")
    token = account.mine_token_make(email=" SITI@example.com")
    text = client.get(reverse("information_requests:mine_list", args=[token])).content.decode()
    assert theirs.number in text
    assert mine.number not in text


@pytest.mark.django_db
def test_the_list_shows_no_identity_number_phone_or_address_and_is_private(
    register: Register, client: Client
) -> None:
    item = register(name="Budi Santoso")
    token = account.mine_token_make(email="budi@example.com")
    response = client.get(reverse("information_requests:mine_list", args=[token]))
    text = response.content.decode()
    assert item.number in text
    for secret in (item.nik, "Melati", item.phone, item.phone.removeprefix("+"), "081234567890"):
        assert secret not in text
    assert "budi@example.com" not in text
    assert "Budi Santoso" not in text
    assert NOINDEX in text
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


@pytest.mark.django_db
def test_the_list_takes_the_same_number_of_queries_for_one_or_five_requests(
    register: Register, client: Client
) -> None:
    register()
    path = reverse(
        "information_requests:mine_list",
        args=[account.mine_token_make(email="budi@example.com")],
    )
    client.get(path)  # the session exists from here on

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context.captured_queries)

    one = queries()
    for number in range(4):
        register(f"Informasi ke-{number}", opd=None if number % 2 else "dinsos")
    assert InformationRequest.objects.filter(email="budi@example.com").count() == 5
    assert queries() == one


@pytest.mark.django_db
def test_the_list_is_paginated(
    register: Register, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(account_views, "PER_PAGE", 2)
    oldest, middle, newest = (register(f"Informasi {n}") for n in range(3))
    path = reverse(
        "information_requests:mine_list",
        args=[account.mine_token_make(email="budi@example.com")],
    )
    first = client.get(path).content.decode()
    assert newest.number in first
    assert middle.number in first
    assert oldest.number not in first
    assert "halaman=2" in first
    second = client.get(path, {"halaman": 2}).content.decode()
    assert oldest.number in second
    assert newest.number not in second


def test_twenty_per_page() -> None:
    assert account_views.PER_PAGE == 20


@pytest.mark.django_db
def test_an_opened_link_is_remembered_for_the_session_until_keluar(
    register: Register, client: Client, at: list[dt.datetime]
) -> None:
    item = register()
    assert 'name="email"' in client.get(MINE).content.decode()  # not yet verified
    token = account.mine_token_make(email="budi@example.com")
    client.get(reverse("information_requests:mine_list", args=[token]))

    remembered = client.get(MINE)
    text = remembered.content.decode()
    assert item.number in text
    assert 'name="keluar"' in text
    assert NOINDEX in text
    assert "no-store" in remembered["Cache-Control"]

    out = client.post(MINE, {"keluar": "1"})
    assert out.status_code == 302
    after = client.get(MINE).content.decode()
    assert item.number not in after
    assert 'name="email"' in after
    assert "Anda sudah keluar." in after


@pytest.mark.django_db
def test_the_session_forgets_the_address_after_a_day(
    register: Register, client: Client, at: list[dt.datetime]
) -> None:
    item = register()
    token = account.mine_token_make(email="budi@example.com")
    client.get(reverse("information_requests:mine_list", args=[token]))
    at[0] += account.LINK_MAX_AGE + dt.timedelta(minutes=1)
    assert item.number not in client.get(MINE).content.decode()


@pytest.mark.django_db
def test_opening_a_link_gives_the_session_a_new_key(register: Register, client: Client) -> None:
    register()
    client.get(MINE)
    client.post(MINE, {"email": "x@example.com"})
    before = client.session.session_key
    token = account.mine_token_make(email="budi@example.com")
    client.get(reverse("information_requests:mine_list", args=[token]))
    assert client.session.session_key != before


@pytest.mark.django_db
def test_the_form_and_tracking_pages_link_to_permohonan_saya(
    register: Register, client: Client
) -> None:
    item = register()
    for url in (
        reverse("information_requests:form"),
        reverse("information_requests:track", args=[item.tracking_token]),
    ):
        assert f'href="{MINE}"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_tokens_expire_after_a_day_on_the_clock_seam(
    register: Register, at: list[dt.datetime]
) -> None:
    moments = at
    register()
    token = account.mine_token_make(email=" Budi@Example.com ")
    assert "budi" not in signing.b64_decode(token.split(":")[0].encode()).decode().lower()
    assert account.mine_token_read(token=token) == "budi@example.com"
    moments[0] += dt.timedelta(hours=24)
    assert account.mine_token_read(token=token) == "budi@example.com"
    moments[0] += dt.timedelta(seconds=1)
    with pytest.raises(account.LinkExpired):
        account.mine_token_read(token=token)
    with pytest.raises(account.LinkInvalid):
        account.mine_token_read(token=token[:-2])
