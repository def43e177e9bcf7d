"""One OPD's staff cannot see or change another OPD's records (tested through the views)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from terbuka.core.models import AuditEvent
from terbuka.organizations.models import Opd, Position, PositionHolding, Role, Unit
from terbuka.organizations.tests.factories import PositionFactory, UnitFactory, staff_member


def signed_in(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
def test_staff_see_only_their_own_opd_in_the_list(client: Client, opd: Opd, other_opd: Opd) -> None:
    signed_in(client, staff_member(opd))
    page = client.get(reverse("organizations:opd_list")).content.decode()
    assert opd.name in page
    assert other_opd.name not in page


@pytest.mark.django_db
def test_staff_of_one_opd_get_404_for_another_opds_page(
    client: Client, opd: Opd, other_opd: Opd
) -> None:
    signed_in(client, staff_member(opd))
    assert client.get(reverse("organizations:opd_detail", args=[opd.pk])).status_code == 200
    assert client.get(reverse("organizations:opd_detail", args=[other_opd.pk])).status_code == 404


@pytest.mark.django_db
def test_admin_opd_cannot_change_another_opds_unit_or_position(
    client: Client, opd: Opd, other_opd: Opd
) -> None:
    theirs_unit = UnitFactory.create(opd=other_opd, name="Bidang Mereka")
    theirs_position = PositionFactory.create(opd=other_opd, title="Jabatan Mereka")
    signed_in(client, staff_member(opd, Role.ADMIN_OPD))
    attempts = [
        (
            reverse("organizations:unit_edit", args=[other_opd.pk, theirs_unit.pk]),
            {"code": "x", "name": "Diambil alih", "kind": Unit.Kind.SEKSI},
        ),
        (
            reverse("organizations:position_edit", args=[other_opd.pk, theirs_position.pk]),
            {"code": "x", "title": "Diambil alih", "role": Role.KEPALA},
        ),
        (
            reverse("organizations:unit_create", args=[other_opd.pk]),
            {"code": "baru", "name": "Unit Baru", "kind": Unit.Kind.SEKSI},
        ),
        (
            reverse("organizations:holding_create", args=[other_opd.pk, theirs_position.pk]),
            {"username": "penyusup", "kind": "definitif", "starts_on": "2026-01-05"},
        ),
        (
            reverse("organizations:opd_edit", args=[other_opd.pk]),
            {"code": other_opd.code, "name": "Diambil alih"},
        ),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 404, url
    theirs_unit.refresh_from_db()
    theirs_position.refresh_from_db()
    other_opd.refresh_from_db()
    assert theirs_unit.name == "Bidang Mereka"
    assert theirs_position.title == "Jabatan Mereka"
    assert other_opd.name == "Dinas B"
    assert not Unit.objects.filter(code="baru").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_admin_opd_manages_their_own_structure_and_each_change_is_audited(
    client: Client, opd: Opd
) -> None:
    admin = staff_member(opd, Role.ADMIN_OPD)
    signed_in(client, admin)
    response = client.post(
        reverse("organizations:unit_create", args=[opd.pk]),
        {"code": "bidang-ikp", "name": "Bidang IKP", "kind": Unit.Kind.BIDANG},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(opd=opd, code="bidang-ikp")
    response = client.post(
        reverse("organizations:position_create", args=[opd.pk]),
        {
            "code": "kabid-ikp",
            "title": "Kepala Bidang IKP",
            "role": Role.KEPALA_BIDANG,
            "unit": unit.pk,
        },
    )
    assert response.status_code == 302
    position = Position.objects.get(opd=opd, code="kabid-ikp")
    response = client.post(
        reverse("organizations:holding_create", args=[opd.pk, position.pk]),
        {
            "username": "rina",
            "full_name": "Rina",
            "kind": "plt",
            "starts_on": "2026-01-05",
            "password": "kata-sandi-awal-1",
        },
    )
    assert response.status_code == 302
    holding = PositionHolding.objects.get(position=position)
    assert (holding.user.username, holding.kind) == ("rina", "plt")
    assert holding.user.check_password("kata-sandi-awal-1")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor", "opd_id"))
    assert actions == [
        ("organization.unit_created", admin.pk, opd.pk),
        ("organization.position_created", admin.pk, opd.pk),
        ("organization.user_created", admin.pk, opd.pk),
        ("organization.holding_started", admin.pk, opd.pk),
    ]
    page = client.get(reverse("organizations:opd_detail", args=[opd.pk])).content.decode()
    assert "Jabatan dibuat" in page  # the timeline shows the audit log
    assert "Pelaksana Tugas (Plt)" in page


@pytest.mark.django_db
def test_a_unit_cannot_take_a_parent_from_another_opd(
    client: Client, opd: Opd, other_opd: Opd
) -> None:
    foreign_parent = UnitFactory.create(opd=other_opd)
    signed_in(client, staff_member(opd, Role.ADMIN_OPD))
    response = client.post(
        reverse("organizations:unit_create", args=[opd.pk]),
        {"code": "seksi", "name": "Seksi", "kind": Unit.Kind.SEKSI, "parent": foreign_parent.pk},
    )
    assert response.status_code == 200  # the form's choices exclude other OPDs' units
    assert not Unit.objects.filter(opd=opd, code="seksi").exists()


@pytest.mark.django_db
def test_holding_end_before_start_is_refused_with_a_message(client: Client, opd: Opd) -> None:
    signed_in(client, staff_member(opd, Role.ADMIN_OPD))
    holding = PositionHolding.objects.exclude(position__role=Role.ADMIN_OPD).first() or (
        staff_member(opd).holdings.get()
    )
    response = client.post(
        reverse("organizations:holding_end", args=[holding.pk]), {"ends_on": "2019-12-31"}
    )
    assert response.status_code == 200
    assert "Tanggal berakhir tidak boleh sebelum tanggal mulai." in response.content.decode()
    holding.refresh_from_db()
    assert holding.ends_on is None


@pytest.mark.django_db
def test_holder_delegates_their_position_while_on_leave(client: Client, opd: Opd) -> None:
    head = staff_member(opd, Role.KEPALA_BIDANG)
    deputy = staff_member(opd, Role.KEPALA_SEKSI)
    signed_in(client, head)
    holding = head.holdings.get()
    response = client.post(
        reverse("organizations:delegation_create", args=[holding.pk]),
        {
            "delegate": deputy.username,
            "starts_on": "2026-03-16",
            "ends_on": "2026-03-20",
            "reason": "Cuti tahunan",
        },
    )
    assert response.status_code == 302
    assert holding.delegations.get().delegate == deputy
    # someone else in the OPD cannot delegate the head's position
    signed_in(client, deputy)
    response = client.get(reverse("organizations:delegation_create", args=[holding.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_operator_sees_and_manages_every_opd(client: Client, opd: Opd, other_opd: Opd) -> None:
    signed_in(client, staff_member(opd, Role.OPERATOR))
    page = client.get(reverse("organizations:opd_list")).content.decode()
    assert opd.name in page
    assert other_opd.name in page
    response = client.post(
        reverse("organizations:opd_edit", args=[other_opd.pk]),
        {"code": other_opd.code, "name": "Dinas B Baru", "short_name": "DinasB", "is_active": "on"},
    )
    assert response.status_code == 302
    other_opd.refresh_from_db()
    assert other_opd.name == "Dinas B Baru"
    event = AuditEvent.objects.get(action="organization.opd_updated")
    assert event.data == {"name": {"dari": "Dinas B", "ke": "Dinas B Baru"}}


@pytest.mark.django_db
def test_pages_need_a_signed_in_staff_member(client: Client, opd: Opd) -> None:
    response = client.get(reverse("organizations:opd_detail", args=[opd.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def _csv(lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("struktur.csv", "\n".join(lines).encode(), "text/csv")


IMPORT_HEADER = "kode_opd;nama_opd;kode_unit;nama_unit;jenis_unit;kode_jabatan;nama_jabatan;peran"


@pytest.mark.django_db
def test_import_page_reports_each_broken_row_and_imports_nothing(client: Client, opd: Opd) -> None:
    client.force_login(staff_member(opd, Role.OPERATOR))
    before = (Opd.objects.count(), Unit.objects.count(), Position.objects.count())
    upload = _csv(
        [
            IMPORT_HEADER,
            "dinkes;Dinas Kesehatan;sekretariat;Sekretariat;sekretariat;kadis;Kepala Dinas;kepala",
            "dinkes;Dinas Kesehatan;bidang-p2p;Bidang P2P;bidang;kabid;Kepala Bidang;kadis",
            "dinkes;Dinas Kesehatan;seksi;Seksi;kamar;kasi;;kepala_seksi",
        ]
    )
    response = client.post(reverse("organizations:import"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Berkas tidak diimpor" in page
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", page)
    assert ("3", "peran") in rows
    assert ("4", "jenis_unit") in rows
    assert ("4", "nama_jabatan") in rows
    assert (Opd.objects.count(), Unit.objects.count(), Position.objects.count()) == before


@pytest.mark.django_db
def test_import_page_imports_a_good_file_and_is_for_operators_only(
    client: Client, opd: Opd
) -> None:
    lines = [
        IMPORT_HEADER,
        "dinkes;Dinas Kesehatan;sekretariat;Sekretariat;sekretariat;kadis;Kepala Dinas;kepala",
    ]
    client.force_login(staff_member(opd, Role.ADMIN_OPD))
    assert client.post(reverse("organizations:import"), {"file": _csv(lines)}).status_code == 404
    client.force_login(staff_member(opd, Role.OPERATOR))
    response = client.post(reverse("organizations:import"), {"file": _csv(lines)})
    assert response.status_code == 302
    assert Position.objects.filter(opd__code="dinkes", code="kadis", role=Role.KEPALA).exists()


@pytest.mark.django_db
def test_operator_changes_the_cuti_bersama_rule_and_the_change_is_audited(
    client: Client, opd: Opd
) -> None:
    pemda = opd.pemda
    client.force_login(staff_member(opd, Role.OPERATOR))
    response = client.post(
        reverse("organizations:pemda_edit"),
        {
            "name": pemda.name,
            "kind": pemda.kind,
            "region_code": pemda.region_code,
            "time_zone": pemda.time_zone,
            "cuti_bersama_is_working_day": "on",
            "after_hours_counts_next_day": "on",
        },
    )
    assert response.status_code == 302
    pemda.refresh_from_db()
    assert pemda.cuti_bersama_is_working_day
    event = AuditEvent.objects.get(action="organization.pemda_updated")
    assert event.data == {"cuti_bersama_is_working_day": {"dari": False, "ke": True}}


@pytest.mark.django_db
def test_pemda_settings_refuse_a_malformed_region_code(client: Client, opd: Opd) -> None:
    pemda = opd.pemda
    client.force_login(staff_member(opd, Role.OPERATOR))
    response = client.post(
        reverse("organizations:pemda_edit"),
        {
            "name": pemda.name,
            "kind": pemda.kind,
            "region_code": "3325",
            "time_zone": pemda.time_zone,
        },
    )
    assert "Kode wilayah Kemendagri berbentuk" in response.content.decode()
    pemda.refresh_from_db()
    assert pemda.region_code == "33.98"
