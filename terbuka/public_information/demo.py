"""Demo Daftar Informasi Publik for the demo Pemda (Kabupaten Nusa Harapan).

About 25 entries of Diskominfo, DPMPTSP and the Setda in all four categories, with topics,
a few documents (small PDFs made here, read for search right away) and berkala entries at
different points of their six-month refresh cycle (one due soon, one past due). Entries are
written through the services, so each has its audit trail; the established ones are then
listed in a demo decree of the PPID. Exempt entries stay drafts: they need a consequence test
before they can be established. Every name and number is fictional.

:func:`dip_demo_load` is idempotent: an entry whose OPD and title already exist is left alone.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify

from terbuka.core import audit, clock
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.organizations.selectors import local_today
from terbuka.public_information import actions, exemptions, index, services, tasks
from terbuka.public_information.models import (
    Category,
    Decree,
    DipEntry,
    EntryStatus,
    Format,
    TestResult,
    Topic,
)

B, SM, SS, DK = (
    Category.BERKALA,
    Category.SERTA_MERTA,
    Category.SETIAP_SAAT,
    Category.DIKECUALIKAN,
)
CETAK, ELEKTRONIK, SITUS = Format.PRINTED, Format.ELECTRONIC, Format.WEBSITE

TOPICS = (
    "Anggaran",
    "Perizinan",
    "Pelayanan Publik",
    "Kepegawaian",
    "Kebencanaan",
    "Perencanaan",
    "Pengadaan Barang dan Jasa",
    "Produk Hukum",
)

#: Who writes each OPD's entries: its admin or PPID Pelaksana, else the PPID Utama.
AUTHORS = {"diskominfo": "admin.kominfo", "dpmptsp": "ppid.dpmptsp", "setda": "kabid.ikp"}
HOLDERS = {
    "diskominfo": ("Bidang Informasi dan Komunikasi Publik", "Kepala Dinas Kominfo"),
    "dpmptsp": ("Bidang Perizinan dan Non Perizinan", "Kepala DPMPTSP"),
    "setda": ("Bagian Organisasi Sekretariat Daerah", "Sekretaris Daerah"),
}
DECREE_NUMBER = "188/01/PPID/{year}"


@dataclass(frozen=True)
class DemoEntry:
    opd: str
    title: str
    summary: str
    category: str
    topics: tuple[str, ...] = ()
    produced_when: str = "Setiap tahun"
    formats: tuple[str, ...] = (CETAK, ELEKTRONIK)
    retention: str = "5 tahun"
    legal_basis: str = ""
    year_offset: int = 0  # 0: this year, -1: last year
    established: bool = True
    # Berkala entries: how many days ago the information was last refreshed.
    refreshed_days_ago: int | None = None
    # A document: the text of a small generated PDF, or a link.
    pdf_text: str = ""
    link: str = ""


UU_KIP = "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
PERKI = "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik"

ENTRIES = (
    # --- Diskominfo ---
    DemoEntry(
        "diskominfo",
        "Profil dan struktur organisasi Dinas Komunikasi dan Informatika",
        "Kedudukan, tugas dan fungsi, struktur organisasi, profil pimpinan dan alamat kantor.",
        B,
        ("Pelayanan Publik",),
        legal_basis=f"{UU_KIP}, pasal 9 ayat 2 huruf a",
        refreshed_days_ago=30,
        formats=(ELEKTRONIK, SITUS),
    ),
    DemoEntry(
        "diskominfo",
        "Daftar Informasi Publik Pemerintah Kabupaten Nusa Harapan",
        "Daftar seluruh informasi publik yang dikuasai perangkat daerah beserta kategorinya.",
        SS,
        ("Pelayanan Publik",),
        legal_basis=f"{UU_KIP}, pasal 11 ayat 1 huruf a",
        formats=(ELEKTRONIK, SITUS),
    ),
    DemoEntry(
        "diskominfo",
        "Laporan layanan informasi publik",
        "Jumlah permohonan informasi, waktu pemenuhan, permohonan yang dikabulkan atau ditolak "
        "beserta alasannya, keberatan dan sengketa informasi.",
        B,
        ("Pelayanan Publik",),
        produced_when="Setiap tahun, paling lambat 31 Maret",
        legal_basis=f"{PERKI}, pasal 36",
        year_offset=-1,
        refreshed_days_ago=170,  # due again within a fortnight
        pdf_text=(
            "Sepanjang tahun lalu PPID menerima 214 permohonan informasi publik. Sebanyak 187 "
            "permohonan dikabulkan seluruhnya, 15 dikabulkan sebagian dan 12 ditolak karena "
            "informasi dikecualikan. Rata-rata waktu pemenuhan permohonan 6 hari kerja. "
            "Tercatat 4 keberatan dan 1 sengketa informasi di Komisi Informasi."
        ),
    ),
    DemoEntry(
        "diskominfo",
        "Standar layanan informasi publik dan maklumat pelayanan PPID",
        "Tata cara permohonan informasi dan keberatan, jangka waktu layanan, biaya salinan dan "
        "maklumat pelayanan PPID.",
        B,
        ("Pelayanan Publik",),
        legal_basis=PERKI,
        refreshed_days_ago=60,
        retention="Selama berlaku",
    ),
    DemoEntry(
        "diskominfo",
        "Rencana kerja dan anggaran Dinas Komunikasi dan Informatika",
        "Program, kegiatan dan pagu anggaran Diskominfo, termasuk layanan internet desa dan "
        "pengelolaan pusat data.",
        B,
        ("Anggaran", "Perencanaan"),
        produced_when="Januari",
        refreshed_days_ago=40,
        pdf_text=(
            "Dokumen ini memuat rencana penganggaran Dinas Komunikasi dan Informatika: program "
            "penyelenggaraan statistik sektoral, layanan internet desa di 42 desa, pengelolaan "
            "pusat data daerah dan penguatan layanan permohonan informasi publik."
        ),
    ),
    DemoEntry(
        "diskominfo",
        "Peringatan dini cuaca ekstrem dan potensi banjir",
        "Peringatan dini cuaca ekstrem, wilayah yang berpotensi banjir dan nomor darurat yang "
        "dapat dihubungi masyarakat.",
        SM,
        ("Kebencanaan",),
        produced_when="Segera saat peringatan diterima",
        formats=(SITUS,),
        retention="1 tahun",
        legal_basis=f"{UU_KIP}, pasal 10",
        link="https://nusaharapan.example/peringatan-dini",
    ),
    DemoEntry(
        "diskominfo",
        "Hasil survei kepuasan masyarakat terhadap layanan PPID",
        "Indeks kepuasan masyarakat per unsur pelayanan dan tindak lanjut perbaikannya.",
        B,
        ("Pelayanan Publik",),
        produced_when="Setiap semester",
        refreshed_days_ago=200,  # past due
    ),
    DemoEntry(
        "diskominfo",
        "Konfigurasi keamanan dan kata sandi pusat data pemerintah daerah",
        "Rincian konfigurasi keamanan jaringan, akun dan kata sandi sistem elektronik daerah.",
        DK,
        legal_basis=f"{UU_KIP}, pasal 17 huruf c",
        established=False,
    ),
    DemoEntry(
        "diskominfo",
        "Perjanjian kerja sama penyediaan jaringan internet kantor",
        "Perjanjian kerja sama dengan penyedia jaringan: para pihak, ruang lingkup, jangka "
        "waktu dan nilai kontrak.",
        SS,
        ("Pengadaan Barang dan Jasa",),
        produced_when="Maret",
        retention="10 tahun",
    ),
    # --- DPMPTSP ---
    DemoEntry(
        "dpmptsp",
        "Daftar izin usaha yang terbit per kecamatan",
        "Rekapitulasi izin usaha yang diterbitkan per kecamatan dan per sektor usaha.",
        B,
        ("Perizinan",),
        produced_when="Setiap triwulan",
        refreshed_days_ago=20,
        formats=(ELEKTRONIK, SITUS),
    ),
    DemoEntry(
        "dpmptsp",
        "Standar pelayanan perizinan berusaha",
        "Persyaratan, prosedur, jangka waktu, biaya dan produk layanan perizinan berusaha.",
        SS,
        ("Perizinan", "Pelayanan Publik"),
        retention="Selama berlaku",
        legal_basis="Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        pdf_text=(
            "Standar pelayanan perizinan berusaha. Permohonan izin diajukan melalui loket atau "
            "sistem daring dengan melampirkan KTP penanggung jawab, akta pendirian dan NIB. "
            "Jangka waktu penyelesaian 5 hari kerja sejak berkas permohonan lengkap. Tidak "
            "dipungut biaya."
        ),
    ),
    DemoEntry(
        "dpmptsp",
        "Rekapitulasi realisasi investasi triwulanan",
        "Realisasi penanaman modal dalam negeri dan asing per triwulan dan per sektor.",
        B,
        ("Perizinan",),
        produced_when="Setiap triwulan",
        refreshed_days_ago=45,
    ),
    DemoEntry(
        "dpmptsp",
        "Rencana Strategis DPMPTSP 2025–2029",
        "Visi, misi, tujuan, sasaran, strategi dan indikator kinerja DPMPTSP lima tahun.",
        SS,
        ("Perencanaan",),
        produced_when="2025",
        retention="Permanen",
        year_offset=-1,
    ),
    DemoEntry(
        "dpmptsp",
        "Laporan pengelolaan pengaduan layanan perizinan",
        "Jumlah pengaduan, pokok masalah, waktu penyelesaian dan tindak lanjutnya.",
        B,
        ("Pelayanan Publik", "Perizinan"),
        produced_when="Setiap semester",
        refreshed_days_ago=90,
    ),
    DemoEntry(
        "dpmptsp",
        "Dokumen Pelaksanaan Anggaran DPMPTSP",
        "Dokumen pelaksanaan anggaran: program, kegiatan, sub kegiatan dan rincian belanja.",
        SS,
        ("Anggaran",),
        produced_when="Januari",
        pdf_text=(
            "Dokumen pelaksanaan anggaran DPMPTSP memuat hasil penganggaran belanja pegawai, "
            "belanja barang dan jasa serta belanja modal untuk peningkatan layanan permohonan "
            "perizinan secara daring."
        ),
    ),
    DemoEntry(
        "dpmptsp",
        "Data pribadi pemohon izin (NIK, alamat, nomor telepon)",
        "Identitas pribadi para pemohon izin yang tercantum dalam berkas permohonan.",
        DK,
        ("Perizinan",),
        legal_basis=f"{UU_KIP}, pasal 17 huruf h; Undang-Undang Nomor 27 Tahun 2022",
        established=False,
    ),
    DemoEntry(
        "dpmptsp",
        "Kajian teknis izin lingkungan yang masih diproses",
        "Memorandum dan kajian internal tim teknis atas permohonan izin yang belum diputus.",
        DK,
        ("Perizinan",),
        legal_basis=f"{UU_KIP}, pasal 17 huruf i",
        established=False,
    ),
    DemoEntry(
        "dpmptsp",
        "Prosedur permohonan Persetujuan Bangunan Gedung (PBG)",
        "Alur, persyaratan dan jangka waktu permohonan PBG.",
        SS,
        ("Perizinan",),
        established=False,  # still a draft of the OPD
    ),
    # --- Setda ---
    DemoEntry(
        "setda",
        "Pengumuman tanggap darurat banjir bandang dan lokasi pengungsian",
        "Status tanggap darurat, wilayah terdampak, lokasi pengungsian, dapur umum dan jalur "
        "evakuasi.",
        SM,
        ("Kebencanaan",),
        produced_when="Segera saat status ditetapkan",
        formats=(SITUS, CETAK),
        retention="2 tahun",
        legal_basis=f"{UU_KIP}, pasal 10; Undang-Undang Nomor 24 Tahun 2007",
    ),
    DemoEntry(
        "setda",
        "Ringkasan APBD Kabupaten Nusa Harapan",
        "Ringkasan pendapatan, belanja dan pembiayaan daerah menurut urusan dan perangkat daerah.",
        B,
        ("Anggaran",),
        produced_when="Januari",
        refreshed_days_ago=15,
        legal_basis=f"{UU_KIP}, pasal 9 ayat 2 huruf c",
        pdf_text=(
            "Ringkasan APBD. Pendapatan daerah Rp1,9 triliun, belanja daerah Rp2,0 triliun. "
            "Proses penganggaran mengikuti kebijakan umum anggaran dan prioritas plafon "
            "anggaran sementara yang disepakati bersama DPRD."
        ),
    ),
    DemoEntry(
        "setda",
        "Peraturan Bupati tentang pengelolaan informasi dan dokumentasi",
        "Peraturan Bupati yang mengatur PPID Utama, PPID Pelaksana dan tata kelola layanan "
        "informasi publik.",
        SS,
        ("Produk Hukum", "Pelayanan Publik"),
        retention="Permanen",
        year_offset=-1,
    ),
    DemoEntry(
        "setda",
        "Rekapitulasi jumlah ASN per perangkat daerah",
        "Jumlah aparatur sipil negara menurut perangkat daerah, golongan dan jenis jabatan.",
        B,
        ("Kepegawaian",),
        produced_when="Setiap semester",
        refreshed_days_ago=100,
    ),
    DemoEntry(
        "setda",
        "Pengumuman hasil seleksi terbuka jabatan pimpinan tinggi pratama",
        "Nama peserta yang lulus setiap tahap seleksi dan jadwal tahap berikutnya.",
        SS,
        ("Kepegawaian",),
        formats=(SITUS,),
    ),
    DemoEntry(
        "setda",
        "Berkas pemeriksaan disiplin pegawai yang sedang berjalan",
        "Berita acara pemeriksaan dan keterangan saksi dalam pemeriksaan disiplin pegawai.",
        DK,
        ("Kepegawaian",),
        legal_basis=f"{UU_KIP}, pasal 17 huruf h",
        established=False,
    ),
    DemoEntry(
        "setda",
        "Rencana umum pengadaan barang/jasa",
        "Paket pengadaan barang/jasa pemerintah daerah: nama paket, pagu, cara dan waktu "
        "pengadaan.",
        B,
        ("Pengadaan Barang dan Jasa", "Anggaran"),
        produced_when="Januari, diperbarui bila ada perubahan",
        refreshed_days_ago=50,
        formats=(SITUS,),
        link="https://nusaharapan.example/rup",
    ),
)


def _pdf(title: str, text: str) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    page = (
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
        "<p><small>Pemerintah Kabupaten Nusa Harapan — dokumen contoh.</small></p>"
    )
    content: bytes = HTML(string=page).write_pdf()
    return content


def _topics(pemda: Pemda, author: User) -> dict[str, Topic]:
    found = {topic.slug: topic for topic in Topic.objects.filter(pemda=pemda)}
    topics = {}
    for name in TOPICS:
        topic = found.get(slugify(name))
        if topic is None:
            topic = services.topic_create(pemda=pemda, actor=author, name=name)
        topics[name] = topic
    return topics


def _create(
    spec: DemoEntry, opd: Opd, author: User, topics: dict[str, Topic], today: dt.date
) -> tuple[DipEntry, list[int]]:
    holder, responsible = HOLDERS[spec.opd]
    refreshed_on = (
        today - dt.timedelta(days=spec.refreshed_days_ago)
        if spec.refreshed_days_ago is not None
        else None
    )
    entry = services.entry_create(
        opd=opd,
        actor=author,
        data={
            "title": spec.title,
            "summary": spec.summary,
            "holder": holder,
            "responsible": responsible,
            "produced_when": spec.produced_when,
            "produced_where": "Nusa Harapan",
            "formats": list(spec.formats),
            "retention": spec.retention,
            "category": spec.category,
            "legal_basis": spec.legal_basis,
            "year": today.year + spec.year_offset,
            "refreshed_on": refreshed_on,
        },
        topics=[topics[name] for name in spec.topics],
    )
    versions = []
    if spec.pdf_text:
        upload = SimpleUploadedFile(
            f"{slugify(spec.title)[:60]}.pdf",
            _pdf(spec.title, spec.pdf_text),
            content_type="application/pdf",
        )
        document = services.document_add(entry=entry, actor=author, title=spec.title, upload=upload)
        assert document.current_id is not None
        versions.append(document.current_id)
    if spec.link:
        services.document_add(entry=entry, actor=author, title=spec.title, url=spec.link)
    return entry, versions


#: The demo entry closed by an approved consequence test, so the public exempt list shows it.
EXEMPT_DEMO = "Data pribadi pemohon izin (NIK, alamat, nomor telepon)"


def _close(entry: DipEntry, ppid: User, today: dt.date) -> DipEntry:
    """Run and approve the consequence test that closes ``entry`` (art. 17 h)."""
    test = exemptions.test_record(
        opd=entry.opd,
        actor=ppid,
        data=exemptions.Assessment(
            information=entry.title,
            grounds=("h",),
            other_law="Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi",
            harm="Membuka identitas pribadi pemohon izin melanggar hak atas data pribadi.",
            public_interest=(
                "Kepentingan publik atas perizinan terpenuhi oleh rekap izin tanpa identitas."
            ),
            result=TestResult.CLOSE,
            decided_on=today,
            place="Nusa Harapan",
        ),
        entries=(entry,),
    )
    exemptions.test_approve(
        test=test,
        actor=ppid,
        approved_by_name="Drs. H. Ahmad Fauzi, M.Si.",
        approved_by_position="Bupati Nusa Harapan",
        approved_on=today,
    )
    entry.refresh_from_db()
    return entry


def _establish(entries: list[DipEntry], pemda: Pemda, ppid: User, today: dt.date) -> None:
    """List the demo's established entries in the PPID's demo decree (penetapan DIP)."""
    if not entries:
        return
    now = clock.now()
    decree, _created = Decree.objects.get_or_create(
        pemda=pemda,
        number=DECREE_NUMBER.format(year=today.year),
        defaults={"decided_on": today, "decided_by": ppid, "created_at": now},
    )
    DipEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
        status=EntryStatus.ESTABLISHED, published_at=now, updated_at=now
    )
    decree.entries.add(*entries)
    for entry in entries:
        audit.record(
            action=actions.ESTABLISHED,
            actor=ppid,
            obj=entry,
            opd_id=entry.opd_id,
            data={"nomor_keputusan": decree.number, "demo": True},
        )
        index.entry_changed(entry)


def dip_demo_load(pemda: Pemda) -> int:
    """Create the demo DIP of ``pemda`` (the demo Pemda); returns how many entries were new."""
    today = local_today(pemda)
    opds = {opd.code: opd for opd in Opd.objects.filter(pemda=pemda, code__in=AUTHORS)}
    authors = {user.username: user for user in User.objects.filter(username__in=AUTHORS.values())}
    ppid = authors[AUTHORS["setda"]]
    existing = set(
        DipEntry.objects.filter(pemda=pemda, opd__code__in=AUTHORS).values_list(
            "opd__code", "title"
        )
    )
    versions: list[int] = []
    created = 0
    with transaction.atomic():
        topics = _topics(pemda, ppid)
        established = []
        for spec in ENTRIES:
            if (spec.opd, spec.title) in existing or spec.opd not in opds:
                continue
            entry, new_versions = _create(
                spec, opds[spec.opd], authors[AUTHORS[spec.opd]], topics, today
            )
            versions += new_versions
            created += 1
            if spec.established and spec.category != Category.DIKECUALIKAN:
                established.append(entry)
            if spec.title == EXEMPT_DEMO:
                established.append(_close(entry, ppid, today))
        _establish(established, pemda, ppid, today)
    # The documents are read here, whatever DIP_TEXT_READ_INLINE says (a version already
    # read at commit is left alone).
    for version_id in versions:
        tasks.document_text_read(version_id)
    return created
