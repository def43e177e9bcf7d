"""The public form, receipt and tracking page, and the PPID officer's pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from terbuka.core import clock
from terbuka.core.models import AuditEvent, OutboxMessage
from terbuka.information_requests import objections, services
from terbuka.information_requests.models import Dispute, InformationRequest, Status
from terbuka.information_requests.services import Asked, Requester
from terbuka.information_requests.tests.test_notices import pdf_text
from terbuka.organizations.models import Opd, Pemda, User

WIB = ZoneInfo("Asia/Jakarta")
NIK = "3325011501900001"


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "requester_kind": "perorangan",
        "name": "Budi Santoso",
        "nik": NIK,
        "address": "Jl. Melati 3, Desa Sukamaju RT 02/RW 01",
        "phone": "081234567890",
        "email": "budi@example.com",
        "occupation": "Mahasiswa",
        "opd": Opd.objects.get(code="dpmptsp").pk,
        "information": "Daftar izin usaha mikro 2025 per kecamatan",
        "purpose": "Penelitian skripsi",
        "obtain_methods": ["salinan_elektronik"],
        "delivery_method": "surel",
        "submission_key": "kunci-uji-1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_citizen_files_a_request_and_gets_number_receipt_and_tracking_mail(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    response = client.post(reverse("information_requests:form"), form_data())
    item = InformationRequest.objects.get()
    assert response["Location"] == reverse(
        "information_requests:receipt", args=[item.tracking_token]
    )
    page = client.get(response["Location"]).content.decode()
    assert item.number in page
    assert "8 April 2026" in page
    pdf = client.get(reverse("information_requests:receipt_pdf", args=[item.tracking_token]))
    assert pdf.content.startswith(b"%PDF")
    mail = OutboxMessage.objects.get(kind="information_request.registered")
    assert mail.to == "budi@example.com"
    assert item.tracking_token in mail.body_text
    assert item.phone == "+6281234567890"


@pytest.mark.django_db
def test_the_same_form_sent_twice_registers_one_request(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    first = client.post(reverse("information_requests:form"), form_data())
    second = client.post(reverse("information_requests:form"), form_data())
    assert first["Location"] == second["Location"]
    assert InformationRequest.objects.count() == 1


@pytest.mark.django_db
def test_invalid_fields_get_indonesian_messages_and_nothing_typed_is_lost(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    response = client.post(
        reverse("information_requests:form"),
        form_data(
            nik="1234",
            phone="12",
            email="",
            obtain_methods=[],
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "NIK harus 16 digit angka." in page
    assert "Daftar izin usaha mikro 2025 per kecamatan" in page  # kept in the form
    assert 'value="Budi Santoso"' in page
    assert "Bidang ini tidak boleh kosong." in page  # obtain method
    assert not InformationRequest.objects.exists()


@pytest.mark.django_db
def test_uploads_are_checked_by_content_and_size(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    fake = SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(reverse("information_requests:form"), form_data(identity_file=fake))
    assert "bukan PDF/JPG/PNG" in response.content.decode()
    big = SimpleUploadedFile("ktp.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024 + 1))
    response = client.post(reverse("information_requests:form"), form_data(identity_file=big))
    assert "batasnya 5 MB" in response.content.decode()
    assert not InformationRequest.objects.exists()


@pytest.mark.django_db
def test_tracking_page_shows_milestones_but_no_personal_data(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.post(reverse("information_requests:form"), form_data())
    item = InformationRequest.objects.get()
    page = client.get(reverse("information_requests:track", args=[item.tracking_token]))
    text = page.content.decode()
    assert "Batas pemberitahuan tertulis" in text
    for secret in (NIK, "Melati", "081234567890", "6281234567890", "budi@example.com"):
        assert secret not in text
    assert client.get(reverse("information_requests:track", args=["salah"])).status_code == 404


@pytest.mark.django_db
def test_delivered_files_download_through_links_that_expire(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.post(reverse("information_requests:form"), form_data())
    item = InformationRequest.objects.get()
    officer = User.objects.get(username="ppid.dpmptsp")
    services.request_decide(request=item, actor=officer, decision="dikabulkan")
    services.request_deliver(
        request=item,
        actor=officer,
        files=[SimpleUploadedFile("izin-2025.pdf", b"%PDF-1.4 data", "application/pdf")],
    )
    page = client.get(reverse("information_requests:track", args=[item.tracking_token]))
    link = re.search(r'href="([^"]+/unduh/[^"]+)">izin-2025.pdf<', page.content.decode())
    assert link is not None
    download = client.get(link.group(1))
    assert download.status_code == 200
    # Reading the stream to its end closes the file the way a WSGI server would.
    assert b"".join(download.streaming_content) == b"%PDF-1.4 data"  # type: ignore[attr-defined]
    at[0] += dt.timedelta(days=2)
    assert client.get(link.group(1)).status_code == 404


def _register(pemda: Pemda, opd: str) -> InformationRequest:
    return services.request_register(
        pemda=pemda,
        opd=Opd.objects.get(code=opd),
        requester=Requester(
            kind="perorangan",
            name="Siti",
            nik=NIK,
            address="Jl. Mawar 9",
            occupation="Guru",
            phone="+6281111111111",
        ),
        asked=Asked(
            information="Anggaran 2026",
            purpose="Pengawasan",
            obtain_methods=("melihat",),
            delivery_method="langsung",
        ),
        channel="situs",
    )


@pytest.mark.django_db
def test_register_is_scoped_to_the_opd_and_masks_personal_data_for_non_ppid_roles(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    mine = _register(demo, "dpmptsp")
    theirs = _register(demo, "dinsos")
    client.force_login(User.objects.get(username="ppid.dpmptsp"))
    page = client.get(reverse("ppid:register")).content.decode()
    assert mine.number in page
    assert theirs.number not in page
    assert "Jl. Mawar 9" in page  # the PPID sees the address
    assert client.get(reverse("ppid:detail", args=[theirs.pk])).status_code == 404
    client.force_login(User.objects.get(username="kadis.dpmptsp"))  # head, not a PPID role
    page = client.get(reverse("ppid:detail", args=[mine.pk])).content.decode()
    assert NIK not in page
    assert "3325••••••••0001" in page
    assert "Jl. Mawar 9" not in page
    response = client.post(
        reverse("ppid:act", args=[mine.pk, "putuskan"]), {"decision": "dikabulkan"}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_officer_forwards_extends_decides_delivers_and_closes_through_the_page(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    item = _register(demo, "dpmptsp")
    client.force_login(User.objects.get(username="kabid.ikp"))  # PPID Utama
    url = lambda action: reverse("ppid:act", args=[item.pk, action])  # noqa: E731
    client.post(url("teruskan"), {"to": Opd.objects.get(code="dinsos").pk})
    client.post(url("perpanjang"), {"working_days": 9, "reason": "x"})
    item.refresh_from_db()
    assert (item.handling_opd.code, item.status) == ("dinsos", Status.RECEIVED)
    client.post(url("perpanjang"), {"working_days": 5, "reason": "Data di beberapa bidang"})
    client.post(url("putuskan"), {"decision": "ditolak"})
    item.refresh_from_db()
    assert item.status == Status.EXTENDED  # refusal without an art. 17 ground is refused
    client.post(
        url("putuskan"),
        {
            "decision": "sebagian",
            "refusal_grounds": ["h"],
            "withheld_parts": "Nama penerima bantuan",
        },
    )
    client.post(url("biaya"), {"amount": "15000", "payment_method": "Tunai"})
    client.post(
        url("serahkan"),
        {"attachment": SimpleUploadedFile("data.pdf", b"%PDF-1.4", "application/pdf")},
    )
    client.post(url("tutup"), {})
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert item.extended_due_on == dt.date(2026, 4, 15)
    assert item.fee_amount == 15000
    page = client.get(reverse("ppid:detail", args=[item.pk])).content.decode()
    for label in (
        "Permohonan diteruskan",
        "Waktu diperpanjang",
        "Pemberitahuan tertulis diterbitkan",
        "Informasi diserahkan",
    ):
        assert label in page


@pytest.mark.django_db
def test_counter_intake_records_the_real_arrival_and_a_scanned_letter(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(User.objects.get(username="petugas.ppid"))
    data = form_data(
        channel="surat",
        received_at="2026-03-13T17:00",
        opd="",
        letter_file=SimpleUploadedFile("surat.pdf", b"%PDF-1.4", "application/pdf"),
    )
    response = client.post(reverse("ppid:intake"), data)
    item = InformationRequest.objects.get()
    assert response["Location"] == reverse("ppid:detail", args=[item.pk])
    assert (item.channel, item.received_on) == ("surat", dt.date(2026, 3, 16))
    assert item.attachments.get().kind == "surat"
    assert item.number.startswith("0001/PPID/UTAMA/")


@pytest.mark.django_db
def test_requester_objects_from_the_tracking_page_and_the_atasan_ppid_answers(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    item = _register(demo, "dpmptsp")
    services.request_decide(
        request=item,
        actor=User.objects.get(username="ppid.dpmptsp"),
        decision="ditolak",
        refusal_grounds=["i"],
    )
    track = reverse("information_requests:track", args=[item.tracking_token])
    page = client.get(track).content.decode()
    assert "Ajukan keberatan" in page
    response = client.post(
        reverse("information_requests:objection", args=[item.tracking_token]),
        {"ground": "a", "case_position": ""},
    )
    assert "tidak boleh kosong" in response.content.decode()
    client.post(
        reverse("information_requests:objection", args=[item.tracking_token]),
        {"ground": "a", "case_position": "Memo itu tidak ditandai rahasia."},
    )
    objection = item.objections.get()
    assert objection.ground == "a"
    staff = Client()
    staff.force_login(User.objects.get(username="ppid.dpmptsp"))  # not the Atasan PPID
    answer = reverse("ppid:objection_answer", args=[objection.pk])
    assert staff.post(answer, {"decision": "diterima", "text": "x"}).status_code == 404
    staff.force_login(User.objects.get(username="sekda"))
    staff.post(answer, {"decision": "diterima", "text": "Informasi dibuka."})
    objection.refresh_from_db()
    assert objection.decision == "diterima"
    register = staff.get(reverse("ppid:objections")).content.decode()
    assert objection.number in register
    assert "Dr. Ir. Hadi Purnomo" in register
    client.post(
        reverse("information_requests:objection_react", args=[item.tracking_token, objection.pk]),
        {"reaction": "menerima"},
    )
    objection.refresh_from_db()
    assert objection.reaction == "menerima"


@pytest.mark.django_db
def test_operator_changes_the_number_format_with_validation_and_audit(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(User.objects.get(username="operator"))
    url = reverse("ppid:settings")
    data = {
        "number_format": "{nomr}/PPID",
        "sop_code": "batang-dpmptsp-si",
        "reminder_days": "3, 1",
        "retention_years": 5,
    }
    assert "tidak dapat dipakai" in client.post(url, data).content.decode()
    data["number_format"] = "PPID-{badan}-{tahun}-{nomor:05d}"
    assert client.post(url, data).status_code == 302
    item = _register(demo, "dpmptsp")
    assert item.number == "PPID-DPMPTSP-2026-00001"
    assert AuditEvent.objects.filter(action="information_request.settings_changed").exists()
    client.force_login(User.objects.get(username="ppid.dpmptsp"))
    assert client.get(url).status_code == 404


def _letter_links(client: Client, item: InformationRequest) -> dict[str, str]:
    page = client.get(reverse("information_requests:track", args=[item.tracking_token]))
    return dict(
        (name, href)
        for href, name in re.findall(r'href="([^"]+/unduh/[^"]+)">([^<]+)<', page.content.decode())
    )


@pytest.mark.django_db
def test_tracking_page_offers_the_objection_receipt_and_the_atasan_ppids_answer(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.post(reverse("information_requests:form"), form_data())
    item = InformationRequest.objects.get()
    services.request_decide(
        request=item,
        actor=User.objects.get(username="ppid.dpmptsp"),
        decision="ditolak",
        refusal_grounds=["h"],
    )
    client.post(
        reverse("information_requests:objection", args=[item.tracking_token]),
        {"ground": "a", "case_position": "Data agregat bukan rahasia pribadi."},
    )
    safe = item.number.replace("/", "-")
    receipt = f"tanda-bukti-keberatan-a-{safe}.pdf"
    links = _letter_links(client, item)
    assert receipt in links
    text = pdf_text(b"".join(client.get(links[receipt]).streaming_content))  # type: ignore[attr-defined]
    assert "TANDA BUKTI PENGAJUAN KEBERATAN" in text
    assert item.objections.get().number in text
    staff = Client()
    staff.force_login(User.objects.get(username="sekda"))
    staff.post(
        reverse("ppid:objection_answer", args=[item.objections.get().pk]),
        {"decision": "ditolak", "text": "Informasi memuat rahasia pribadi."},
    )
    answer = f"jawaban-keberatan-a-{safe}.pdf"
    links = _letter_links(client, item)
    assert answer in links
    text = pdf_text(b"".join(client.get(links[answer]).streaming_content))  # type: ignore[attr-defined]
    assert "Keberatan ditolak" in text
    assert "14 hari kerja" in text
    for secret in (NIK, "Melati", "081234567890", "6281234567890", "budi@example.com"):
        assert secret not in text


def _disputed(demo: Pemda) -> Dispute:
    """A refused DPMPTSP request, objected to, answered and taken to the Komisi Informasi on
    17 March 2026."""
    item = _register(demo, "dpmptsp")
    services.request_decide(
        request=item,
        actor=User.objects.get(username="ppid.dpmptsp"),
        decision="ditolak",
        refusal_grounds=["i"],
    )
    objection = objections.objection_file(request=item, ground="a", case_position="x")
    objection = objections.objection_answer(
        objection=objection, actor=User.objects.get(username="sekda"), decision="ditolak", text="y"
    )
    return objections.dispute_record(objection=objection, filed_on=dt.date(2026, 3, 17))


@pytest.mark.django_db
def test_uu14_art38_ppid_staff_record_the_commissions_steps_through_the_request_page(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    dispute = _disputed(demo)
    item = dispute.objection.request
    url = reverse("ppid:dispute_update", args=[dispute.pk])
    data = {
        "commission_number": "012/III/KI-NH-PS/2026",
        "registered_on": "2026-03-19",
        "mediation_on": "2026-04-07",
        "adjudication_on": "",
        "outcome": "Mediasi berhasil: informasi dibuka sebagian",
        "decided_on": "2026-04-07",
        "complied_on": "2026-04-14",
        "compliance_note": "Salinan diserahkan",
    }
    # others get 404: the head of the OPD (no PPID role) and another OPD's PPID
    for username in ("kadis.dpmptsp", "ppid.dinsos"):
        client.force_login(User.objects.get(username=username))
        assert client.post(url, data).status_code == 404, username
    client.force_login(User.objects.get(username="kadis.dpmptsp"))
    assert url not in client.get(reverse("ppid:detail", args=[item.pk])).content.decode()
    dispute.refresh_from_db()
    assert dispute.commission_number == ""

    officer = User.objects.get(username="ppid.dpmptsp")
    client.force_login(officer)
    page = client.get(reverse("ppid:detail", args=[item.pk])).content.decode()
    assert f'action="{url}"' in page
    assert "Catat perkembangan sengketa" in page
    # a decision cannot be complied with before it is made
    refused = client.post(url, {**data, "decided_on": ""}, follow=True).content.decode()
    assert "Catat tanggal putusan sebelum pelaksanaannya." in refused
    dispute.refresh_from_db()
    assert dispute.complied_on is None

    response = client.post(url, data)
    assert response["Location"] == reverse("ppid:detail", args=[item.pk])
    dispute.refresh_from_db()
    assert (dispute.commission_number, dispute.registered_on, dispute.complied_on) == (
        "012/III/KI-NH-PS/2026",
        dt.date(2026, 3, 19),
        dt.date(2026, 4, 14),
    )
    assert dispute.outcome == "Mediasi berhasil: informasi dibuka sebagian"
    event = AuditEvent.objects.filter(action="information_request.dispute_recorded").latest("id")
    assert event.actor == officer
    assert event.object_id == str(item.pk)
    assert event.data["commission_number"] == "012/III/KI-NH-PS/2026"
    assert "adjudication_on" not in event.data  # only what changed
    page = client.get(reverse("ppid:detail", args=[item.pk])).content.decode()
    assert "012/III/KI-NH-PS/2026" in page
    assert "14 April 2026" in page
    # saving the same values again changes nothing and writes no event
    events = AuditEvent.objects.count()
    client.post(url, data)
    assert AuditEvent.objects.count() == events
    track = client.get(reverse("information_requests:track", args=[item.tracking_token]))
    assert "Nomor register Komisi Informasi: 012/III/KI-NH-PS/2026." in track.content.decode()


@pytest.mark.django_db
def test_ppid_utama_filters_the_register_by_opd_and_page_links_keep_the_filters(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    mine = _register(demo, "dpmptsp")
    theirs = _register(demo, "dinsos")
    dpmptsp = Opd.objects.get(code="dpmptsp")
    client.force_login(User.objects.get(username="kabid.ikp"))  # PPID Utama: every OPD
    url = reverse("ppid:register")
    page = client.get(url).content.decode()
    assert mine.number in page
    assert theirs.number in page
    assert 'id="f-opd"' in page
    page = client.get(url, {"opd": str(dpmptsp.pk), "status": "diterima"}).content.decode()
    assert mine.number in page
    assert theirs.number not in page
    assert f'<option value="{dpmptsp.pk}" selected>' in page


def test_page_links_keep_every_filter_and_replace_only_the_page() -> None:
    request = RequestFactory().get("/", {"opd": "7", "status": "selesai", "halaman": "3"})
    link = Template("{% load paging %}{% page_query 4 %}").render(Context({"request": request}))
    assert link == "opd=7&amp;status=selesai&amp;halaman=4"


@pytest.mark.django_db
def test_the_opd_filter_never_opens_an_opd_outside_the_persons_scope(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    theirs = _register(demo, "dinsos")
    client.force_login(User.objects.get(username="ppid.dpmptsp"))  # DPMPTSP only
    url = reverse("ppid:register")
    page = client.get(url, {"opd": str(theirs.handling_opd_id)}).content.decode()
    assert theirs.number not in page
    other = Pemda.objects.create(name="Kota Lain", region_code="9999", time_zone="Asia/Jakarta")
    elsewhere = Opd.objects.create(pemda=other, code="dinsos", name="Dinas Sosial Kota Lain")
    InformationRequest.objects.filter(pk=theirs.pk).update(pemda=other, handling_opd=elsewhere)
    client.force_login(User.objects.get(username="kabid.ikp"))  # PPID Utama of the demo only
    page = client.get(url, {"opd": str(elsewhere.pk)}).content.decode()
    assert theirs.number not in page
