"""No requester's personal data on the public site.

The issue's acceptance test: a crawl of every public page and public API response on demo data
finds no NIK or address. On the demo Pemda, five requests are registered through
:func:`services.request_register` with known NIKs, addresses, phone numbers and e-mail
addresses, in every state the tracking page shows (received, extended and partly granted,
decided and delivered with files, withdrawn, closed), some with an identity scan that names
the NIK and address. Then a crawler starts at the home page and follows every same-site link
(``href``, ``src``, ``action`` of GET forms, ``hx-get``), plus the pages reachable only by a
request's secret token — the receipt, its PDF, the tracking page and the download links found
there — in Indonesian and in English. The JSON API is crawled the same way: the tracking API of
every request, the DIP harvest feeds, the OpenAPI document, and the links (``url`` and
``…_url`` fields) in their responses. Every response body (PDF text through ``pdftotext``,
downloaded files too) is searched for every requester's NIK (16 digits, or in groups of four),
address (whole, per line, and its distinctive street name), phone number (``08…``, ``+62…``,
``62…``, with or without separators) and e-mail address, also after un-escaping HTML entities
and URL encoding. ``/staff/``, ``/static/`` and ``/media/`` and other sites are not crawled.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
import subprocess
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote_plus, urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from terbuka.core import clock
from terbuka.information_requests import services
from terbuka.information_requests.models import (
    AttachmentKind,
    Decision,
    InformationRequest,
    RequestAttachment,
)
from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.models import Opd, Pemda, User

WIB = ZoneInfo("Asia/Jakarta")
SITE = "http://testserver"
SKIPPED_PREFIXES = ("/staff/", "/static/", "/media/")
MAX_PAGES = 400  # per language: a crawl that keeps finding new URLs is a bug in itself
NOINDEX = '<meta name="robots" content="noindex">'
DELIVERED_TEXT = "Daftar izin usaha mikro 2025 per kecamatan"
UPLOADED_NOTICE_TEXT = "Pemberitahuan tertulis yang diunggah petugas"


@dataclass(frozen=True)
class Person:
    """A requester and the strings that must never appear on a public page."""

    requester: Requester
    street: str  # the distinctive part of the address, for partly shown addresses

    def needles(self) -> dict[str, str]:
        found: dict[str, str] = {}
        nik = self.requester.nik
        if nik:
            groups = [nik[i : i + 4] for i in range(0, 16, 4)]
            found[nik] = "NIK"
            found[" ".join(groups)] = "NIK in groups of four"
            found[".".join(groups)] = "NIK with dots"
        for line in [self.requester.address, *self.requester.address.splitlines(), self.street]:
            found[_collapse(line)] = "address"
        phone = self.requester.phone
        if phone:
            national = phone.removeprefix("+62")
            grouped = f"{national[:3]}-{national[3:7]}-{national[7:]}"
            for variant in (
                f"+62{national}",
                f"62{national}",
                f"0{national}",
                f"0{grouped}",
                f"0{grouped}".replace("-", " "),
                f"+62 {grouped}",
                f"+62 {grouped}".replace("-", " "),
            ):
                found[variant] = "phone number"
        if self.requester.email:
            found[self.requester.email] = "e-mail address"
        return found


PEOPLE = [
    Person(
        Requester(
            kind="perorangan",
            name="Rahmat Hidayat",
            nik="3325021203850004",
            address="Jl. Kenanga Wangi No. 17, Dukuh Krajan RT 03/RW 05, Kecamatan Limpung",
            occupation="Petani",
            phone="+6281298765432",
            email="rahmat.hidayat@example.net",
        ),
        street="Kenanga Wangi",
    ),
    Person(
        Requester(
            kind="perorangan",
            name="Sri Wahyuni",
            nik="3325015507920002",  # a woman: day of birth + 40
            address="Perumahan Griya Asri Blok C-12\nDesa Sidorejo, Kecamatan Warungasem",
            occupation="Guru",
            phone="+6285712340001",
            email="sri.wahyuni@example.org",
        ),
        street="Griya Asri",
    ),
    Person(
        Requester(
            kind="badan_hukum",
            name="Yayasan Cahaya Desa",
            entity_approval_number="AHU-0012345.AH.01.04.Tahun 2020",
            entity_deed="Akta Nomor 12 tanggal 3 Februari 2020",
            address="Jl. Pemuda Nomor 45, Kelurahan Kauman, Batang",
            occupation="Lembaga swadaya masyarakat",
            phone="+6281311112222",
            email="sekretariat@cahayadesa.example",
        ),
        street="Pemuda Nomor 45",
    ),
    Person(
        Requester(
            kind="kuasa",
            name="Lembaga Bantuan Hukum Nusa",
            nik="3325030101800003",
            principal_name="Ahmad Fauzi",
            address="Dusun Sumberrejo RT 01/RW 02, Desa Tulis",
            occupation="Advokat",
            phone="+6287766554433",
            email="kuasa.hukum@example.com",
        ),
        street="Sumberrejo",
    ),
    Person(
        Requester(
            kind="perorangan",
            name="Wagiman",
            nik="3325064406000005",
            address="Gang Mawar Merah 8, Proyonanggan Utara",
            occupation="Pedagang",
            phone="+6282233445566",  # a walk-in requester with no e-mail address
        ),
        street="Mawar Merah",
    ),
]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _pdf(text: str) -> bytes:
    """A real PDF with ``text`` on it (so that the crawler reads it through pdftotext)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    pdf: bytes = HTML(string=f"<p>{html.escape(text)}</p>").write_pdf()
    return pdf


def _pdf_text(content: bytes) -> str:
    """The text and the metadata of a PDF, through poppler's pdftotext and pdfinfo."""
    texts = []
    for command in (["pdftotext", "-enc", "UTF-8", "-", "-"], ["pdfinfo", "-"]):
        done = subprocess.run(  # noqa: S603 - fixed commands, no shell
            command, input=content, capture_output=True, check=False, timeout=60
        )
        assert done.returncode == 0, f"{command[0]} failed: {done.stderr.decode()}"
        texts.append(done.stdout.decode("utf-8", "replace"))
    return "\n".join(texts)


class _Links(HTMLParser):
    """The same-page links of an HTML document: href, src, hx-get, and GET form actions."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.post_actions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value for name, value in attrs if value is not None}
        for name in ("href", "src", "hx-get"):
            if name in found:
                self.links.append(found[name])
        if tag == "form":
            action = found.get("action", "")
            if found.get("method", "get").lower() == "get":
                self.links.append(action)
            else:  # a browser never GETs a POST form's action; noted, not followed
                self.post_actions.append(action)


def _same_site(current: str, link: str) -> str | None:
    """The path (and query) of ``link`` if it is on this site and should be crawled."""
    absolute = urlsplit(urljoin(SITE + current, link.strip()))
    if absolute.scheme not in ("http", "https") or absolute.netloc != "testserver":
        return None
    if absolute.path.startswith(SKIPPED_PREFIXES):
        return None
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    text: str
    links: list[str] = field(default_factory=list)


def _fetch(client: Client, url: str) -> Page:
    response: Any = client.get(url)
    # The test client closes a response itself: at once, or once its streaming content (a
    # FileResponse's file) has been read to the end. Closing it again would fire
    # request_finished outside the client, and Django would then close the database connection
    # of this test's transaction (on PostgreSQL; SQLite in memory ignores the close).
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    page = Page(url=url, status=response.status_code, content_type=content_type, text="")
    if response.status_code in (301, 302, 303, 307, 308):
        page.links.append(response["Location"])
    if content_type.startswith("application/pdf") or body.startswith(b"%PDF"):
        page.text = _pdf_text(body)
    elif content_type.startswith(("text/", "application/json", "application/xml")):
        page.text = body.decode(response.charset or "utf-8", "replace")
    else:
        page.text = body.decode("latin-1")
    if content_type.startswith("application/json") and response.status_code == 200:
        page.links.extend(_json_links(json.loads(body)))
    if content_type.startswith("text/html"):
        parser = _Links()
        parser.feed(page.text)
        page.links.extend(parser.links)
    # Headers are part of a response too (Content-Disposition names a file, for instance).
    page.text += "\n" + "\n".join(f"{name}: {value}" for name, value in response.items())
    return page


def _json_links(value: Any, key: str = "") -> list[str]:
    """The links of an API response: the values of its ``url`` and ``…_url`` fields."""
    if isinstance(value, dict):
        return [link for name, item in value.items() for link in _json_links(item, name)]
    if isinstance(value, list):
        return [link for item in value for link in _json_links(item, key)]
    if isinstance(value, str) and (key == "url" or key.endswith("_url")):
        return [value]
    return []


def _crawl(client: Client, start: Iterable[str]) -> dict[str, Page]:
    queue = deque(start)
    pages: dict[str, Page] = {}
    while queue:
        url = queue.popleft()
        if url in pages:
            continue
        assert len(pages) < MAX_PAGES, f"the crawl keeps finding new pages: {sorted(pages)}"
        page = pages[url] = _fetch(client, url)
        for link in page.links:
            target = _same_site(url, link)
            if target is not None and target not in pages:
                queue.append(target)
    return pages


def _leaks(page: Page, needles: dict[str, str]) -> list[str]:
    views = {
        _collapse(view) for view in (page.text, html.unescape(page.text), unquote_plus(page.text))
    }
    return [
        f"{page.url}: {what} {needle!r}"
        for needle, what in needles.items()
        if any(needle in view for view in views)
    ]


@pytest.fixture
def moments(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


@pytest.fixture
def filed(demo: Pemda, moments: list[dt.datetime]) -> list[InformationRequest]:
    """One request per person, taken through the states the public pages show."""
    dpmptsp = Opd.objects.get(code="dpmptsp")
    dinsos = Opd.objects.get(code="dinsos")
    ppid = User.objects.get(username="ppid.dpmptsp")
    utama = User.objects.get(username="kabid.ikp")
    counter = User.objects.get(username="petugas.ppid")

    def register(person: Person, opd: Opd | None, **kwargs: Any) -> InformationRequest:
        requester = person.requester
        scan = _pdf(f"KTP {requester.nik} {requester.name} {requester.address}")
        kind = AttachmentKind.DEED if requester.kind == "badan_hukum" else AttachmentKind.IDENTITY
        return services.request_register(
            pemda=demo,
            opd=opd,
            requester=requester,
            asked=Asked(
                information=f"Data penerima bantuan sosial 2025 ({requester.occupation})",
                purpose="Pengawasan penyaluran bantuan",
                obtain_methods=("salinan_elektronik", "melihat"),
                delivery_method="surel",
            ),
            files=[(kind, SimpleUploadedFile(f"ktp-{requester.nik or 'akta'}.pdf", scan))],
            **kwargs,
        )

    def delivered(name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, _pdf(DELIVERED_TEXT))

    received = register(PEOPLE[0], dpmptsp, channel="situs", submission_key="privasi-1")
    granted = register(PEOPLE[1], None, channel="situs")
    partial = register(PEOPLE[2], dinsos, channel="surel", actor=counter)
    withdrawn = register(PEOPLE[3], dpmptsp, channel="situs")
    closed = register(
        PEOPLE[4],
        dpmptsp,
        channel="langsung",
        actor=counter,
        received_at=dt.datetime(2026, 3, 16, 9, 0, tzinfo=WIB),
    )

    moments[0] = dt.datetime(2026, 3, 20, 9, 0, tzinfo=WIB)
    services.request_decide(request=granted, actor=utama, decision=Decision.GRANTED)
    RequestAttachment.objects.create(
        request=granted,
        kind=AttachmentKind.NOTICE,
        file=SimpleUploadedFile("pemberitahuan-tertulis.pdf", _pdf(UPLOADED_NOTICE_TEXT)),
        name="pemberitahuan-tertulis.pdf",
        created_at=moments[0],
    )
    services.request_deliver(request=granted, actor=utama, files=[delivered("izin-2025.pdf")])
    services.request_extend(
        request=partial, actor=utama, working_days=5, reason="Data tersebar di beberapa bidang"
    )
    services.request_decide(
        request=partial,
        actor=utama,
        decision=Decision.PARTIAL,
        refusal_grounds=["h"],
        withheld_parts="Nama dan alamat penerima bantuan",
        consequence_test="Mengungkap rahasia pribadi penerima",
    )
    services.request_deliver(request=partial, actor=utama, files=[delivered("bansos-2025.pdf")])
    services.request_withdraw(request=withdrawn, actor=None, reason="Sudah mendapat datanya")
    services.request_decide(request=closed, actor=ppid, decision=Decision.GRANTED)
    services.request_deliver(request=closed, actor=ppid, files=[delivered("data.pdf")])
    services.request_close(request=closed, actor=ppid)
    moments[0] = dt.datetime(2026, 3, 23, 10, 0, tzinfo=WIB)  # the crawl: links still valid
    return [received, granted, partial, withdrawn, closed]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_crawl_of_the_public_site_finds_no_personal_data_of_requesters(
    filed: list[InformationRequest], language: str, settings: Any
) -> None:
    """Every public page, every token page and every file they link to: no NIK, address,
    phone number or e-mail address of any requester."""
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.fail("This test reads PDFs with pdftotext/pdfinfo: install poppler-utils.")
    client = Client()
    if language != "id":
        client.cookies["terbuka_language"] = language
    token_pages = []
    for item in filed:
        for name in ("receipt", "receipt_pdf", "track"):
            token_pages.append(reverse(f"information_requests:{name}", args=[item.tracking_token]))
    # The form is a start page too: no public page links to it yet.
    start = [reverse("portal:home"), reverse("information_requests:form")]
    # The public API: its responses name links on SITE_URL, crawled like the pages' links.
    settings.SITE_URL = SITE
    api_pages = [f"/api/v1/permohonan/{item.tracking_token}" for item in filed]
    api_pages += [
        "/api/v1/dip/entries",
        "/api/v1/dip/removed?changed_since=2000-01-01T00:00:00Z",
        "/api/v1/openapi.json",
        "/api/v1/docs",
    ]
    pages = _crawl(client, [*start, *token_pages, *api_pages])

    needles: dict[str, str] = {}
    for person in PEOPLE:
        needles.update(person.needles())
    leaks = [leak for page in pages.values() for leak in _leaks(page, needles)]
    assert leaks == [], "personal data on public pages:\n" + "\n".join(leaks)

    # The crawl really went everywhere (a test that visits nothing would pass too).
    broken = {url: page.status for url, page in pages.items() if page.status not in (200, 302)}
    assert broken == {}
    must_visit = {
        reverse("portal:home"),
        reverse("portal:about"),
        reverse("portal:contact"),
        reverse("information_requests:form"),
        *token_pages,
        *api_pages,
    }
    assert must_visit <= set(pages)
    downloads = [url for url in pages if "/unduh/" in url]
    visible = RequestAttachment.objects.filter(
        kind__in=(AttachmentKind.NOTICE, AttachmentKind.INFORMATION)
    )
    assert len(downloads) == visible.count() >= 4  # every file offered was fetched
    assert all(pages[url].status == 200 for url in downloads)
    texts = [_collapse(pages[url].text) for url in downloads]  # the files really were read
    assert sum(DELIVERED_TEXT in text for text in texts) == 3
    assert sum(UPLOADED_NOTICE_TEXT in text for text in texts) == 1
    for item in filed:
        pdf = pages[reverse("information_requests:receipt_pdf", args=[item.tracking_token])]
        assert item.number in _collapse(pdf.text)  # the PDF really was read

    # The secret-link pages ask search engines to stay away.
    for item in filed:
        for name in ("receipt", "track"):
            page = pages[reverse(f"information_requests:{name}", args=[item.tracking_token])]
            assert page.status == 200
            assert NOINDEX in page.text, f"{page.url} has no robots noindex"
    token_html = [
        page
        for page in pages.values()
        if page.status == 200
        and page.content_type.startswith("text/html")
        and any(item.tracking_token in page.url for item in filed)
    ]
    assert all(NOINDEX in page.text for page in token_html)


def test_the_needles_cover_every_spelling_the_issue_names() -> None:
    """The search strings themselves: NIK plain and grouped, phone as 08…, +62… and 62…."""
    needles = PEOPLE[0].needles()
    for expected in (
        "3325021203850004",
        "3325 0212 0385 0004",
        "081298765432",
        "+6281298765432",
        "6281298765432",
        "0812-9876-5432",
        "rahmat.hidayat@example.net",
        "Kenanga Wangi",
    ):
        assert expected in needles
    assert "Desa Sidorejo, Kecamatan Warungasem" in PEOPLE[1].needles()  # each address line
    leaky = Page(url="/x/", status=200, content_type="text/html", text="3325&#32;0212 0385 0004")
    assert _leaks(leaky, needles) == ["/x/: NIK in groups of four '3325 0212 0385 0004'"]
