"""The demo organisation. Every person and number here is fictional."""

from __future__ import annotations

from dataclasses import dataclass

from terbuka.organizations.models import HoldingKind, Pemda, Role, TimeZone, Unit

DEMO_PEMDA = {
    "name": "Pemerintah Kabupaten Nusa Harapan",
    "kind": Pemda.Kind.KABUPATEN,
    "region_code": "33.99",
    "time_zone": TimeZone.WIB,
    "address": "Jalan Merdeka Nomor 1, Nusa Harapan, Jawa Tengah 51299",
    "phone": "(0285) 000000",
    "email": "ppid@nusaharapan.example",
    "website": "https://nusaharapan.example",
    "about": (
        "Kabupaten Nusa Harapan adalah pemerintah daerah fiktif untuk mencoba Terbuka. "
        "Semua nama, nomor dan data di sini adalah contoh."
    ),
}


@dataclass(frozen=True)
class DemoSeat:
    code: str
    title: str
    role: str
    unit: str | None
    username: str
    person: str
    nip: str
    kind: str = HoldingKind.DEFINITIF


@dataclass(frozen=True)
class DemoOpd:
    code: str
    name: str
    short_name: str
    units: tuple[tuple[str, str, str, str | None], ...]  # code, name, kind, parent code
    positions: tuple[DemoSeat, ...]


def _nip(serial: int, female: bool = False) -> str:
    """A well-formed fictional NIP: birth date, appointment month, sex, serial."""
    birth = f"19{70 + serial % 25:02d}{1 + serial % 12:02d}{1 + serial % 28:02d}"
    appointed = f"20{5 + serial % 15:02d}{1 + serial % 12:02d}"
    return f"{birth}{appointed}{2 if female else 1}{serial:03d}"


K = Unit.Kind
R = Role

DISKOMINFO = DemoOpd(
    code="diskominfo",
    name="Dinas Komunikasi dan Informatika",
    short_name="Diskominfo",
    units=(
        ("sekretariat", "Sekretariat", K.SEKRETARIAT, None),
        ("subbag-umum", "Subbagian Umum dan Kepegawaian", K.SUBBAGIAN, "sekretariat"),
        ("subbag-program", "Subbagian Program dan Keuangan", K.SUBBAGIAN, "sekretariat"),
        ("bidang-ikp", "Bidang Informasi dan Komunikasi Publik", K.BIDANG, None),
        ("seksi-pip", "Seksi Pengelolaan Informasi Publik", K.SEKSI, "bidang-ikp"),
        ("seksi-kp", "Seksi Komunikasi Publik dan Media", K.SEKSI, "bidang-ikp"),
        ("bidang-tip", "Bidang Teknologi Informasi dan Persandian", K.BIDANG, None),
        ("seksi-infra", "Seksi Infrastruktur TIK", K.SEKSI, "bidang-tip"),
        ("seksi-aplikasi", "Seksi Aplikasi dan E-Government", K.SEKSI, "bidang-tip"),
        ("seksi-persandian", "Seksi Persandian dan Keamanan Informasi", K.SEKSI, "bidang-tip"),
        ("bidang-statistik", "Bidang Statistik", K.BIDANG, None),
        ("seksi-statistik", "Seksi Statistik Sektoral", K.SEKSI, "bidang-statistik"),
        ("seksi-data", "Seksi Pengelolaan Data", K.SEKSI, "bidang-statistik"),
    ),
    positions=(
        DemoSeat(
            "kadis",
            "Kepala Dinas Komunikasi dan Informatika",
            R.KEPALA,
            None,
            "kadis.kominfo",
            "Drs. Bambang Sutrisno, M.Si.",
            _nip(1),
        ),
        DemoSeat(
            "sekretaris",
            "Sekretaris Dinas",
            R.SEKRETARIS,
            "sekretariat",
            "sekretaris.kominfo",
            "Sri Wahyuni, S.Sos.",
            _nip(2, True),
        ),
        DemoSeat(
            "kasubag-program",
            "Kepala Subbagian Program dan Keuangan",
            R.KEPALA_SUBBAGIAN,
            "subbag-program",
            "kasubag.kominfo",
            "Agus Setiawan, S.E.",
            _nip(3),
        ),
        DemoSeat(
            "kabid-ikp",
            "Kepala Bidang Informasi dan Komunikasi Publik",
            R.KEPALA_BIDANG,
            "bidang-ikp",
            "kabid.ikp",
            "Rina Marlina, S.I.Kom.",
            _nip(4, True),
        ),
        DemoSeat(
            "ppid-utama",
            "PPID Utama",
            R.PPID_UTAMA,
            "bidang-ikp",
            "kabid.ikp",
            "Rina Marlina, S.I.Kom.",
            _nip(4, True),
        ),
        DemoSeat(
            "kasi-pip",
            "Kepala Seksi Pengelolaan Informasi Publik",
            R.KEPALA_SEKSI,
            "seksi-pip",
            "kasi.pip",
            "Hendra Gunawan, S.Kom.",
            _nip(5),
        ),
        DemoSeat(
            "petugas-ppid",
            "Petugas Layanan Informasi PPID",
            R.PETUGAS_PPID,
            "seksi-pip",
            "petugas.ppid",
            "Dewi Lestari, A.Md.",
            _nip(6, True),
        ),
        DemoSeat(
            "staf-kp",
            "Staf Seksi Komunikasi Publik",
            R.STAF,
            "seksi-kp",
            "staf.humas",
            "Yoga Pratama",
            _nip(7),
        ),
        DemoSeat(
            "kabid-tip",
            "Kepala Bidang Teknologi Informasi dan Persandian",
            R.KEPALA_BIDANG,
            "bidang-tip",
            "kabid.tip",
            "Ir. Joko Santoso",
            _nip(8),
        ),
        DemoSeat(
            "kasi-infra",
            "Kepala Seksi Infrastruktur TIK",
            R.KEPALA_SEKSI,
            "seksi-infra",
            "kasi.infra",
            "Fajar Nugroho, S.T.",
            _nip(9),
        ),
        DemoSeat(
            "kasi-aplikasi",
            "Kepala Seksi Aplikasi dan E-Government",
            R.KEPALA_SEKSI,
            "seksi-aplikasi",
            "kasi.aplikasi",
            "Maya Sari, S.Kom.",
            _nip(10, True),
        ),
        DemoSeat(
            "kasi-persandian",
            "Kepala Seksi Persandian dan Keamanan Informasi",
            R.KEPALA_SEKSI,
            "seksi-persandian",
            "kasi.persandian",
            "Teguh Prasetyo, S.Kom.",
            _nip(11),
        ),
        DemoSeat(
            "pranata-komputer",
            "Pranata Komputer Ahli Pertama",
            R.FUNGSIONAL,
            "seksi-aplikasi",
            "pranata.komputer",
            "Ahmad Fauzi, S.Kom.",
            _nip(12),
        ),
        DemoSeat(
            "kabid-statistik",
            "Kepala Bidang Statistik",
            R.KEPALA_BIDANG,
            "bidang-statistik",
            "kabid.statistik",
            "Dr. Lina Kurniawati, M.Stat.",
            _nip(13, True),
        ),
        DemoSeat(
            "walidata",
            "Walidata",
            R.WALIDATA,
            "bidang-statistik",
            "kabid.statistik",
            "Dr. Lina Kurniawati, M.Stat.",
            _nip(13, True),
        ),
        DemoSeat(
            "kasi-statistik",
            "Kepala Seksi Statistik Sektoral",
            R.KEPALA_SEKSI,
            "seksi-statistik",
            "kasi.statistik",
            "Budi Hartono, S.Si.",
            _nip(14),
        ),
        DemoSeat(
            "statistisi",
            "Statistisi Ahli Pertama",
            R.FUNGSIONAL,
            "seksi-statistik",
            "statistisi",
            "Nur Aini, S.Stat.",
            _nip(15, True),
        ),
        DemoSeat(
            "admin-opd",
            "Admin OPD Diskominfo",
            R.ADMIN_OPD,
            "subbag-umum",
            "admin.kominfo",
            "Eko Wibowo",
            _nip(16),
        ),
        DemoSeat(
            "operator",
            "Operator Sistem Terbuka",
            R.OPERATOR,
            "seksi-aplikasi",
            "operator",
            "Rudi Hermawan, S.Kom.",
            _nip(17),
        ),
    ),
)

DPMPTSP = DemoOpd(
    code="dpmptsp",
    name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    short_name="DPMPTSP",
    units=(
        ("sekretariat", "Sekretariat", K.SEKRETARIAT, None),
        ("subbag-program", "Subbagian Program", K.SUBBAGIAN, "sekretariat"),
        ("bidang-si", "Bidang Sistem Informasi dan Pelayanan Pengaduan", K.BIDANG, None),
        ("seksi-si", "Seksi Sistem Informasi dan Pengelolaan Data", K.SEKSI, "bidang-si"),
        ("seksi-pengaduan", "Seksi Pelayanan Pengaduan", K.SEKSI, "bidang-si"),
    ),
    positions=(
        DemoSeat(
            "kadis",
            "Kepala Dinas Penanaman Modal dan PTSP",
            R.KEPALA,
            None,
            "kadis.dpmptsp",
            "H. Slamet Riyadi, S.H., M.H.",
            _nip(21),
        ),
        DemoSeat(
            "sekretaris",
            "Sekretaris Dinas",
            R.SEKRETARIS,
            "sekretariat",
            "sekretaris.dpmptsp",
            "Endang Susilowati, S.E.",
            _nip(22, True),
        ),
        DemoSeat(
            "kasubag-program",
            "Kepala Subbagian Program",
            R.KEPALA_SUBBAGIAN,
            "subbag-program",
            "kasubag.dpmptsp",
            "Wahyu Hidayat, S.E.",
            _nip(23),
        ),
        DemoSeat(
            "staf-pengolah-data",
            "Staf Pengolah Data Sekretariat",
            R.STAF,
            "sekretariat",
            "staf.sekretariat.dpmptsp",
            "Siti Rahmawati",
            _nip(24, True),
        ),
        DemoSeat(
            "kabid-si",
            "Kepala Bidang Sistem Informasi dan Pelayanan Pengaduan",
            R.KEPALA_BIDANG,
            "bidang-si",
            "kabid.si.dpmptsp",
            "Dwi Cahyono, S.Kom.",
            _nip(25),
        ),
        DemoSeat(
            "kasi-si",
            "Kepala Seksi Sistem Informasi dan Pengelolaan Data",
            R.KEPALA_SEKSI,
            "seksi-si",
            "kasi.si.dpmptsp",
            "Ratna Dewi, S.T.",
            _nip(26, True),
        ),
        DemoSeat(
            "staf-it",
            "Staf IT dan Pengelolaan Data",
            R.STAF,
            "seksi-si",
            "staf.it.dpmptsp",
            "Arif Rahman",
            _nip(27),
        ),
        DemoSeat(
            "ppid-pelaksana",
            "PPID Pelaksana DPMPTSP",
            R.PPID_PELAKSANA,
            "seksi-si",
            "ppid.dpmptsp",
            "Ratna Dewi, S.T.",
            _nip(26, True),
        ),
        DemoSeat(
            "produsen-data",
            "Produsen Data DPMPTSP",
            R.PRODUSEN_DATA,
            "seksi-si",
            "staf.it.dpmptsp",
            "Arif Rahman",
            _nip(27),
        ),
        DemoSeat(
            "admin-opd",
            "Admin OPD DPMPTSP",
            R.ADMIN_OPD,
            "sekretariat",
            "admin.dpmptsp",
            "Yuliana Putri",
            _nip(28, True),
        ),
    ),
)

SETDA = DemoOpd(
    code="setda",
    name="Sekretariat Daerah",
    short_name="Setda",
    units=(("bagian-organisasi", "Bagian Organisasi", K.BIDANG, None),),
    positions=(
        DemoSeat(
            "sekda",
            "Sekretaris Daerah",
            R.KEPALA,
            None,
            "sekda",
            "Dr. Ir. Hadi Purnomo, M.M.",
            _nip(31),
        ),
        DemoSeat(
            "atasan-ppid",
            "Atasan PPID",
            R.ATASAN_PPID,
            None,
            "sekda",
            "Dr. Ir. Hadi Purnomo, M.M.",
            _nip(31),
        ),
        DemoSeat(
            "kabag-organisasi",
            "Kepala Bagian Organisasi",
            R.KEPALA_BIDANG,
            "bagian-organisasi",
            "kabag.organisasi",
            "Anita Rahayu, S.H.",
            _nip(32, True),
        ),
    ),
)


def _service_opd(
    code: str, name: str, short: str, serial: int, plt_head: bool = False, upt: str = ""
) -> DemoOpd:
    head_kind = HoldingKind.PLT if plt_head else HoldingKind.DEFINITIF
    upt_units = (("upt", upt, K.UPT, None),) if upt else ()
    upt_seats = (
        (
            DemoSeat(
                "kepala-upt",
                f"Kepala {upt}",
                R.KEPALA_UPT,
                "upt",
                f"kepala.upt.{code}",
                f"Kepala {upt}",
                _nip(serial + 6),
            ),
        )
        if upt
        else ()
    )
    return DemoOpd(
        code=code,
        name=name,
        short_name=short,
        units=(
            ("sekretariat", "Sekretariat", K.SEKRETARIAT, None),
            ("subbag-program", "Subbagian Perencanaan dan Pelaporan", K.SUBBAGIAN, "sekretariat"),
            *upt_units,
        ),
        positions=(
            *upt_seats,
            DemoSeat(
                "kepala",
                f"Kepala {name}",
                R.KEPALA,
                None,
                f"sekretaris.{code}" if plt_head else f"kepala.{code}",
                f"Pejabat Kepala {short}" if not plt_head else f"Sekretaris {short}",
                _nip(serial + 1 if plt_head else serial),
                head_kind,
            ),
            DemoSeat(
                "sekretaris",
                f"Sekretaris {short}",
                R.SEKRETARIS,
                "sekretariat",
                f"sekretaris.{code}",
                f"Sekretaris {short}",
                _nip(serial + 1),
            ),
            DemoSeat(
                "ppid-pelaksana",
                f"PPID Pelaksana {short}",
                R.PPID_PELAKSANA,
                "subbag-program",
                f"ppid.{code}",
                f"PPID {short}",
                _nip(serial + 2, True),
            ),
            DemoSeat(
                "produsen-data",
                f"Produsen Data {short}",
                R.PRODUSEN_DATA,
                "subbag-program",
                f"data.{code}",
                f"Pengelola Data {short}",
                _nip(serial + 3),
            ),
            DemoSeat(
                "admin-opd",
                f"Admin OPD {short}",
                R.ADMIN_OPD,
                "sekretariat",
                f"admin.{code}",
                f"Admin {short}",
                _nip(serial + 4, True),
            ),
            DemoSeat(
                "staf",
                f"Staf {short}",
                R.STAF,
                "subbag-program",
                f"staf.{code}",
                f"Staf {short}",
                _nip(serial + 5),
            ),
        ),
    )


DEMO_OPDS: tuple[DemoOpd, ...] = (
    DISKOMINFO,
    DPMPTSP,
    SETDA,
    _service_opd(
        "dinkes", "Dinas Kesehatan", "Dinkes", 40, plt_head=True, upt="UPT Puskesmas Harapan Jaya"
    ),
    _service_opd("disdik", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", 50),
    _service_opd("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda", 60),
    _service_opd("dinsos", "Dinas Sosial", "Dinsos", 70),
)
