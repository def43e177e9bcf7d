"""Benchmark: the DIP's public search and browse pages with 100,000 entries and the extracted text
of 50,000 documents.

Run from the repository root with the project's virtualenv::

    .venv/bin/python bench/dip_search.py --database sqlite
    .venv/bin/python bench/dip_search.py --database postgres

It builds a throw-away database (never the developer's one): a fresh SQLite file
``var/bench/dip_search.sqlite3``, or the PostgreSQL database ``terbuka_bench_dip`` on the test
server of ``scripts/test`` (dropped and created again through the maintenance database). Then:

1. ``migrate`` and ``demo_load()``; 33 more OPDs (40 in all), 24 topics and one approved
   consequence test per OPD, with ``bulk_create``;
2. a plan of ``--entries`` DIP entries over the 40 OPDs, 2019–2026, all categories and
   statuses, and of ``--documents`` documents attached to them. Each row is drawn from its own
   seeded generator, so it is the same whichever stage writes it. A document's text is
   generated Indonesian-like prose of 300–3,000 words (log-uniform): Zipf-distributed
   government words in their affixed forms (anggaran, penganggaran, menganggarkan, …) and
   function words, 30% of them from the field of the entry's OPD (finance, licensing,
   health, …), with villages and sub-districts, the names of hamlets and farmer groups (a
   long tail of rare words) and numbers;
3. ``--small`` entries (every n-th of the plan) with their documents, written with raw
   ``bulk_create`` and indexed with ``index.reindex_all()``; query counts (and a few timings)
   of every page;
4. the rest written; the search index emptied and rebuilt with ``reindex_all()``, timed, and
   split into stemming (``search.services.stemmed``), writing (the backend's ``write``) and
   the rest (reading the entries and documents, commits), by wrapping those two functions;
5. interleaved after a warm-up: GETs through an in-process ``django.test.Client`` of a trivial
   view, the browse page (page 1 and a deep page without words; a rare word, a common word,
   two words, a stemmed variant, a deep search page, words with a category or OPD filter), an
   entry page and the suggestions; the ``search()`` call each of those makes; and the full-text
   queries they need written by hand (the ranked page and the COUNT) run on the cursor: median
   and p95 of each;
6. queries per page, time in SQL, each page's queries re-run on their own, and the plans of
   the slow ones (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL);
7. a Markdown results block (also written to ``--markdown`` if given). The script exits with an
   error if a page's query count differs between the two sizes.

Django runs with ``terbuka.settings.default`` and ``DJANGO_DEBUG=0`` (as in production: no
query log; static files collected into ``var/bench/static``); ``--debug`` keeps DEBUG on.
Suggestion requests come from a different client address each, as from many visitors, so that
the view's rate limit (60 a minute per address) does not answer 429.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import itertools
import math
import os
import random
import statistics
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from harness import (
    BENCH_DIR,
    QueryLog,
    add_opds,
    analyze,
    database_size,
    explain,
    machine_facts,
    percentile,
    prepare_postgres,
    prepare_sqlite,
    readable_sql,
    setup_django,
)

SQLITE_PATH = BENCH_DIR / "dip_search.sqlite3"
# Tables whose long column lists the printed query plans shorten.
PLAN_TABLES = ("public_information_dipentry",)
DEFAULT_POSTGRES_URL = "postgres://terbuka:terbuka@127.0.0.1:54329/terbuka_bench_dip"
SCRIPT_STARTED = time.perf_counter()

AUTHOR = "kabid.ikp"  # PPID Utama of the demo: creates the entries and uploads the documents
PER_PAGE = 20  # public.PER_PAGE, checked at start
DEEP_PAGE = 2_000  # browse without words: offset 39,980
SEARCH_DEEP_PAGE = 50  # a common word: offset 980
PLAN_MS = 5.0  # queries at least this slow (re-run on their own) get their plan printed
MAX_PLANS = 12
MIN_TIMED = 10  # timed runs per probe at least, whatever --page-budget says
CHUNK_ENTRIES = 5_000  # entries (with their documents) per transaction
INSERT_BATCH = 500  # rows per INSERT

# What is searched for. The rare word is chosen from the plan: a hamlet or group name found in
# a few documents, one of them among the first --small entries.
COMMON_WORD = "pelayanan"
TWO_WORDS = "laporan keuangan"
STEMMED_VARIANT = "penganggaran"  # the text says "anggaran" most of the time
FILTER_CATEGORY = "setiap_saat"
FILTER_OPD = "bpkad"
SUGGEST_QUERY = "laporan realis"  # typed so far: the last word is a prefix
RARE_DOCUMENTS = (8, 30)  # documents the rare word should be in at full size

# Shape of the generated data.
YEARS = tuple(range(2019, 2027))
YEAR_GROWTH = 0.15  # more entries every year
OPD_ZIPF = 0.9  # OPD size ~ 1 / rank^0.9 (BPKAD, DPMPTSP, Setda, ... first)
CATEGORIES = ("berkala", "setiap_saat", "serta_merta", "dikecualikan")
CATEGORY_WEIGHTS = (36, 48, 6, 10)
STATUSES = ("ditetapkan", "draf", "diajukan", "dikembalikan", "diverifikasi", "dicabut")
STATUS_WEIGHTS = (86, 6, 3, 1.5, 1.5, 2)
PUBLIC_DOCUMENT_WEIGHT = 4  # a public entry is this many times likelier to get a document
DOCUMENT_WORDS = (300, 3_000)  # log-uniform: many short documents, a few long ones
VOCABULARY_ZIPF = 1.0
NAME_POOL = 20_000  # hamlet, group and street names: the long tail
NAME_ZIPF = 1.0
LOCAL_EVERY = 40  # about one place name, name or number per this many words
TOPIC_COUNTS, TOPIC_COUNT_WEIGHTS = (0, 1, 2, 3), (20, 45, 25, 10)

# Biggest lists first; the remaining OPDs follow in code order.
BUSY_OPDS = ("bpkad", "dpmptsp", "setda", "bappeda", "dinkes", "disdik", "dpupr", "dinsos")

TOPICS = (
    "Anggaran",
    "Perizinan",
    "Pelayanan Publik",
    "Kepegawaian",
    "Kebencanaan",
    "Perencanaan",
    "Pengadaan Barang dan Jasa",
    "Produk Hukum",
    "Kesehatan",
    "Pendidikan",
    "Kependudukan",
    "Bantuan Sosial",
    "Infrastruktur",
    "Lingkungan Hidup",
    "Pertanian",
    "Perikanan",
    "Pariwisata",
    "Perhubungan",
    "Usaha Mikro",
    "Ketenagakerjaan",
    "Aset Daerah",
    "Pendapatan Daerah",
    "Pengaduan Masyarakat",
    "Statistik Sektoral",
)

# Word families of every text, most common first: one root per line with the forms it takes,
# the most frequent form first. Sastrawi brings each line to one stem (a few share one).
GENERAL_FAMILIES = """
pemerintah pemerintahan memerintahkan
daerah kedaerahan
kabupaten
pelayanan layanan melayani dilayani
informasi menginformasikan
data pendataan
tahun tahunan
kegiatan berkegiatan
program pemrograman
pelaksanaan melaksanakan dilaksanakan pelaksana
masyarakat kemasyarakatan
laporan pelaporan melaporkan dilaporkan
desa pedesaan
kecamatan camat
dinas kedinasan
sesuai penyesuaian menyesuaikan
jumlah berjumlah menjumlahkan
pengelolaan mengelola dikelola pengelola
penyusunan menyusun disusun susunan
penetapan menetapkan ditetapkan
dokumen pendokumentasian didokumentasikan
publik
bidang
pembangunan membangun dibangun
perencanaan rencana merencanakan direncanakan
pengawasan mengawasi diawasi pengawas
pemeriksaan memeriksa diperiksa pemeriksa
target
capaian mencapai tercapai
kinerja
evaluasi mengevaluasi dievaluasi
penggunaan menggunakan digunakan pengguna
pemanfaatan memanfaatkan dimanfaatkan
penanganan menangani ditangani
standar standardisasi
prosedur
operasional
sekretariat
seksi
unit
persen
bulan bulanan
triwulan
semester
tanggung tanggungan
jawab menjawab
koordinasi berkoordinasi mengoordinasikan
rapat
peningkatan meningkatkan ditingkatkan meningkat
penyediaan menyediakan disediakan
pembinaan membina dibina
fasilitasi memfasilitasi difasilitasi
sosialisasi menyosialisasikan disosialisasikan
monitoring
transparansi
akuntabilitas
keterbukaan terbuka
"""
# Function words and where they rank among the families above (yang, dan and di lead any
# Indonesian text). The index drops them (search.text.STOPWORDS) but they are in the prose.
FUNCTION_WORDS = (
    ("yang", 1),
    ("dan", 2),
    ("di", 3),
    ("untuk", 5),
    ("dengan", 6),
    ("dari", 8),
    ("pada", 10),
    ("dalam", 12),
    ("ini", 14),
    ("ke", 16),
    ("oleh", 18),
    ("tersebut", 20),
    ("sebagai", 22),
    ("atas", 25),
    ("dapat", 26),
    ("telah", 28),
    ("akan", 30),
    ("juga", 33),
    ("serta", 35),
    ("adalah", 38),
    ("bagi", 40),
    ("secara", 42),
    ("itu", 45),
    ("terhadap", 50),
    ("kepada", 55),
    ("bahwa", 60),
    ("agar", 70),
    ("yaitu", 80),
)
# What an OPD's documents are about: each group's own word families, most common first. A
# document draws TOPICAL_SHARE of its words from its group, so that a word such as
# "imunisasi" or "anggaran" is frequent in some documents and absent from most others.
TOPIC_FAMILIES = {
    "keuangan": """
anggaran penganggaran menganggarkan dianggarkan
keuangan uang
belanja membelanjakan
pendapatan mendapatkan didapat
realisasi merealisasikan direalisasikan
pembayaran membayar dibayarkan bayar
rupiah
juta
miliar
aset
pajak perpajakan
retribusi
pengadaan mengadakan diadakan
barang
jasa
kontrak
penyedia
lelang
tender
hibah
akuntansi
neraca
kas
""",
    "perizinan": """
perizinan izin diizinkan mengizinkan
permohonan pemohon memohon dimohonkan
usaha pengusaha berusaha
persyaratan syarat mensyaratkan
pendaftaran mendaftar terdaftar daftar
penerbitan menerbitkan diterbitkan terbit
investasi investor
pengaduan mengadukan aduan
koperasi
pasar
perdagangan pedagang dagang
industri perindustrian
bangunan
sertifikat sertifikasi bersertifikat
rekomendasi merekomendasikan
verifikasi memverifikasi diverifikasi
""",
    "kesehatan": """
kesehatan sehat
puskesmas
pasien
gizi
stunting
posyandu
imunisasi
vaksinasi
bidan
dokter
obat pengobatan
penyakit
rumah
sakit
ibu
balita
sanitasi
rujukan merujuk dirujuk
""",
    "pendidikan": """
sekolah
pendidikan mendidik pendidik
guru
siswa
peserta
beasiswa
kurikulum
akreditasi terakreditasi
perpustakaan pustaka
arsip kearsipan
kebudayaan budaya
pemuda kepemudaan
olahraga
pelatihan melatih dilatih
""",
    "sosial": """
bantuan membantu dibantu
sosial
penerima
miskin kemiskinan
penduduk kependudukan
keluarga
perempuan
anak
perlindungan melindungi dilindungi
penyaluran menyalurkan disalurkan
sembako
rutilahu
tenaga
kerja pekerjaan pekerja bekerja
disabilitas
lansia
pemberdayaan memberdayakan diberdayakan
""",
    "infrastruktur": """
jalan
jembatan
irigasi
drainase
embung
bendungan bendung
rehabilitasi merehabilitasi direhabilitasi
pemeliharaan memelihara dipelihara
perbaikan memperbaiki diperbaiki
air
bersih kebersihan
sampah persampahan
lingkungan
transportasi
angkutan mengangkut diangkut
terminal
kendaraan
parkir perparkiran
permukiman
perumahan
pamsimas
konstruksi
revitalisasi
normalisasi
""",
    "ekonomi": """
pertanian petani
pangan ketahanan
perikanan ikan
nelayan
peternakan ternak peternak
perkebunan kebun
pupuk
benih
panen memanen
pariwisata wisata wisatawan
agrowisata
mangrove
dermaga
terumbu
hidroponik
bumdes
biogas
""",
    "pemerintahan": """
pegawai kepegawaian
jabatan pejabat
peraturan mengatur diatur pengaturan aturan
keputusan memutuskan diputuskan
hukum
produk
bencana kebencanaan
banjir
longsor
pengungsi mengungsi
statistik
survei
sensus
keberatan
sengketa
organisasi
mutasi
disiplin
""",
}
GROUPS = tuple(TOPIC_FAMILIES)
# Each OPD's own group; OPDs not listed (Diskominfo, Setda, Bappeda, the sub-districts, ...)
# write about government itself.
OPD_GROUPS = {
    "keuangan": ("bpkad", "bapenda", "inspektorat", "setwan"),
    "perizinan": ("dpmptsp", "disperindag", "dinkop", "satpolpp"),
    "kesehatan": ("dinkes", "rsud", "dppkb"),
    "pendidikan": ("disdik", "arpusda", "dispora"),
    "sosial": ("dinsos", "disdukcapil", "disnaker", "dp3a", "dpmd"),
    "infrastruktur": ("dpupr", "dishub", "dlh", "disperkim"),
    "ekonomi": ("dispertan", "diskan", "dispar"),
}
OWN_GROUP_SHARE = 0.75  # of an OPD's entries about its own field; the rest about any
TOPICAL_SHARE = 0.3
SUB_DISTRICTS = (
    "Harapan Jaya",
    "Sukamaju",
    "Mekarsari",
    "Sumberrejo",
    "Tanjungsari",
    "Karanganyar",
    "Cibodas",
    "Margasari",
    "Wonosari",
    "Kalibening",
    "Purwodadi",
    "Sidomulyo",
    "Pagerwangi",
    "Giritirta",
    "Banjarsari",
    "Tegalrejo",
)
VILLAGE_HEADS = (
    "Suka",
    "Mekar",
    "Sumber",
    "Tanjung",
    "Karang",
    "Marga",
    "Sido",
    "Wono",
    "Purwo",
    "Tegal",
    "Jati",
    "Banjar",
    "Kali",
    "Pager",
    "Rejo",
    "Sri",
    "Harja",
    "Giri",
    "Mulya",
    "Cipta",
)
VILLAGE_TAILS = (
    "maju",
    "jaya",
    "sari",
    "rejo",
    "asih",
    "mulya",
    "makmur",
    "agung",
    "wangi",
    "harjo",
    "mukti",
    "rahayu",
    "indah",
    "baru",
    "lestari",
    "mekar",
)
VILLAGES_PER_SUB_DISTRICT = 15
NAME_ONSETS = (*"bcdgjklmnprstw", "ng", "ny", "kr", "tr", "gr", "br")
NAME_VOWELS = tuple("aaiiuueo")
NAME_CODAS = ("", "", "", "", "n", "ng", "r", "k", "t", "s")
LOCAL_FORMS = (
    ("Desa {desa}", 20),
    ("Kecamatan {kec}", 10),
    ("Dusun {name}", 8),
    ("Kelompok Tani {name}", 4),
    ("Jalan {name}", 3),
    ("Pokmas {name}", 2),
    ("tahun {year}", 14),
    ("Rp{amount}", 12),
    ("{count} orang", 8),
    ("{whole},{part} persen", 8),
    ("Nomor {count} Tahun {year}", 6),
)

TITLES = {
    "berkala": (
        "Laporan Realisasi Anggaran {opd} Tahun {year}",
        "Laporan Keuangan {opd} Tahun {year}",
        "Rencana Kerja {opd} Tahun {year}",
        "Laporan Kinerja Instansi Pemerintah {opd} Tahun {year}",
        "Dokumen Pelaksanaan Anggaran {opd} Tahun {year}",
        "Ringkasan Program dan Kegiatan {opd} Tahun {year}",
        "Profil dan Struktur Organisasi {opd} Tahun {year}",
        "Laporan Layanan Informasi Publik {opd} Tahun {year}",
        "Daftar Aset dan Barang Milik Daerah {opd} Tahun {year}",
        "Rencana Umum Pengadaan {opd} Tahun {year}",
        "Laporan Penyelenggaraan Pemerintahan Kecamatan {kec} Tahun {year}",
        "Data Capaian Kinerja {topic} Semester {semester} Tahun {year}",
    ),
    "setiap_saat": (
        "Standar Operasional Prosedur Pelayanan {topic} {opd}",
        "Daftar Penerima Bantuan Sosial Desa {desa} Tahun {year}",
        "Dokumen Kontrak Pengadaan {work} Desa {desa} Tahun {year}",
        "Surat Keputusan Kepala {opd} tentang {topic} Tahun {year}",
        "Data {topic} Kecamatan {kec} Tahun {year}",
        "Notulen Rapat Koordinasi {topic} Tahun {year}",
        "Peraturan Bupati tentang {topic} Tahun {year}",
        "Daftar Izin Usaha yang Diterbitkan di Kecamatan {kec} Tahun {year}",
        "Rekapitulasi Pengaduan Masyarakat {opd} Tahun {year}",
        "Laporan Hasil Pemeriksaan {opd} Tahun {year}",
        "Daftar Kelompok Tani Penerima Hibah Desa {desa} Tahun {year}",
        "Dokumen Perencanaan Pembangunan {work} Dusun {name}",
    ),
    "serta_merta": (
        "Informasi Peringatan Dini Banjir Kecamatan {kec} Tahun {year}",
        "Informasi Tanah Longsor di Desa {desa}",
        "Informasi Gangguan Layanan Air Bersih Desa {desa}",
        "Informasi Kejadian Luar Biasa Penyakit di Kecamatan {kec} Tahun {year}",
        "Jalur Evakuasi dan Titik Kumpul Bencana Desa {desa}",
    ),
    "dikecualikan": (
        "Dokumen Penawaran Peserta Tender {work} Tahun {year}",
        "Data Pribadi Pemohon Perizinan {opd} Tahun {year}",
        "Rekam Medis Pasien Puskesmas Kecamatan {kec}",
        "Berita Acara Pemeriksaan Pegawai {opd} Tahun {year}",
        "Hasil Penyelidikan Kasus {topic} Tahun {year}",
    ),
}
WORKS = (
    "Jalan Desa",
    "Jembatan",
    "Saluran Irigasi",
    "Gedung Sekolah",
    "Puskesmas Pembantu",
    "Pasar Rakyat",
    "Embung",
    "Drainase",
    "Sarana Air Bersih",
    "Balai Desa",
)
UNITS = ("Bidang Program dan Keuangan", "Sekretariat", "Bidang Pelayanan", "Subbagian Umum")
PRODUCED_WHEN = {
    "berkala": ("Setiap tahun", "Setiap semester", "Setiap triwulan"),
    "setiap_saat": ("Setiap saat", "Sesuai kebutuhan", "Setiap tahun"),
    "serta_merta": ("Serta merta", "Saat kejadian"),
    "dikecualikan": ("Sesuai kegiatan",),
}
RETENTIONS = ("5 tahun", "10 tahun", "Selama berlaku", "Permanen", "2 tahun")
FORMATS = (["cetak", "elektronik"], ["elektronik", "situs"], ["cetak"], ["elektronik"])
LEGAL_BASES = (
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik, pasal 9",
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik, pasal 11",
    "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik",
    "Peraturan Daerah tentang Anggaran Pendapatan dan Belanja Daerah",
    "Peraturan Bupati tentang Standar Pelayanan",
    "",
)
DOCUMENT_KINDS, DOCUMENT_KIND_WEIGHTS = ("pdf", "docx", "xlsx"), (80, 12, 8)
DOCUMENT_TITLES = ("{title}", "Lampiran {n} {title}", "Dokumen {title}", "Ringkasan {title}")


# --------------------------------------------------------------------------------------------
# Database preparation and Django set-up
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixtures:
    pemda_id: int
    pemda_name: str
    author_id: int
    opds: list[tuple[int, str, str, str]]  # id, code, name, short name; biggest lists first
    topic_ids: list[int]
    test_by_opd: dict[int, int]  # OPD id -> its approved, closing consequence test


def load_fixtures(now: dt.datetime) -> Fixtures:
    from django.core.management import call_command
    from django.utils.text import slugify

    from terbuka.organizations.demo import demo_load
    from terbuka.organizations.models import Opd, Pemda, User
    from terbuka.public_information.models import ConsequenceTest, TestResult, Topic

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    demo_load()
    pemda = Pemda.objects.get()
    added = add_opds(pemda)
    author = User.objects.get(username=AUTHOR)
    by_code = {opd.code: opd for opd in Opd.objects.filter(pemda=pemda)}
    ordered = [code for code in BUSY_OPDS if code in by_code]
    ordered += sorted(code for code in by_code if code not in ordered)
    topics = Topic.objects.bulk_create(
        [Topic(pemda=pemda, name=name, slug=slugify(name)) for name in TOPICS]
    )
    tests = ConsequenceTest.objects.bulk_create(
        [
            ConsequenceTest(
                pemda=pemda,
                opd=by_code[code],
                number=f"{number:03d}/UK/PPID/2025",
                information="Dokumen penawaran, data pribadi dan rekam medis.",
                grounds=["h"],
                harm="Membuka rahasia pribadi dan persaingan usaha yang tidak sehat.",
                public_interest="Kepentingan publik tidak lebih besar dari perlindungan.",
                result=TestResult.CLOSE,
                decided_by=author,
                decided_by_position="PPID Utama",
                decided_on=dt.date(2025, 1, 15),
                place="Nusa Harapan",
                approved_by_name="Bupati Nusa Harapan",
                approved_by_position="Bupati",
                approved_on=dt.date(2025, 1, 20),
                created_at=now,
            )
            for number, code in enumerate(ordered, start=1)
        ]
    )
    print(
        f"migrate {migrated - started:.1f} s, demo_load + {added} OPDs + "
        f"{len(topics)} topics + {len(tests)} consequence tests "
        f"{time.perf_counter() - migrated:.1f} s; {len(by_code)} OPDs"
    )
    return Fixtures(
        pemda_id=pemda.pk,
        pemda_name=pemda.name,
        author_id=author.pk,
        opds=[
            (by_code[code].pk, code, by_code[code].name, by_code[code].short_name or code)
            for code in ordered
        ],
        topic_ids=[topic.pk for topic in topics],
        test_by_opd={test.opd_id: test.pk for test in tests},
    )


# --------------------------------------------------------------------------------------------
# Vocabulary and prose
# --------------------------------------------------------------------------------------------


def zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(rank**-exponent for rank in range(1, count + 1)))


def weighted(families: list[list[str]], exponent: float) -> tuple[list[str], list[float]]:
    """The forms of ``families`` with cumulative weights: family ~ 1 / rank^exponent, split
    over its forms by halves (the first form most common)."""
    words: list[str] = []
    weights: list[float] = []
    for rank, forms in enumerate(families, start=1):
        shares = [0.5**k for k in range(len(forms))]
        total = sum(shares)
        for form, share in zip(forms, shares, strict=True):
            words.append(form)
            weights.append(rank**-exponent * share / total)
    return words, list(itertools.accumulate(weights))


@dataclass
class Vocabulary:
    """The words of the generated prose with cumulative Zipf weights, and the place names."""

    words: list[str]
    cumulative: list[float]
    topical: dict[int, tuple[list[str], list[float]]]  # group index -> words, cumulative
    families: int
    sub_districts: tuple[str, ...]
    villages: list[tuple[str, int]]  # name, index of its sub-district
    names: list[str]  # hamlets, farmer groups, streets: the long tail
    name_cumulative: list[float]
    local_forms: list[str]
    local_cumulative: list[float]

    @classmethod
    def build(cls, seed: int) -> Vocabulary:
        rng = random.Random(f"{seed}:vocabulary")
        families = [line.split() for line in GENERAL_FAMILIES.strip().splitlines()]
        for word, rank in FUNCTION_WORDS:
            families.insert(rank - 1, [word])
        words, cumulative = weighted(families, VOCABULARY_ZIPF)
        topical = {}
        for group, text in enumerate(TOPIC_FAMILIES.values()):
            lines = [line.split() for line in text.strip().splitlines()]
            families += lines
            topical[group] = weighted(lines, VOCABULARY_ZIPF)
        combos = [head + tail for head in VILLAGE_HEADS for tail in VILLAGE_TAILS]
        picked = rng.sample(combos, len(SUB_DISTRICTS) * VILLAGES_PER_SUB_DISTRICT)
        villages = [(name, k // VILLAGES_PER_SUB_DISTRICT) for k, name in enumerate(picked)]
        taken = {form for forms in families for form in forms} | {n.lower() for n in combos}
        names: list[str] = []
        while len(names) < NAME_POOL:
            syllables = rng.choice((2, 3, 3))
            name = "".join(
                rng.choice(NAME_ONSETS) + rng.choice(NAME_VOWELS) for _ in range(syllables)
            ) + rng.choice(NAME_CODAS)
            if name not in taken:
                taken.add(name)
                names.append(name.capitalize())
        return cls(
            words=words,
            cumulative=cumulative,
            topical=topical,
            families=len(families),
            sub_districts=SUB_DISTRICTS,
            villages=villages,
            names=names,
            name_cumulative=zipf_cumulative(NAME_POOL, NAME_ZIPF),
            local_forms=[form for form, _ in LOCAL_FORMS],
            local_cumulative=list(itertools.accumulate(weight for _, weight in LOCAL_FORMS)),
        )

    @property
    def size(self) -> int:
        return len(self.words) + sum(len(words) for words, _ in self.topical.values())

    def prose(
        self,
        rng: random.Random,
        words: int,
        group: int,
        village: int,
        names: Sequence[int],
        year: int,
    ) -> str:
        """About ``words`` words in sentences of 8–24 and paragraphs of 3–7 sentences: the
        general vocabulary, TOPICAL_SHARE of the words from the ``group``'s, and the place,
        the names and the years of the document here and there."""
        drawn = rng.choices(self.words, cum_weights=self.cumulative, k=words)
        topical, cumulative = self.topical[group]
        share = round(words * TOPICAL_SHARE)
        chosen = rng.choices(topical, cum_weights=cumulative, k=share)
        for position, word in zip(rng.sample(range(words), share), chosen, strict=True):
            drawn[position] = word
        desa, kec = self.villages[village]
        for _ in range(words // LOCAL_EVERY + 1):
            form = rng.choices(self.local_forms, cum_weights=self.local_cumulative)[0]
            drawn[rng.randrange(words)] = form.format(
                desa=desa,
                kec=self.sub_districts[kec],
                name=self.names[rng.choice(names)] if names else desa,
                year=year - rng.randrange(3),
                amount=f"{rng.randrange(1, 9_999) * 1_000_000:,}".replace(",", "."),
                count=rng.randrange(2, 2_000),
                whole=rng.randrange(1, 100),
                part=rng.randrange(10),
            )
        paragraphs: list[str] = []
        sentences: list[str] = []
        position = 0
        while position < words:
            length = rng.randint(8, 24)
            sentence = drawn[position : position + length]
            position += length
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            if len(sentence) > 10 and rng.random() < 0.4:
                sentence[len(sentence) // 2] += ","
            sentences.append(" ".join(sentence) + ".")
            if len(sentences) >= rng.randint(3, 7):
                paragraphs.append(" ".join(sentences))
                sentences = []
        if sentences:
            paragraphs.append(" ".join(sentences))
        return "\n".join(paragraphs)


def word_count(text: str) -> int:
    """Words of generated text (single spaces and newlines between them)."""
    return text.count(" ") + text.count("\n") + 1 if text else 0


# --------------------------------------------------------------------------------------------
# Plan and rows
# --------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """Every entry and document of the run, compactly; the rest is drawn when written."""

    opd: array  # index into Fixtures.opds
    year: array
    category: array  # index into CATEGORIES
    status: array  # index into STATUSES
    village: array  # index into Vocabulary.villages
    group: array  # index into GROUPS: what the entry's texts are about
    document_start: array  # documents of entry i: document_start[i] .. document_start[i + 1]
    document_words: array
    document_names: list[tuple[int, ...]]  # indices into Vocabulary.names

    def __len__(self) -> int:
        return len(self.opd)

    def is_public(self, index: int) -> bool:
        return self.status[index] == 0 and CATEGORIES[self.category[index]] != "dikecualikan"

    def documents_of(self, index: int) -> range:
        return range(self.document_start[index], self.document_start[index + 1])


def build_plan(
    entries: int, documents: int, opd_codes: list[str], vocab: Vocabulary, seed: int
) -> Plan:
    rng = random.Random(f"{seed}:plan")
    opds = len(opd_codes)
    opd_cumulative = zipf_cumulative(opds, OPD_ZIPF)
    own_group = [
        next(
            (GROUPS.index(group) for group, codes in OPD_GROUPS.items() if code in codes),
            GROUPS.index("pemerintahan"),
        )
        for code in opd_codes
    ]
    year_weights = [(1 + YEAR_GROWTH) ** k for k in range(len(YEARS))]
    plan = Plan(
        opd=array("h", rng.choices(range(opds), cum_weights=opd_cumulative, k=entries)),
        year=array("h", rng.choices(YEARS, year_weights, k=entries)),
        category=array("b", rng.choices(range(len(CATEGORIES)), CATEGORY_WEIGHTS, k=entries)),
        status=array("b", rng.choices(range(len(STATUSES)), STATUS_WEIGHTS, k=entries)),
        village=array("h", (rng.randrange(len(vocab.villages)) for _ in range(entries))),
        group=array("b"),
        document_start=array("l"),
        document_words=array("l"),
        document_names=[],
    )
    plan.group = array(
        "b",
        (
            own_group[opd] if rng.random() < OWN_GROUP_SHARE else rng.randrange(len(GROUPS))
            for opd in plan.opd
        ),
    )
    weights = [PUBLIC_DOCUMENT_WEIGHT if plan.is_public(i) else 1 for i in range(entries)]
    owners = sorted(rng.choices(range(entries), weights, k=documents))
    plan.document_start = array("l", (bisect.bisect_left(owners, i) for i in range(entries + 1)))
    low, high = math.log(DOCUMENT_WORDS[0]), math.log(DOCUMENT_WORDS[1])
    for _ in owners:
        plan.document_words.append(round(math.exp(rng.uniform(low, high))))
        plan.document_names.append(
            tuple(
                rng.choices(
                    range(NAME_POOL), cum_weights=vocab.name_cumulative, k=rng.randint(1, 3)
                )
            )
        )
    return plan


def choose_rare_word(plan: Plan, small: Sequence[int], vocab: Vocabulary) -> tuple[str, int]:
    """A name found in few documents of public entries, one of them in the first stage, that
    the stemmer leaves alone (so that no other word shares its stem); and the number of such
    documents. Names appear only in document text."""
    from terbuka.search.text import stem

    frequency: Counter[int] = Counter()
    for entry in range(len(plan)):
        if plan.is_public(entry):
            for document in plan.documents_of(entry):
                frequency.update(set(plan.document_names[document]))
    low, high = RARE_DOCUMENTS
    candidates = sorted(
        {
            name
            for entry in small
            if plan.is_public(entry)
            for document in plan.documents_of(entry)
            for name in plan.document_names[document]
            if stem(vocab.names[name].lower()) == vocab.names[name].lower()
        },
        key=lambda name: (abs(frequency[name] - (low + high) // 2), name),
    )
    if not candidates:
        sys.exit("no document of a public entry in the first stage: raise --small")
    best = candidates[0]
    if not low <= frequency[best] <= high:
        print(f"note: the rare word is in {frequency[best]} documents (wanted {low}–{high})")
    return vocab.names[best], frequency[best]


@dataclass
class Generator:
    """Turns plan rows into ``DipEntry``, topic links, ``Document`` and ``DocumentVersion``."""

    plan: Plan
    vocab: Vocabulary
    fixtures: Fixtures
    seed: int
    now: dt.datetime
    words: int = 0  # words of the document texts written
    text_chars: int = 0

    def entry(self, index: int) -> tuple[Any, list[int]]:
        from terbuka.public_information.models import DipEntry, refresh_due

        plan, vocab, fixtures = self.plan, self.vocab, self.fixtures
        rng = random.Random(f"{self.seed}:entry:{index}")
        opd_id, _code, opd_name, opd_short = fixtures.opds[plan.opd[index]]
        year = plan.year[index]
        category = CATEGORIES[plan.category[index]]
        status = STATUSES[plan.status[index]]
        desa, kec = vocab.villages[plan.village[index]]
        topic_count = rng.choices(TOPIC_COUNTS, TOPIC_COUNT_WEIGHTS)[0]
        topics = rng.sample(range(len(TOPICS)), topic_count)
        title = rng.choice(TITLES[category]).format(
            opd=rng.choice((opd_name, opd_short)),
            year=year,
            kec=vocab.sub_districts[kec],
            desa=desa,
            topic=TOPICS[topics[0] if topics else rng.randrange(len(TOPICS))].lower(),
            work=rng.choice(WORKS).lower(),
            name=vocab.names[rng.randrange(NAME_POOL)],
            semester=rng.choice(("I", "II")),
        )
        summary = vocab.prose(
            rng, rng.randint(20, 60), plan.group[index], plan.village[index], (), year
        )
        published_at = None
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            seconds=rng.randrange(365 * 86_400)
        )
        if start >= self.now:
            start = self.now - dt.timedelta(seconds=rng.randrange(3_600, 90 * 86_400))
        created_at = start - dt.timedelta(seconds=rng.randrange(86_400, 60 * 86_400))
        updated_at = start
        if status == "ditetapkan":
            published_at = start
            if rng.random() < 0.2:
                updated_at = min(self.now, start + dt.timedelta(days=rng.randrange(1, 400)))
        refreshed_on = refresh_due_on = None
        if category == "berkala" and status == "ditetapkan":
            refreshed_on = (published_at or start).date()
            refresh_due_on = refresh_due(refreshed_on)
        entry = DipEntry(
            pemda_id=fixtures.pemda_id,
            opd_id=opd_id,
            title=title[:300],
            summary=summary,
            holder=f"{rng.choice(UNITS)} {opd_short}",
            responsible=f"Kepala {opd_name}",
            produced_when=rng.choice(PRODUCED_WHEN[category]),
            produced_where=f"{opd_name}, {fixtures.pemda_name}",
            formats=rng.choice(FORMATS),
            retention=rng.choice(RETENTIONS),
            category=category,
            legal_basis=rng.choice(LEGAL_BASES),
            year=year,
            status=status,
            refreshed_on=refreshed_on,
            refresh_due_on=refresh_due_on,
            exemption_id=fixtures.test_by_opd[opd_id]
            if category == "dikecualikan" and status == "ditetapkan"
            else None,
            return_note="Lampiran belum lengkap." if status == "dikembalikan" else "",
            download_count=rng.randrange(0, 500),
            published_at=published_at,
            created_at=created_at,
            updated_at=updated_at,
            created_by_id=fixtures.author_id,
        )
        return entry, [fixtures.topic_ids[k] for k in topics]

    def documents(self, index: int, entry: Any) -> list[tuple[Any, Any]]:
        from terbuka.public_information.models import Document, DocumentVersion, TextStatus

        plan = self.plan
        result = []
        for number, document in enumerate(plan.documents_of(index), start=1):
            rng = random.Random(f"{self.seed}:document:{document}")
            text = self.vocab.prose(
                rng,
                plan.document_words[document],
                plan.group[index],
                plan.village[index],
                plan.document_names[document],
                entry.year,
            )
            self.words += word_count(text)
            self.text_chars += len(text)
            uploaded_at = entry.created_at + dt.timedelta(seconds=rng.randrange(3_600, 86_400))
            title = rng.choice(DOCUMENT_TITLES).format(title=entry.title, n=number)[:300]
            kind = rng.choices(DOCUMENT_KINDS, DOCUMENT_KIND_WEIGHTS)[0]
            version = DocumentVersion(
                number=1,
                file=f"dip/{uploaded_at:%Y/%m}/bench-{document}.{kind}",
                name=f"dokumen-{document}.{kind}",
                kind=kind,
                size=len(text) * 3 + 20_000,
                sha256=hashlib.sha256(f"{self.seed}:{document}".encode()).hexdigest(),
                text=text,
                text_status=TextStatus.DONE,
                uploaded_at=uploaded_at,
                uploaded_by_id=self.fixtures.author_id,
            )
            result.append((Document(title=title, created_at=uploaded_at), version))
        return result


def write_entries(gen: Generator, indices: Sequence[int]) -> tuple[dict[int, int], float]:
    """Write the plan entries ``indices`` with their topics and documents, CHUNK_ENTRIES per
    transaction; returns plan index -> entry id, and the seconds taken."""
    from django.db import connection, transaction

    from terbuka.public_information.models import DipEntry, Document, DocumentVersion

    links = DipEntry.topics.through
    ids: dict[int, int] = {}
    began = time.perf_counter()
    for start in range(0, len(indices), CHUNK_ENTRIES):
        chunk = indices[start : start + CHUNK_ENTRIES]
        built = [gen.entry(index) for index in chunk]
        with transaction.atomic():
            entries = DipEntry.objects.bulk_create(
                [entry for entry, _ in built], batch_size=INSERT_BATCH
            )
            links.objects.bulk_create(
                [
                    links(dipentry_id=entry.pk, topic_id=topic_id)
                    for entry, (_, topic_ids) in zip(entries, built, strict=True)
                    for topic_id in topic_ids
                ],
                batch_size=INSERT_BATCH * 2,
            )
            pairs = []
            for index, entry in zip(chunk, entries, strict=True):
                ids[index] = entry.pk
                for document, version in gen.documents(index, entry):
                    document.entry_id = entry.pk
                    pairs.append((document, version))
            Document.objects.bulk_create(
                [document for document, _ in pairs], batch_size=INSERT_BATCH
            )
            for document, version in pairs:
                version.document_id = document.pk
            DocumentVersion.objects.bulk_create(
                [version for _, version in pairs], batch_size=INSERT_BATCH // 5
            )
        elapsed = time.perf_counter() - began
        print(
            f"  {start + len(chunk):>7,} of {len(indices):,} entries, {gen.words:>11,} document "
            f"words, {elapsed:6.1f} s",
            flush=True,
        )
    # Every document's current version is its only one.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Document._meta.db_table} SET current_id = ("
            f"SELECT MAX(v.id) FROM {DocumentVersion._meta.db_table} v "
            f"WHERE v.document_id = {Document._meta.db_table}.id) WHERE current_id IS NULL"
        )
    return ids, time.perf_counter() - began


# --------------------------------------------------------------------------------------------
# Indexing
# --------------------------------------------------------------------------------------------


@dataclass
class IndexRun:
    entries: int = 0
    seconds: float = 0.0
    stem_s: float = 0.0
    write_s: float = 0.0
    words: int = 0  # whitespace-separated words given to the index (titles and texts)
    stems: int = 0  # stems stored (stopwords dropped)
    batches: int = 0

    @property
    def other_s(self) -> float:
        return self.seconds - self.stem_s - self.write_s


def clear_index(vendor: str) -> None:
    """Empty the search index (derived data) so that the timed rebuild starts from nothing."""
    from django.db import connection, transaction

    from terbuka.search.backends.sqlite import FTS
    from terbuka.search.models import SearchDocument

    table = SearchDocument._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")
            cursor.execute(f"DELETE FROM {table}")
        else:
            cursor.execute(f"TRUNCATE {table}")


def timed_reindex() -> IndexRun:
    """``index.reindex_all()`` with ``services.stemmed`` and the backend's ``write`` wrapped
    in timers (the words are counted outside the timers)."""
    from terbuka.public_information import index
    from terbuka.search import services
    from terbuka.search.backends import backend

    run = IndexRun()
    original_stemmed = services.stemmed
    engine = backend()
    original_write = engine.write

    def stemmed(text: str) -> str:
        began = time.perf_counter()
        result = original_stemmed(text)
        run.stem_s += time.perf_counter() - began
        run.words += word_count(text)
        run.stems += word_count(result)
        return result

    def write(documents: Sequence[Any]) -> None:
        began = time.perf_counter()
        original_write(documents)
        run.write_s += time.perf_counter() - began
        run.batches += 1

    services.stemmed = stemmed
    setattr(engine, "write", write)  # noqa: B010 - an instance attribute, removed below
    try:
        began = time.perf_counter()
        run.entries = index.reindex_all()
        run.seconds = time.perf_counter() - began
    finally:
        services.stemmed = original_stemmed
        delattr(engine, "write")
    return run


def index_sizes(vendor: str) -> str:
    from django.db import connection

    from terbuka.search.backends.sqlite import FTS
    from terbuka.search.models import SearchDocument

    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), SUM(LENGTH(title_stemmed) + LENGTH(body_stemmed)) FROM {table}"
        )
        rows, chars = cursor.fetchone()
        text = f"{rows:,} index rows, stemmed text {(chars or 0) / 2**20:,.0f} MB"
        if vendor == "sqlite":
            cursor.execute(f"SELECT SUM(LENGTH(block)), COUNT(*) FROM {FTS}_data")
            size, blocks = cursor.fetchone()
            return f"{text}; FTS5 index {(size or 0) / 2**20:,.0f} MB in {blocks:,} blocks"
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size(%s)), "
            "pg_size_pretty(pg_relation_size('search_searchdocument_vector')), "
            f"pg_size_pretty(SUM(pg_column_size(search_vector))) FROM {table}",
            [table],
        )
        total, gin, vectors = cursor.fetchone()
        return f"{text}; table with TOAST and indexes {total}, tsvectors {vectors}, GIN {gin}"


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------

_addresses = itertools.count(1)


def next_address() -> str:
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@dataclass
class Probe:
    """One thing timed: a page (GET), a search-app call, or a raw query on the cursor."""

    label: str
    run: Callable[[], object]
    kind: str  # "page", "search" or "raw"
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    captured: list[tuple[str, Any, float]] = field(default_factory=list)  # sql, params, ms
    rerun: list[tuple[str, Any, float]] = field(default_factory=list)  # sql, params, median ms

    def reset(self) -> None:
        self.latencies, self.queries, self.sql_ms, self.captured, self.rerun = [], [], [], [], []


def page_probe(
    label: str, client: Any, url: str, before: Callable[[], object] | None = None
) -> Probe:
    def get() -> None:
        if before is not None:
            before()
        response = client.get(url, REMOTE_ADDR=next_address())
        if response.status_code != 200:
            sys.exit(f"GET {url} answered {response.status_code}")
        response.content  # noqa: B018 - render fully

    return Probe(label, get, "page")


def measure(probes: list[Probe], runs: int, warmup: int, counted: int, budget_s: float) -> None:
    """Warm up, then time ``runs`` of every probe, interleaved. A probe whose warm-up shows it
    would take more than ``budget_s`` gets fewer runs (at least MIN_TIMED). Then the queries of
    the pages, in a separate pass, so that logging them costs the timed runs nothing."""
    from django.db import connection

    warm: dict[int, float] = {}
    for _ in range(max(warmup, 1)):
        for i, probe in enumerate(probes):
            began = time.perf_counter()
            probe.run()
            warm[i] = (time.perf_counter() - began) * 1000
    targets = [
        min(runs, max(MIN_TIMED, int(budget_s * 1000 / max(warm[i], 0.001))))
        for i in range(len(probes))
    ]
    # Interleaved so that every probe sees the same machine noise.
    began_all = time.perf_counter()
    for round_ in range(max(targets)):
        if round_ and round_ % 10 == 0:
            print(
                f"  round {round_} of {max(targets)}, {time.perf_counter() - began_all:.0f} s",
                flush=True,
            )
        for probe, target in zip(probes, targets, strict=True):
            if round_ >= target:
                continue
            began = time.perf_counter()
            probe.run()
            probe.latencies.append((time.perf_counter() - began) * 1000)
    for _ in range(counted):
        for probe in probes:
            if probe.kind != "page":
                continue
            log = QueryLog()
            with connection.execute_wrapper(log):
                probe.run()
            probe.queries.append(len(log.entries))
            probe.sql_ms.append(sum(ms for _sql, _params, ms in log.entries))
            probe.captured = log.entries


MAIN_TABLES = ("public_information_", "search_searchdocument")


def rerun_queries(probe: Probe, repeats: int) -> None:
    """The page's queries on the DIP and search tables alone, each through
    ``connection.cursor()`` (execute and fetch every row): median of ``repeats`` runs (3 when
    one run takes more than a second)."""
    from django.db import connection

    probe.rerun = []
    for sql_text, params, _ms in probe.captured:
        if not any(table in sql_text for table in MAIN_TABLES):
            continue
        times: list[float] = []
        while len(times) < (repeats if not times or times[0] < 1000 else min(repeats, 3)):
            began = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql_text, params)
                cursor.fetchall()
            times.append((time.perf_counter() - began) * 1000)
        probe.rerun.append((sql_text, params, statistics.median(times)))


@dataclass(frozen=True)
class SearchCase:
    """A search made by the browse page or the suggestions, and the calls it stands for."""

    key: str
    label: str
    query: str
    params: tuple[tuple[str, str], ...] = ()  # other query-string parameters
    page: int = 1
    suggest: bool = False

    @property
    def filtered(self) -> bool:
        return any(name in ("kategori", "opd") for name, _ in self.params)


@dataclass
class RawQuery:
    label: str
    sql: str
    params: list[Any]

    def run(self) -> object:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return cursor.fetchall()


def raw_queries(
    vendor: str, case: SearchCase, pemda_id: int, offset: int, opd_id: int
) -> tuple[RawQuery, RawQuery, RawQuery]:
    """The full-text queries the search needs, written by hand: the ranked page (20 ids, 5 for
    suggestions), the COUNT of the matches, and the MATCH alone (a COUNT on the full-text index
    without the scope). With a category or OPD filter the entries are joined and filtered in
    the same query, as the page would need if the filter went into SQL."""
    from terbuka.public_information.index import KIND
    from terbuka.search.backends import postgresql, sqlite
    from terbuka.search.models import SearchDocument
    from terbuka.search.text import parse

    terms = parse(case.query, prefix=case.suggest)
    limit = 5 if case.suggest else PER_PAGE
    table = SearchDocument._meta.db_table
    join, where, extra = "", "", list[Any]()
    if case.filtered:
        join = " JOIN public_information_dipentry e ON e.id = d.object_id"
        where = " AND e.pemda_id = %s AND e.status = 'ditetapkan' AND e.category <> 'dikecualikan'"
        extra = [pemda_id]
        for name, value in case.params:
            if name == "kategori":
                where += " AND e.category = %s"
                extra.append(value)
            elif name == "opd":
                where += " AND e.opd_id = %s"
                extra.append(opd_id)
    scope = "d.kind = %s AND d.is_public AND d.pemda_id = %s"
    if vendor == "sqlite":
        fts = sqlite.FTS
        expression = sqlite.match_expression(terms)
        matches = (
            f"FROM {fts} CROSS JOIN {table} d ON d.id = {fts}.rowid{join} "
            f"WHERE {fts} MATCH %s AND {scope}{where}"
        )
        base = [expression, KIND, pemda_id, *extra]
        page = RawQuery(
            "page",
            f"SELECT d.object_id, bm25({fts}, {sqlite.TITLE_WEIGHT}, {sqlite.BODY_WEIGHT}) "
            f"AS score {matches} ORDER BY score LIMIT %s OFFSET %s",
            [*base, limit, offset],
        )
        count = RawQuery("count", f"SELECT COUNT(*) {matches}", base)
        alone = RawQuery("match", f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s", [expression])
        return page, count, alone
    expression = postgresql.tsquery(terms)
    weights = ",".join(str(weight) for weight in postgresql.WEIGHTS)
    query = f"to_tsquery('{postgresql.CONFIG}', %s)"
    matches = f"FROM {table} d{join} WHERE d.search_vector @@ {query} AND {scope}{where}"
    base = [expression, KIND, pemda_id, *extra]
    page = RawQuery(
        "page",
        f"SELECT d.object_id, ts_rank(ARRAY[{weights}]::float4[], d.search_vector, {query}) "
        f"AS rank {matches} ORDER BY rank DESC, d.id LIMIT %s OFFSET %s",
        [expression, *base, limit, offset],
    )
    count = RawQuery("count", f"SELECT COUNT(*) {matches}", base)
    alone = RawQuery(
        "match", f"SELECT COUNT(*) FROM {table} WHERE search_vector @@ {query}", [expression]
    )
    return page, count, alone


@dataclass
class CaseProbes:
    case: SearchCase
    page: Probe
    call: Probe
    raw_page: Probe
    raw_count: Probe
    raw_match: Probe
    total: int  # matches, from search()
    offset: int
    sql: list[RawQuery]


def build_probes(
    vendor: str,
    client: Any,
    cases: list[SearchCase],
    pemda_id: int,
    opd_id: int,
    entry_id: int,
    entry_documents: int,
) -> tuple[list[Probe], list[CaseProbes]]:
    """Every probe of one measurement: the pages in a fixed order, then per search the
    search-app call its page makes (``scores()``; ``search()`` for suggestions) and its raw
    queries."""
    from django.urls import reverse

    from terbuka.public_information import catalog
    from terbuka.public_information.index import KIND
    from terbuka.search.selectors import scores, search

    browse = reverse("public_information:browse")
    pages = [
        page_probe("trivial view (`HttpResponse`)", client, reverse("bench_trivial")),
        page_probe("browse, page 1", client, browse),
        # What the first visitor after a change pays: the public list is read again.
        page_probe("browse, page 1, list changed", client, browse, before=catalog.forget),
        page_probe(f"browse, `?halaman={DEEP_PAGE}`", client, f"{browse}?halaman={DEEP_PAGE}"),
    ]
    found: list[CaseProbes] = []
    for case in cases:
        if case.suggest:
            url = f"{reverse('public_information:suggest')}?{urlencode({'q': case.query})}"
        else:
            params = [("q", case.query), *case.params]
            if case.page > 1:
                params.append(("halaman", str(case.page)))
            url = f"{browse}?{urlencode(params)}"
        total = search(
            KIND, case.query, public_only=True, pemda_id=pemda_id, prefix=case.suggest
        ).total
        last_page = max(math.ceil(total / PER_PAGE), 1)
        offset = (min(case.page, last_page) - 1) * PER_PAGE

        def call(case: SearchCase = case) -> object:
            if case.suggest:
                return search(
                    KIND, case.query, public_only=True, pemda_id=pemda_id, prefix=True, limit=5
                )
            return scores(KIND, case.query, public_only=True, pemda_id=pemda_id)

        sql = list(raw_queries(vendor, case, pemda_id, offset, opd_id))
        found.append(
            CaseProbes(
                case=case,
                page=page_probe(case.label, client, url),
                call=Probe(
                    f"{case.label}: {'search' if case.suggest else 'scores'}()", call, "search"
                ),
                raw_page=Probe(f"{case.label}: raw page", sql[0].run, "raw"),
                raw_count=Probe(f"{case.label}: raw COUNT", sql[1].run, "raw"),
                raw_match=Probe(f"{case.label}: raw MATCH alone", sql[2].run, "raw"),
                total=total,
                offset=offset,
                sql=sql,
            )
        )
    entry_url = reverse("public_information:entry", args=[entry_id])
    pages.append(page_probe(f"entry page ({entry_documents} documents)", client, entry_url))
    probes = pages[:4] + [c.page for c in found if not c.case.suggest] + pages[4:]
    probes += [c.page for c in found if c.case.suggest]
    for c in found:
        probes += [c.call, c.raw_page, c.raw_count, c.raw_match]
    return probes, found


def describe(sql_text: str) -> str:
    """A short name for a query of the DIP pages: what it reads, and whether it runs the
    full-text match."""
    head = sql_text.split(" FROM ", 1)[0]
    table = sql_text.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in sql_text else "?"
    full_text = "search_searchdocument_fts" in sql_text or "@@" in sql_text
    facets = {
        '"opd_id" AS "opd"': "OPD",
        '"category" AS "category"': "category",
        '"year" AS "year"': "year",
        '"topic__slug"': "topic",
    }
    if "OVER (" in head:
        return "`search()`: ranked ids with `COUNT(*) OVER ()`"
    if "bm25(" in head or "ts_rank(" in head:
        return "`scores()`: every match with its relevance"
    if "public_information_diprevision" in sql_text:
        return "the list's revision"
    if '"public_information_dipentry_topics"."topic_id"' in head and " GROUP BY " not in sql_text:
        return "catalog: topic links"
    if head.endswith('"public_information_dipentry"."year" AS "year"') and " ORDER BY " in sql_text:
        return "catalog: public entries"
    if " GROUP BY " in sql_text:
        facet = next((name for marker, name in facets.items() if marker in head), "?")
        kind = f"{facet} facet (GROUP BY)"
    elif head.startswith("SELECT COUNT("):
        kind = "COUNT"
    elif head.endswith('"id" AS "pk"') or head.endswith('."id"'):
        kind = "ids"
    elif "_prefetch_related_val" in head or table != "public_information_dipentry":
        kind = "prefetch"
    else:
        kind = "rows of the page"
    if full_text and "search_searchdocument" not in table:
        kind += " + full-text subquery"
    return f"{kind} on `{table}`"


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {percentile(values, 95):.1f}"


def slashed(counts: list[int]) -> str:
    return "/".join(map(str, sorted(set(counts))))


def index_line(run: IndexRun) -> str:
    return (
        f"{run.entries:,} entries in {run.seconds:.1f} s: **{run.entries / run.seconds:,.0f} "
        f"entries/s, {run.words / run.seconds:,.0f} words/s** ({run.words:,} words in, "
        f"{run.stems:,} stems out, {run.batches} batches). Stemming {run.stem_s:.1f} s "
        f"({100 * run.stem_s / run.seconds:.0f}%, {run.words / max(run.stem_s, 1e-9):,.0f} "
        f"words/s), database writes {run.write_s:.1f} s "
        f"({100 * run.write_s / run.seconds:.0f}%), reading entries and documents, building "
        f"the texts and commits {run.other_s:.1f} s ({100 * run.other_s / run.seconds:.0f}%)"
    )


def report(
    args: argparse.Namespace,
    vendor: str,
    facts: dict[str, str],
    data: dict[str, Any],
    probes: list[Probe],
    cases: list[CaseProbes],
    small: dict[str, tuple[list[int], float]],
    plans: list[tuple[str, str, str]],
) -> str:
    from terbuka.search.text import parse

    name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[vendor]
    pages = [probe for probe in probes if probe.kind == "page"]
    baseline = statistics.median(pages[0].latencies)
    by_page = {c.page.label: c for c in cases}
    small_index: IndexRun = data["small_index"]
    lines = [
        f"### {name}, {data['entries']:,} entries, {data['documents']:,} documents "
        f"({facts['date']})",
        "",
        "```",
        " ".join(["python bench/dip_search.py", *sys.argv[1:]]),
        "```",
        "",
        f"Data: {data['entries']:,} entries of {data['opds']} OPDs, {YEARS[0]}–{YEARS[-1]}; "
        f"{data['by_status']}; {data['by_category']}. **{data['public']:,} public** "
        f"(established, not exempt). {data['documents']:,} documents with one version each, "
        f"{data['words']:,} words of text ({data['text_mb']:,.0f} MB), on "
        f"{data['with_documents']:,} entries; {data['topic_links']:,} topic links. "
        f"Written in {data['write_s']:.0f} s. Database {data['db_size']}; {data['index_size']}. "
        f"{data['analyze']}.",
        "",
        f"Indexing (`reindex_all()` into an emptied index): {index_line(data['index'])}. "
        f"At {args.small:,} entries: {small_index.entries / small_index.seconds:,.0f} entries/s, "
        f"{small_index.words / small_index.seconds:,.0f} words/s.",
        "",
        f"Up to {args.requests} timed runs per probe after {args.warmup} warm-up runs, all "
        f"probes interleaved (a probe whose warm-up shows it would need more than "
        f"{args.page_budget:.0f} s gets fewer, at least {MIN_TIMED}: column Runs); "
        f"in-process `django.test.Client`, anonymous, DEBUG={'on' if args.debug else 'off'}. "
        "Re-run: the page's queries on the DIP and search tables run again on their own "
        f"(execute + fetchall), median of {args.raw_repeats}, summed.",
        "",
        "| Page | Matches | Runs | Median / p95 ms | vs trivial | Queries | SQL ms in app "
        "| Re-run ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for probe in pages:
        case = by_page.get(probe.label)
        matches = f"{case.total:,}" if case else "—"
        rerun = sum(ms_ for _s, _p, ms_ in probe.rerun) if probe.rerun else None
        lines.append(
            f"| {probe.label} | {matches} | {len(probe.latencies)} | {ms(probe.latencies)} "
            f"| {statistics.median(probe.latencies) / baseline:.1f}× | {slashed(probe.queries)} "
            f"| {statistics.median(probe.sql_ms):.1f} "
            f"| {'—' if rerun is None else f'{rerun:.1f}'} |"
        )
    lines += [
        "",
        "Each search beside the search-app call its page makes and the full-text queries it "
        "needs, run by hand on the cursor (median / p95 ms). The browse page calls `scores()` "
        "once (every match with its relevance) and filters, counts and ranks in the kept "
        "public list; the suggestions call `search(prefix=True, limit=5)`. Raw page: ranked "
        "ids of the page (`LIMIT 20`; suggestions `LIMIT 5`); raw COUNT: the number of "
        "matches; MATCH alone: a COUNT on the full-text index without the kind/public/Pemda "
        "scope. With a filter the raw queries join the entries and filter them in SQL.",
        "",
        "| Search | Terms | Matches | Page | call | Raw page | Raw COUNT | MATCH alone |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        parsed = parse(c.case.query, prefix=c.case.suggest)
        shown = list(parsed.complete)
        if parsed.starts:
            shown.append(" | ".join(f"{start}*" for start in parsed.starts))
        terms = " ".join(shown)
        lines.append(
            f"| {c.case.label} | `{terms}` | {c.total:,} | {ms(c.page.latencies)} "
            f"| {ms(c.call.latencies)} | {ms(c.raw_page.latencies)} "
            f"| {ms(c.raw_count.latencies)} | {ms(c.raw_match.latencies)} |"
        )
    lines += [
        "",
        f"Queries of {PLAN_MS:.0f} ms or more, re-run on their own (last counted request):",
        "",
        "| Page | Query | ms |",
        "|---|---|---:|",
    ]
    for probe in pages:
        for sql_text, _params, took in probe.rerun:
            if took >= PLAN_MS:
                lines.append(f"| {probe.label} | {describe(sql_text)} | {took:.1f} |")
    lines += [
        "",
        f"Query counts at {args.small:,} entries ({data['small_documents']:,} documents) and at "
        f"{data['entries']:,} ({data['documents']:,} documents):",
        "",
        f"| Page | Queries at {args.small:,} | Median ms at {args.small:,} "
        f"| Queries at {data['entries']:,} | Equal |",
        "|---|---:|---:|---:|---|",
    ]
    for probe in pages:
        counts, median = small[probe.label]
        big = sorted(set(probe.queries))
        lines.append(
            f"| {probe.label} | {slashed(counts)} | {median:.1f} | {slashed(big)} "
            f"| {'yes' if counts == big else '**NO**'} |"
        )
    lines += [
        "",
        "Machine: "
        + ", ".join(f"{key} {value}" for key, value in facts.items() if key != "date")
        + f". Load average (1 min) {data['load'][0]:.2f} before and {data['load'][1]:.2f} after "
        f"the measurement. Whole run {data['run_s'] / 60:.1f} min.",
    ]
    if plans:
        lines += ["", "<details><summary>Query plans</summary>", ""]
        for label, sql_text, plan in plans:
            lines += [f"**{label}**", "", "```sql", sql_text, "```", "", "```", plan, "```", ""]
        lines += ["</details>"]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def data_sizes(vendor: str) -> dict[str, Any]:
    from django.db.models import Count

    from terbuka.public_information.models import DipEntry, Document, DocumentVersion

    def grouped(field_name: str) -> str:
        rows = DipEntry.objects.values(field_name).annotate(n=Count("pk")).order_by("-n")
        return ", ".join(f"{row[field_name]} {row['n']:,}" for row in rows)

    return {
        "by_status": grouped("status"),
        "by_category": grouped("category"),
        "public": DipEntry.objects.public().count(),
        "with_documents": Document.objects.values("entry").distinct().count(),
        "topic_links": DipEntry.topics.through.objects.count(),
        "versions": DocumentVersion.objects.count(),
        "db_size": database_size(vendor, SQLITE_PATH),
        "index_size": index_sizes(vendor),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--entries", type=int, default=100_000, help="DIP entries to generate")
    parser.add_argument("--documents", type=int, default=50_000, help="documents with text")
    parser.add_argument(
        "--small", type=int, default=2_000, help="entries of the first (query count) measurement"
    )
    parser.add_argument("--requests", type=int, default=100, help="timed runs per probe")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--page-budget",
        type=float,
        default=20.0,
        help="seconds of timed runs per probe at most (slow ones get fewer runs)",
    )
    parser.add_argument("--raw-repeats", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument(
        "--postgres-maintenance-db",
        default="terbuka",
        help="database to connect to while dropping/creating the benchmark one",
    )
    parser.add_argument(
        "--sqlite-analyze", action="store_true", help="run ANALYZE after loading (SQLite)"
    )
    parser.add_argument("--no-plans", action="store_true", help="skip the EXPLAIN section")
    parser.add_argument("--debug", action="store_true", help="run with DEBUG on")
    parser.add_argument("--markdown", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not 100 <= args.small < args.entries:
        parser.error("--small must be at least 100 and below --entries")
    if args.documents < 1:
        parser.error("--documents must be at least 1")

    if args.database == "sqlite":
        url = prepare_sqlite(SQLITE_PATH)
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        url = prepare_postgres(args.postgres_url, args.postgres_maintenance_db)
    print(f"database: {url}")
    setup_django(url, args.debug, "dip_search")

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import Length
    from django.test import Client

    from terbuka.core import clock
    from terbuka.public_information import catalog
    from terbuka.public_information.models import Document, DocumentVersion
    from terbuka.public_information.views import public

    if public.PER_PAGE != PER_PAGE:
        sys.exit(f"the browse page shows {public.PER_PAGE} entries a page, not {PER_PAGE}")
    vendor = connection.vendor
    now = clock.now()
    fixtures = load_fixtures(now)
    if not args.debug:
        call_command("collectstatic", interactive=False, verbosity=0)

    began = time.perf_counter()
    vocab = Vocabulary.build(args.seed)
    plan = build_plan(
        args.entries,
        args.documents,
        [code for _pk, code, _n, _s in fixtures.opds],
        vocab,
        args.seed,
    )
    stride = args.entries // args.small
    first = list(range(0, stride * args.small, stride))
    rest = [index for index in range(len(plan)) if index % stride or index >= stride * args.small]
    rare_word, rare_documents = choose_rare_word(plan, first, vocab)
    print(
        f"planned {len(plan):,} entries and {args.documents:,} documents in "
        f"{time.perf_counter() - began:.1f} s; vocabulary {vocab.size} words in "
        f"{vocab.families} families, {len(vocab.villages)} villages, {len(vocab.names):,} "
        f"names; rare word {rare_word!r} in {rare_documents} documents of public entries"
    )
    small_entries = [index for index in first if plan.is_public(index)]
    shown = max(small_entries, key=lambda index: (len(plan.documents_of(index)), -index))
    shown_documents = len(plan.documents_of(shown))

    cases = [
        SearchCase("rare", f"search, rare word `{rare_word.lower()}`", rare_word.lower()),
        SearchCase("common", f"search, common word `{COMMON_WORD}`", COMMON_WORD),
        SearchCase("two", f"search, two words `{TWO_WORDS}`", TWO_WORDS),
        SearchCase("variant", f"search, stemmed variant `{STEMMED_VARIANT}`", STEMMED_VARIANT),
        SearchCase(
            "deep",
            f"search `{COMMON_WORD}`, `?halaman={SEARCH_DEEP_PAGE}`",
            COMMON_WORD,
            page=SEARCH_DEEP_PAGE,
        ),
        SearchCase(
            "category",
            f"search `{COMMON_WORD}` + `kategori={FILTER_CATEGORY}`",
            COMMON_WORD,
            (("kategori", FILTER_CATEGORY),),
        ),
        SearchCase(
            "opd",
            f"search `{STEMMED_VARIANT}` + `opd`={FILTER_OPD}",
            STEMMED_VARIANT,
            (("opd", ""),),
        ),
        SearchCase("suggest", f"suggestions `?q={SUGGEST_QUERY}`", SUGGEST_QUERY, suggest=True),
    ]
    opd_id = next(pk for pk, code, _n, _s in fixtures.opds if code == FILTER_OPD)
    cases = [
        SearchCase(c.key, c.label, c.query, (("opd", str(opd_id)),), c.page, c.suggest)
        if c.key == "opd"
        else c
        for c in cases
    ]
    client = Client(HTTP_HOST="localhost")

    # Stage 1: a spread-out sample of the plan.
    gen = Generator(plan, vocab, fixtures, args.seed, now)
    print(f"writing {len(first):,} entries (every {stride}th of the plan) ...", flush=True)
    ids, small_write_s = write_entries(gen, first)
    catalog.touch(fixtures.pemda_id)  # as every writing service does
    small_documents = Document.objects.count()
    small_index = timed_reindex()
    print(f"indexed at small size: {index_line(small_index)}")
    print(analyze(vendor, args.sqlite_analyze))
    probes, found = build_probes(
        vendor, client, cases, fixtures.pemda_id, opd_id, ids[shown], shown_documents
    )
    for c in found:
        if not c.total:
            sys.exit(f"{c.case.label}: no match at {args.small:,} entries")
    print(f"measuring at {len(first):,} entries, {small_documents:,} documents ...", flush=True)
    measure(probes, 10, 2, 3, args.page_budget)
    small = {
        p.label: (sorted(set(p.queries)), statistics.median(p.latencies))
        for p in probes
        if p.kind == "page"
    }
    for label, (counts, median) in small.items():
        print(f"  {label}: {counts} queries, {median:.1f} ms")

    # Stage 2: everything else, then the index rebuilt from nothing.
    print(f"writing the other {len(rest):,} entries ...", flush=True)
    _more, rest_write_s = write_entries(gen, rest)
    catalog.touch(fixtures.pemda_id)  # as every writing service does
    print(analyze(vendor, args.sqlite_analyze))
    clear_index(vendor)
    print("reindex_all() of every entry ...", flush=True)
    full_index = timed_reindex()
    print(f"indexed: {index_line(full_index)}")
    analyzed = analyze(vendor, args.sqlite_analyze)
    print(analyzed)
    text_chars = DocumentVersion.objects.aggregate(chars=Sum(Length("text")))["chars"]
    data = {
        "entries": len(plan),
        "documents": Document.objects.count(),
        "small_documents": small_documents,
        "opds": len(fixtures.opds),
        "words": gen.words,
        "text_mb": text_chars / 2**20,
        "write_s": small_write_s + rest_write_s,
        "index": full_index,
        "small_index": small_index,
        "analyze": analyzed,
        **data_sizes(vendor),
    }
    print({k: v for k, v in data.items() if k not in ("index", "small_index")})

    probes, found = build_probes(
        vendor, client, cases, fixtures.pemda_id, opd_id, ids[shown], shown_documents
    )
    print(
        f"measuring: {args.warmup} warm-up + up to {args.requests} runs of {len(probes)} "
        f"probes ...",
        flush=True,
    )
    load_before = os.getloadavg()[0]
    measure(probes, args.requests, args.warmup, max(args.requests // 20, 3), args.page_budget)
    data["load"] = (load_before, os.getloadavg()[0])
    for probe in probes:
        if probe.kind == "page":
            rerun_queries(probe, args.raw_repeats)

    plans: list[tuple[str, str, str]] = []
    if not args.no_plans:
        slow = sorted(
            (
                (took, probe.label, sql_text, params)
                for probe in probes
                if probe.kind == "page"
                for sql_text, params, took in probe.rerun
                if took >= PLAN_MS
            ),
            key=lambda row: -row[0],
        )
        seen: set[str] = set()
        for took, label, sql_text, params in slow:
            kind = describe(sql_text)
            if kind in seen or len(plans) >= MAX_PLANS:
                continue
            seen.add(kind)
            plans.append(
                (
                    f"{kind}, slowest in {label} ({took:.1f} ms)",
                    readable_sql(vendor, sql_text, params, PLAN_TABLES),
                    explain(vendor, sql_text, params),
                )
            )
        for c in found:
            if c.case.key == "rare" and c.page.rerun:
                # Few matches: whatever is slow here does not come from the full-text match.
                sql_text, params, took = max(c.page.rerun, key=lambda row: row[2])
                plans.append(
                    (
                        f"{describe(sql_text)}, slowest in {c.case.label} ({took:.1f} ms)",
                        readable_sql(vendor, sql_text, params, PLAN_TABLES),
                        explain(vendor, sql_text, params),
                    )
                )
            if c.case.key in ("common", "suggest"):
                query = c.sql[0]
                plans.append(
                    (
                        f"{c.case.label}: raw page query",
                        readable_sql(vendor, query.sql, query.params, PLAN_TABLES),
                        explain(vendor, query.sql, query.params),
                    )
                )
    for probe in probes:
        if probe.kind != "page":
            continue
        print(f"\n-- queries of {probe.label} (last request; re-run ms):")
        reruns = {sql_text: took for sql_text, _p, took in probe.rerun}
        for sql_text, _params, took in probe.captured:
            again = reruns.get(sql_text)
            print(
                f"   {took:8.2f} ms {'' if again is None else f'({again:8.2f})'}  {sql_text[:140]}"
            )

    data["run_s"] = time.perf_counter() - SCRIPT_STARTED
    text = report(args, vendor, machine_facts(vendor), data, probes, found, small, plans)
    print("\n" + text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
        print(f"\nwritten to {args.markdown}")
    mismatched = [
        p.label for p in probes if p.kind == "page" and small[p.label][0] != sorted(set(p.queries))
    ]
    if mismatched:
        sys.exit(f"query counts changed with the table size: {mismatched}")
    print("query counts per page are the same at both sizes")


if __name__ == "__main__":
    main()
