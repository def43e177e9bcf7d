"""Registration numbers under load: 200 people submitting the public form at the same moment.

The issue's acceptance test: 200 simultaneous submissions against a live server give 200
requests with unique, gapless numbers and no errors. ``scripts/test`` runs the suite on SQLite
and on PostgreSQL, so this test covers both databases.

How it runs: pytest-django's ``live_server`` (Django's ``ThreadedWSGIServer``, one thread per
HTTP connection) and a pool of 32 client threads, each submission a browser session of its own
(GET the form for the CSRF cookie, token and submission key; POST the filled form).

On SQLite the test database is in memory, and ``live_server`` then hands its one shared
connection to every request thread: the requests would run on one connection, one transaction,
which proves nothing about numbering. The ``server_url`` fixture therefore copies the database
into a file and lets every request thread open its own connection with the project's settings
(WAL, ``BEGIN IMMEDIATE``, 20 s busy timeout) — as a deployed server does. On PostgreSQL every
request thread has its own connection already, and the counter row lock does the queueing.
"""

from __future__ import annotations

import datetime as dt
import http.client
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from terbuka.core import clock
from terbuka.core.models import OutboxMessage
from terbuka.information_requests import services
from terbuka.information_requests.models import InformationRequest, RegistrationCounter
from terbuka.information_requests.views import public
from terbuka.organizations.models import Opd, Pemda

SUBMISSIONS = 200
CLIENTS = 32
MOMENT = dt.datetime(2026, 3, 17, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
RECEIPT_PREFIX = "/permohonan-informasi/terdaftar/"


class _Inputs(HTMLParser):
    """The ``name`` → ``value`` of the form's ``<input>`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name"):
            self.values[found["name"] or ""] = found.get("value") or ""


@dataclass(frozen=True)
class Outcome:
    key: str
    status: int
    location: str


def _submit(host: str, port: int, path: str, number: int, opd_id: int) -> Outcome:
    """One citizen: open the form, fill it in, send it (a fresh session and connection each)."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", path)
        page = conn.getresponse()
        html = page.read().decode()
        if page.status != 200:
            raise AssertionError(f"form GET {number}: HTTP {page.status}")
        cookies = SimpleCookie(page.getheader("Set-Cookie") or "")
        inputs = _Inputs()
        inputs.feed(html)
        key = inputs.values["submission_key"]
        body = urlencode(
            {
                "csrfmiddlewaretoken": inputs.values["csrfmiddlewaretoken"],
                "submission_key": key,
                "requester_kind": "perorangan",
                "name": f"Pemohon Serentak {number}",
                "nik": "3325011501900001",
                "address": f"Jl. Melati {number}, Desa Sukamaju RT 02/RW 01",
                "phone": "081234567890",
                "email": f"pemohon{number}@example.com",
                "occupation": "Mahasiswa",
                "opd": opd_id,
                "information": f"Daftar izin usaha mikro 2025 per kecamatan ({number})",
                "purpose": "Penelitian skripsi",
                "obtain_methods": ["salinan_elektronik"],
                "delivery_method": "surel",
            },
            doseq=True,
        )
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            },
        )
        answer = conn.getresponse()
        answer.read()
        return Outcome(key=key, status=answer.status, location=answer.getheader("Location") or "")
    finally:
        conn.close()


@pytest.fixture
def server_url(live_server: LiveServer, tmp_path: Path) -> Iterator[str]:
    """The live server's address, every request thread on a database connection of its own.

    PostgreSQL (or an on-disk SQLite): nothing to do. In-memory SQLite: copy the test database
    to a WAL file, point new connections at it, and stop sharing the in-memory connection with
    the server's request threads; undo all of it before ``live_server`` and the database
    fixtures tear down (they flush the in-memory database as usual).
    """
    override = live_server.thread.connections_override
    shared = override.get(DEFAULT_DB_ALIAS)
    if shared is None:
        yield live_server.url
        return
    path = tmp_path / "concurrency.sqlite3"
    shared.ensure_connection()
    target = sqlite3.connect(path)
    try:
        shared.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
    configured = connections.settings[DEFAULT_DB_ALIAS]
    # A new dict: the shared in-memory connection keeps its own settings (and so keeps
    # refusing to close, which would drop the in-memory database).
    connections.settings[DEFAULT_DB_ALIAS] = {**configured, "NAME": str(path)}
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    del override[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = own  # the test's own reads go to the file as well
    try:
        yield live_server.url
    finally:
        own.close()
        connections[DEFAULT_DB_ALIAS] = shared
        connections.settings[DEFAULT_DB_ALIAS] = configured
        override[DEFAULT_DB_ALIAS] = shared


@pytest.mark.django_db(transaction=True)
def test_200_simultaneous_submissions_get_200_unique_gapless_numbers(
    demo: Pemda, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """200 submissions at once from 32 threads → 200 receipts, numbers 1–200, no error."""
    # All the clients come from 127.0.0.1, which the limit of 10 submissions an hour per
    # address would stop after 10. Raise the limit rather than swap the cache for a dummy:
    # the limiter still counts every submission through the real cache, concurrently, and the
    # count is checked below.
    monkeypatch.setattr(public, "SUBMISSIONS_PER_HOUR", 100_000)
    limit_key = "ratelimit:information_request:127.0.0.1"
    cache.delete(limit_key)  # other tests in this process submit from 127.0.0.1 too
    # Count the registrations in progress at once, to show the submissions really overlapped.
    register = services.request_register
    lock = threading.Lock()
    running = [0, 0]  # now, peak

    def counted_register(**kwargs: Any) -> InformationRequest:
        with lock:
            running[0] += 1
            running[1] = max(running)
        try:
            return register(**kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(services, "request_register", counted_register)
    opd = Opd.objects.get(code="dpmptsp")
    address = urlsplit(server_url)
    assert address.hostname is not None
    assert address.port is not None
    path = reverse("information_requests:form")

    def submit(number: int) -> Outcome | BaseException:
        try:
            return _submit(address.hostname or "", address.port or 0, path, number, opd.pk)
        except Exception as error:
            return error

    started = time.monotonic()
    with clock.frozen(MOMENT), ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(submit, range(1, SUBMISSIONS + 1)))
    elapsed = time.monotonic() - started

    errors = [result for result in results if isinstance(result, BaseException)]
    outcomes = [result for result in results if isinstance(result, Outcome)]
    assert errors == []
    refused = [outcome for outcome in outcomes if outcome.status != 302]
    assert refused == [], f"{len(refused)} submissions not redirected to a receipt"
    assert all(outcome.location.startswith(RECEIPT_PREFIX) for outcome in outcomes)
    tokens = {outcome.location.removeprefix(RECEIPT_PREFIX).rstrip("/") for outcome in outcomes}
    assert len(tokens) == SUBMISSIONS

    registered = list(
        InformationRequest.objects.filter(pemda=demo).values_list(
            "body_code", "year", "sequence", "number", "submission_key", "tracking_token"
        )
    )
    assert len(registered) == SUBMISSIONS
    assert {(body, year) for body, year, *_rest in registered} == {("dpmptsp", 2026)}
    assert sorted(row[2] for row in registered) == list(range(1, SUBMISSIONS + 1))
    assert len({row[3] for row in registered}) == SUBMISSIONS
    assert {row[4] for row in registered} == {outcome.key for outcome in outcomes}
    assert {row[5] for row in registered} == tokens
    counter = RegistrationCounter.objects.get(pemda=demo, body_code="dpmptsp", year=2026)
    assert counter.last == SUBMISSIONS
    assert OutboxMessage.objects.filter(kind="information_request.registered").count() == (
        SUBMISSIONS
    )
    assert cache.get(limit_key) == SUBMISSIONS  # the limiter saw every submission
    cache.delete(limit_key)
    assert running[1] > 1, "the submissions never overlapped"
    assert elapsed < 120, f"200 submissions took {elapsed:.0f} s"
