"""Benchmark: the PPID register, request page, annual report and deadline sweep with a million
information requests.

Run from the repository root with the project's virtualenv::

    .venv/bin/python bench/ppid_requests.py --database sqlite
    .venv/bin/python bench/ppid_requests.py --database postgres

It builds a throw-away database (never the developer's one): a fresh SQLite file
``var/bench/ppid_requests.sqlite3``, or the PostgreSQL database ``terbuka_bench_ppid`` on the
test server of ``scripts/test`` (dropped and created again through the maintenance database).
Then:

1. ``migrate`` and ``demo_load()``; the holidays of 2022–2026 (``calendar_seed_year``); 33 more
   OPDs (40 in all) with ``bulk_create``;
2. a plan of ``--rows`` requests received from 2022-01-01 to 2026-11-20 (WIB), numbered per
   body and year, with receipt dates and deadlines from the real calendar
   (``deadlines.request_clock`` on ``calendar_for(pemda)``, cached per receipt date);
3. ``--small`` of them (every n-th of the plan, so spread over the five years) written with raw
   ``bulk_create``; query counts (and a few timings) of every page and of the sweep;
4. the rest written; ``RegistrationCounter`` rows set to the last sequence per body and year;
5. with ``django.test.Client`` in-process, GETs of a trivial view, the register (PPID Utama and
   a PPID Pelaksana, filtered, page 1 and a deep page), the request page and the annual
   report, interleaved, after a warm-up: median and p95 latency, queries per request, time in
   SQL, and the same queries run again on their own through ``connection.cursor()``;
6. ``deadline_sweep()`` run twice (the second run must queue nothing);
7. the query plans (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL);
8. a Markdown results block (also written to ``--markdown`` if given).

Django runs with ``terbuka.settings.default`` and ``DJANGO_DEBUG=0`` (as in production: no
query log; static files collected into ``var/bench/static``); ``--debug`` keeps DEBUG on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import secrets
import statistics
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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

SQLITE_PATH = BENCH_DIR / "ppid_requests.sqlite3"
# Tables whose long column lists the printed query plans shorten.
PLAN_TABLES = ("information_requests_informationrequest", "core_auditevent")
DEFAULT_POSTGRES_URL = "postgres://terbuka:terbuka@127.0.0.1:54329/terbuka_bench_ppid"

UTAMA_USER = "kabid.ikp"  # holds PPID Utama: sees every OPD of the Pemda
PELAKSANA_USER = "ppid.dpmptsp"  # PPID Pelaksana of DPMPTSP only
PELAKSANA_OPD = "dpmptsp"  # also the busiest body in the generated data
COUNTER_USER = "petugas.ppid"  # registers counter (walk-in, letter, phone) requests
REGISTER_FILTER = "status=selesai&dari=2025-01-01&sampai=2025-12-31"
DEEP_PAGE = 200  # offset 9,950
REPORT_YEAR = 2025
SEED_YEARS = range(2022, 2027)
FIRST_DAY, LAST_DAY = dt.date(2022, 1, 1), dt.date(2026, 11, 20)
REQUEST_TABLES = ("information_requests_", "core_auditevent")  # the "main" queries

# Shape of the generated data.
UTAMA_SHARE = 0.15  # requests addressed to the PPID Utama; the rest to an OPD's PPID Pelaksana
OPD_ZIPF = 0.8  # OPD popularity ~ 1 / rank^0.8 (DPMPTSP first)
FORWARDED_SHARE = 0.03  # handled by another OPD than the one asked
WITHDRAWN_SHARE = 0.02
EXTENDED_SHARE = 0.08
LATE_SHARE = 0.04  # decided after the deadline in force
# Never decided, by age of the request (forgotten requests get cleared up over time).
STUCK_BY_AGE = ((60, 0.08), (365, 0.015), (None, 0.004))
GROWTH_PER_YEAR = 0.10  # more requests every year
NON_WORKING_DAY_WEIGHT = 0.2  # weekends and holidays: website and e-mail only
CHUNK_ROWS = 50_000  # requests per transaction
INSERT_BATCH = 2_000  # rows per INSERT (SQLite caps these further)
MIN_TIMED = 10  # timed requests per page at least, whatever --page-budget says

CHANNELS = ("situs", "langsung", "surat", "surel", "telepon")
CHANNEL_WEIGHTS_WORKING = (55, 20, 10, 10, 5)
CHANNEL_WEIGHTS_CLOSED = (90, 0, 0, 10, 0)
DECISIONS = ("dikabulkan", "sebagian", "ditolak", "tidak_dikuasai", "badan_lain")
DECISION_WEIGHTS = (70, 12, 8, 6, 4)
GROUND_LETTERS = tuple("abcdefghij")
GROUND_WEIGHTS = (6, 3, 2, 1, 2, 1, 4, 30, 25, 12)
# Working days from receipt to the written notice when decided in time (no extension).
TAKEN_DAYS = tuple(range(1, 11))
TAKEN_WEIGHTS = (8, 12, 14, 13, 12, 10, 9, 8, 7, 7)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Busiest first: DPMPTSP (licences), health, education, population records, ...
BUSY_OPDS = ("dpmptsp", "dinkes", "disdik", "disdukcapil", "dpupr", "dinsos", "bappeda", "setda")

FIRST_NAMES = _words(
    "Agus Budi Citra Dedi Eka Fajar Gita Hadi Indah Joko Kartika Lestari Made Nanda "
    "Oki Putri Rizki Sri Tri Umar Wahyu Yanti Zainal Ahmad Bayu Dian Endang Hendra "
    "Ika Nur"
)
LAST_NAMES = _words(
    "Santoso Wijaya Saputra Hidayat Pratama Nugroho Kusuma Lestari Siregar Harahap "
    "Simanjuntak Setiawan Rahman Hakim Purnomo Wibowo Susanto Utami Permana Gunawan "
    "Halim Sitompul Nasution"
)
STREETS = _words("Merdeka Sudirman Diponegoro Pahlawan Kenanga Melati Mawar Cempaka Veteran Pemuda")
VILLAGES = _words("Sukamaju Harapanjaya Mekarsari Sumberrejo Tanjungsari Karanganyar Cibodas")
OCCUPATIONS = (
    "Wiraswasta",
    "Mahasiswa",
    "Karyawan swasta",
    "Petani",
    "Wartawan",
    "Pengurus LSM",
    "Guru",
    "Pedagang",
    "Peneliti",
    "Advokat",
)
TOPICS = (
    "Daftar izin usaha yang diterbitkan",
    "Rencana kerja dan anggaran",
    "Laporan realisasi anggaran",
    "Data penerima bantuan sosial di desa kami",
    "Dokumen AMDAL rencana pembangunan pasar",
    "Data jumlah tenaga kesehatan per puskesmas",
    "Daftar sekolah penerima dana BOS dan besarannya",
    "Salinan kontrak pengadaan jalan kabupaten",
    "Standar operasional prosedur pelayanan perizinan",
    "Data kependudukan agregat per kecamatan",
    "Laporan hasil pemeriksaan BPK",
    "Rekapitulasi pengaduan masyarakat",
    "Daftar aset tanah milik pemerintah daerah",
    "Data kasus stunting per desa",
    "Jadwal dan hasil seleksi pegawai",
)
PURPOSES = (
    "Bahan penelitian skripsi",
    "Bahan pemberitaan",
    "Pengawasan anggaran oleh masyarakat",
    "Keperluan pengajuan usaha",
    "Advokasi warga desa",
    "Kajian lembaga",
)
OBTAIN_METHODS = (
    ["salinan_elektronik"],
    ["salinan_cetak"],
    ["melihat"],
    ["melihat", "salinan_elektronik"],
)
DELIVERY_METHODS = ("surel", "langsung", "pos", "kurir")
OTHER_BODIES = (
    "Kantor Pertanahan Kabupaten Nusa Harapan",
    "Badan Pusat Statistik Kabupaten Nusa Harapan",
    "Pemerintah Provinsi",
    "Kementerian terkait",
)


# --------------------------------------------------------------------------------------------
# Database preparation and Django set-up
# --------------------------------------------------------------------------------------------


def load_fixtures() -> None:
    from django.core.management import call_command

    from terbuka.organizations.demo import demo_load
    from terbuka.organizations.models import Opd, Pemda
    from terbuka.workcalendar.services import calendar_seed_year

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    demo_load()
    pemda = Pemda.objects.get()
    seeded = sum(calendar_seed_year(pemda=pemda, year=year) for year in SEED_YEARS)
    added = add_opds(pemda)
    print(
        f"migrate {migrated - started:.1f} s, demo_load + {seeded} holidays of "
        f"{SEED_YEARS.start}-{SEED_YEARS.stop - 1} + {added} OPDs "
        f"{time.perf_counter() - migrated:.1f} s; {Opd.objects.count()} OPDs"
    )


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """A public body requests are addressed to: the PPID Utama or an OPD's PPID Pelaksana."""

    code: str
    opd_id: int | None  # None: the PPID Utama
    handling_id: int  # the OPD that handles its requests (the PPID Utama's OPD for "utama")


@dataclass
class Plan:
    """Every request of the run in receipt order, compactly: the rest is drawn when written."""

    received_ts: array  # epoch seconds
    channel: array  # index into CHANNELS
    body: array  # index into bodies
    sequence: array
    receipt: array  # index into receipts
    bodies: list[Body]
    receipts: list[tuple[dt.date, dt.date, dt.date]]  # received_on, notice due, strict due
    last_sequence: dict[tuple[str, int], int]

    def __len__(self) -> int:
        return len(self.received_ts)


class Calendar:
    """The Pemda's real calendar with the deadline arithmetic cached per date: the generator
    asks the same few thousand questions a million times."""

    def __init__(self, pemda: Any) -> None:
        from terbuka.workcalendar.selectors import calendar_for

        self.cal = calendar_for(pemda)
        self.tz: ZoneInfo = self.cal.tz
        self._added: dict[tuple[dt.date, int], dt.date] = {}
        self._receipts: dict[tuple[int, bool], int] = {}
        self.receipts: list[tuple[dt.date, dt.date, dt.date]] = []
        closes = self.cal.office_hours
        self._closes = {
            weekday: hours.closes.hour * 3600 + hours.closes.minute * 60
            for weekday, hours in closes.items()
        }

    def is_working(self, day: dt.date) -> bool:
        from terbuka.workcalendar.rules import is_working_day

        return is_working_day(self.cal, day)

    def add(self, start: dt.date, days: int) -> dt.date:
        key = (start, days)
        found = self._added.get(key)
        if found is None:
            from terbuka.workcalendar.rules import add_working_days

            found = self._added[key] = add_working_days(self.cal, start, days)
        return found

    def receipt(self, day: dt.date, seconds: int, ts: int) -> int:
        """Index into ``receipts`` for a request received ``seconds`` after local midnight of
        ``day`` (epoch ``ts``). Only the date and "at or after closing" change the answer."""
        closes = self._closes.get(day.weekday())
        key = (day.toordinal(), closes is not None and seconds >= closes)
        index = self._receipts.get(key)
        if index is None:
            from terbuka.information_requests.deadlines import request_clock

            clock_ = request_clock(self.cal, dt.datetime.fromtimestamp(ts, dt.UTC))
            self.receipts.append((clock_.received_on, clock_.notice_due, clock_.strict_notice_due))
            index = self._receipts[key] = len(self.receipts) - 1
        return index


def build_bodies() -> list[Body]:
    from terbuka.information_requests.models import UTAMA
    from terbuka.organizations.models import Opd, Position, Role

    utama = Position.objects.filter(role=Role.PPID_UTAMA).select_related("opd").order_by("id")
    utama_opd = utama.first()
    if utama_opd is None:
        sys.exit("the demo has no PPID Utama position")
    opds = {opd.code: opd.pk for opd in Opd.objects.all()}
    ordered = [code for code in BUSY_OPDS if code in opds]
    ordered += sorted(code for code in opds if code not in ordered)
    return [Body(UTAMA, None, utama_opd.opd_id)] + [
        Body(code, opds[code], opds[code]) for code in ordered
    ]


def build_plan(rows: int, cal: Calendar, rng: random.Random) -> Plan:
    """Receipt moments over FIRST_DAY..LAST_DAY (fewer on weekends and holidays, a little
    growth every year), channels, bodies and the gapless sequence per body and year."""
    bodies = build_bodies()
    body_weights = [UTAMA_SHARE] + [
        (1 - UTAMA_SHARE) * rank**-OPD_ZIPF for rank in range(1, len(bodies))
    ]
    scale = (1 - UTAMA_SHARE) / sum(body_weights[1:])
    body_weights = [body_weights[0]] + [w * scale for w in body_weights[1:]]
    body_ids = list(range(len(bodies)))
    channel_ids = list(range(len(CHANNELS)))

    days = [FIRST_DAY + dt.timedelta(days=k) for k in range((LAST_DAY - FIRST_DAY).days + 1)]
    weights = [
        (1.0 if cal.is_working(day) else NON_WORKING_DAY_WEIGHT)
        * (1 + GROWTH_PER_YEAR * (day - FIRST_DAY).days / 365)
        for day in days
    ]
    total = sum(weights)
    plan = Plan(
        received_ts=array("q"),
        channel=array("b"),
        body=array("b"),
        sequence=array("l"),
        receipt=array("l"),
        bodies=bodies,
        receipts=cal.receipts,
        last_sequence={},
    )
    office_open, office_close = 7 * 3600 + 1800, 16 * 3600
    cumulative = 0.0
    placed = 0
    for day, weight in zip(days, weights, strict=True):
        cumulative += weight
        count = round(rows * cumulative / total) - placed
        placed += count
        if count <= 0:
            continue
        midnight = int(dt.datetime.combine(day, dt.time(), tzinfo=cal.tz).timestamp())
        working = cal.is_working(day)
        channels = rng.choices(
            channel_ids, CHANNEL_WEIGHTS_WORKING if working else CHANNEL_WEIGHTS_CLOSED, k=count
        )
        moments = []
        for channel in channels:
            if CHANNELS[channel] in ("situs", "surel"):
                # Online: mostly 07:00-22:00, some at night.
                if rng.random() < 0.8:
                    seconds = rng.randrange(7 * 3600, 22 * 3600)
                else:
                    seconds = rng.randrange(0, 86_400)
            else:
                seconds = rng.randrange(office_open, office_close)
            moments.append((seconds, channel))
        moments.sort()
        for (seconds, channel), body in zip(
            moments, rng.choices(body_ids, body_weights, k=count), strict=True
        ):
            ts = midnight + seconds
            receipt = cal.receipt(day, seconds, ts)
            key = (bodies[body].code, cal.receipts[receipt][0].year)
            sequence = plan.last_sequence.get(key, 0) + 1
            plan.last_sequence[key] = sequence
            plan.received_ts.append(ts)
            plan.channel.append(channel)
            plan.body.append(body)
            plan.sequence.append(sequence)
            plan.receipt.append(receipt)
    assert len(plan) == rows, (len(plan), rows)
    return plan


def check_plan(plan: Plan, cal: Calendar, rng: random.Random, samples: int = 2_000) -> None:
    """The cached receipt dates equal what ``request_clock`` says for sampled requests."""
    from terbuka.information_requests.deadlines import request_clock

    for index in rng.sample(range(len(plan)), min(samples, len(plan))):
        moment = dt.datetime.fromtimestamp(plan.received_ts[index], dt.UTC)
        expected = request_clock(cal.cal, moment)
        got = plan.receipts[plan.receipt[index]]
        if got != (expected.received_on, expected.notice_due, expected.strict_notice_due):
            sys.exit(f"receipt cache is wrong for {moment}: {got} != {expected}")


@dataclass
class Generator:
    """Turns plan rows into ``InformationRequest`` objects with a realistic life so far."""

    plan: Plan
    cal: Calendar
    rng: random.Random
    now: dt.datetime
    today: dt.date
    pattern: str
    pemda_id: int
    counter_user_id: int
    totals: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        from terbuka.information_requests.numbering import ROMAN_MONTHS

        self.roman = ROMAN_MONTHS
        self.handling_ids = [body.handling_id for body in self.plan.bodies[1:]]
        self.now_ts = self.now.timestamp()

    def _moment(self, day: dt.date, seconds: int) -> dt.datetime:
        """A local wall-clock moment (WIB) as an aware UTC datetime."""
        local = dt.datetime.combine(day, dt.time(), tzinfo=self.cal.tz)
        return (local + dt.timedelta(seconds=seconds)).astimezone(dt.UTC)

    def _stuck_share(self, received_on: dt.date) -> float:
        age = (self.today - received_on).days
        for limit, share in STUCK_BY_AGE:
            if limit is None or age < limit:
                return share
        return 0.0

    def row(self, index: int) -> Any:
        from terbuka.information_requests.models import InformationRequest

        rng, plan = self.rng, self.plan
        body = plan.bodies[plan.body[index]]
        received_on, notice_due, strict_due = plan.receipts[plan.receipt[index]]
        channel = CHANNELS[plan.channel[index]]
        sequence = plan.sequence[index]
        handling = body.handling_id
        if body.opd_id is not None and rng.random() < FORWARDED_SHARE:
            handling = rng.choice(self.handling_ids)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        kind = rng.choices(("perorangan", "badan_hukum", "kuasa"), (85, 12, 3))[0]
        number = self.pattern.format(
            nomor=sequence,
            badan=body.code.upper(),
            bulan=received_on.month,
            bulan_romawi=self.roman[received_on.month - 1],
            tahun=received_on.year,
        )
        values: dict[str, Any] = {
            "pemda_id": self.pemda_id,
            "opd_id": body.opd_id,
            "handling_opd_id": handling,
            "body_code": body.code,
            "year": received_on.year,
            "sequence": sequence,
            "number": number,
            "channel": channel,
            "requester_kind": kind,
            "name": f"{first} {last}" if kind != "badan_hukum" else f"Yayasan {last} {first}",
            "nik": "" if kind == "badan_hukum" else str(rng.randrange(10**15, 10**16)),
            "entity_approval_number": f"AHU-{rng.randrange(10**6):06d}.AH.01.04"
            if kind == "badan_hukum"
            else "",
            "principal_name": f"{rng.choice(FIRST_NAMES)} {last}" if kind == "kuasa" else "",
            "address": f"Jl. {rng.choice(STREETS)} No. {rng.randrange(1, 200)}, "
            f"Desa {rng.choice(VILLAGES)}, Kabupaten Nusa Harapan",
            "phone": f"08{rng.randrange(10**9, 10**10)}" if rng.random() < 0.7 else "",
            "email": f"{first.lower()}.{last.lower()}{rng.randrange(100)}@contoh.id"
            if rng.random() < 0.6
            else "",
            "occupation": rng.choice(OCCUPATIONS),
            "information": f"{rng.choice(TOPICS)} tahun {received_on.year - rng.randrange(1, 4)}"
            f" pada {body.code.upper()}, termasuk lampiran dan rinciannya.",
            "purpose": rng.choice(PURPOSES),
            "obtain_methods": rng.choice(OBTAIN_METHODS),
            "delivery_method": rng.choice(DELIVERY_METHODS),
            "received_at": dt.datetime.fromtimestamp(plan.received_ts[index], dt.UTC),
            "received_on": received_on,
            "notice_due_on": notice_due,
            "strict_notice_due_on": strict_due,
            "tracking_token": secrets.token_urlsafe(32),
            "submission_key": secrets.token_urlsafe(24) if channel == "situs" else None,
            "registered_by_id": None if channel in ("situs", "surel") else self.counter_user_id,
        }
        self._outcome(values, received_on, notice_due)
        return InformationRequest(**values)

    def _outcome(self, values: dict[str, Any], received_on: dt.date, notice_due: dt.date) -> None:
        rng, cal = self.rng, self.cal
        draw = rng.random()
        if draw < WITHDRAWN_SHARE:
            closed = values["received_at"] + dt.timedelta(hours=rng.uniform(2, 240))
            if closed < self.now:
                values.update(
                    status="ditarik", closed_at=closed, withdrawal_reason="Tidak diperlukan lagi."
                )
                self.totals["ditarik"] += 1
                return
        extension = rng.randint(3, 7) if rng.random() < EXTENDED_SHARE else 0
        if extension:
            # add_working_days composes: this is the (10 + extension)-th working day.
            values["extended_due_on"] = cal.add(notice_due, extension)
        open_status = "diperpanjang" if extension else "diterima"
        if draw < WITHDRAWN_SHARE + self._stuck_share(received_on):
            values["status"] = open_status
            self.totals["open_stuck"] += 1
            return
        limit = 10 + extension  # working days allowed
        late = rng.random() < LATE_SHARE
        if late:
            taken = rng.randint(limit + 1, limit + 8)
        elif extension:
            taken = rng.randint(8, limit)
        else:
            taken = rng.choices(TAKEN_DAYS, TAKEN_WEIGHTS)[0]
        noticed = cal.add(received_on, taken)
        if noticed > self.today:
            values["status"] = open_status
            self.totals["open_recent"] += 1
            return
        decision = rng.choices(DECISIONS, DECISION_WEIGHTS)[0]
        held = decision not in ("tidak_dikuasai", "badan_lain")
        grounds: list[str] = []
        if decision in ("ditolak", "sebagian"):
            grounds = sorted(set(rng.choices(GROUND_LETTERS, GROUND_WEIGHTS, k=rng.randint(1, 2))))
        values.update(
            decision=decision,
            held=held,
            information_form="Salinan dokumen elektronik (PDF)" if held else "",
            withheld_parts="Data pribadi pada lampiran dihitamkan."
            if decision == "sebagian"
            else "",
            refusal_grounds=grounds,
            consequence_test="Uji konsekuensi terlampir." if grounds else "",
            other_body=rng.choice(OTHER_BODIES) if decision == "badan_lain" else "",
            notice_number=f"{values['number']}/PEMBERITAHUAN",
            noticed_on=noticed,
        )
        self.totals["late" if late else "in_time"] += 1
        age = (self.today - noticed).days
        closes = rng.random() < (0.93 if age > 30 else 0.5)
        if decision in ("dikabulkan", "sebagian"):
            if values["obtain_methods"] == ["salinan_cetak"] and rng.random() < 0.3:
                values.update(
                    fee_amount=Decimal(rng.randrange(5, 60) * 1000),
                    payment_method="Tunai di loket",
                    paid_on=noticed,
                )
            delivered = self._moment(
                noticed + dt.timedelta(days=rng.randint(0, 3)), rng.randrange(28_800, 54_000)
            )
            if delivered >= self.now:
                values["status"] = "diputuskan"
                self.totals["diputuskan"] += 1
                return
            values["delivered_at"] = delivered
            closed = delivered + dt.timedelta(hours=rng.uniform(1, 24 * 14))
            if closes and closed < self.now:
                values.update(status="selesai", closed_at=closed)
            else:
                values["status"] = "diserahkan"
        else:
            closed = self._moment(noticed, 50_400) + dt.timedelta(hours=rng.uniform(1, 24 * 14))
            if closes and closed < self.now:
                values.update(status="selesai", closed_at=closed)
            else:
                values["status"] = "diputuskan"
        self.totals[values["status"]] += 1


def write_rows(gen: Generator, indices: Iterable[int], timing: dict[str, float]) -> int:
    """Write the plan rows ``indices`` in transactions of CHUNK_ROWS; returns rows written.
    ``timing`` accumulates the seconds spent drawing rows and inside ``bulk_create``."""
    from django.db import transaction

    from terbuka.information_requests.models import InformationRequest

    batch: list[Any] = []
    written = 0
    began = time.perf_counter()

    def flush() -> None:
        nonlocal batch, written, began
        built = time.perf_counter()
        with transaction.atomic():
            InformationRequest.objects.bulk_create(batch, batch_size=INSERT_BATCH)
        inserted = time.perf_counter()
        timing["build"] += built - began
        timing["insert"] += inserted - built
        timing["rows"] += len(batch)
        written += len(batch)
        batch = []
        total = timing["build"] + timing["insert"]
        print(
            f"  {int(timing['rows']):>9,} requests, {total:6.1f} s "
            f"(drawing {timing['build']:.1f} s, bulk_create {timing['insert']:.1f} s), "
            f"{timing['rows'] / total:,.0f} rows/s",
            flush=True,
        )
        began = time.perf_counter()

    for index in indices:
        batch.append(gen.row(index))
        if len(batch) >= CHUNK_ROWS:
            flush()
    if batch:
        flush()
    return written


def write_counters(plan: Plan, pemda_id: int) -> int:
    from terbuka.information_requests.models import RegistrationCounter

    counters = [
        RegistrationCounter(pemda_id=pemda_id, body_code=code, year=year, last=last)
        for (code, year), last in sorted(plan.last_sequence.items())
    ]
    RegistrationCounter.objects.bulk_create(counters)
    return len(counters)


def add_timeline(item: Any, users: dict[str, Any], cal: Calendar) -> None:
    """Give the measured request a timeline, two letters, an objection answered by the Atasan
    PPID and a dispute at the Komisi Informasi, as the services would."""
    from django.contrib.contenttypes.models import ContentType

    from terbuka.core.models import AuditEvent
    from terbuka.information_requests import actions
    from terbuka.information_requests.models import (
        AttachmentKind,
        Dispute,
        Objection,
        RequestAttachment,
    )

    content_type = ContentType.objects.get_for_model(item)
    at = item.received_at
    pelaksana, petugas = users[PELAKSANA_USER], users[COUNTER_USER]
    steps = [
        (actions.REGISTERED, None, "pemohon", 0, {"nomor": item.number}),
        (actions.EXTENDED, pelaksana, "", 9, {"hari_kerja": 5}),
        (actions.DECIDED, pelaksana, "", 14, {"keputusan": item.decision}),
        (actions.DELIVERED, petugas, "", 15, {"berkas": []}),
        (actions.CLOSED, pelaksana, "", 20, {}),
        (actions.OBJECTION_FILED, None, "pemohon", 25, {"alasan": "d"}),
        (actions.OBJECTION_ANSWERED, users[UTAMA_USER], "", 40, {"keputusan": "ditolak"}),
        (actions.DISPUTE_RECORDED, petugas, "", 50, {}),
    ]
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                occurred_at=at + dt.timedelta(days=days),
                actor=actor,
                actor_label=label or actor.get_username(),
                action=action,
                content_type=content_type,
                object_id=str(item.pk),
                object_repr=item.number,
                opd_id=item.handling_opd_id,
                data=data,
            )
            for action, actor, label, days, data in steps
        ]
    )
    RequestAttachment.objects.bulk_create(
        [
            RequestAttachment(
                request=item,
                kind=kind,
                file=f"permohonan/{at:%Y/%m}/{name}",
                name=name,
                created_at=at + dt.timedelta(days=14),
            )
            for kind, name in (
                (AttachmentKind.NOTICE, f"pemberitahuan-{item.number.replace('/', '-')}.pdf"),
                (AttachmentKind.INFORMATION, "informasi.pdf"),
            )
        ]
    )
    filed_on = cal.add(item.noticed_on, 5)
    objection = Objection.objects.create(
        request=item,
        year=filed_on.year,
        sequence=1,
        number=f"0001/KEBERATAN/{filed_on.year}",
        ground="d",
        case_position="Informasi yang diberikan tidak sesuai dengan yang diminta.",
        filed_at=at + dt.timedelta(days=25),
        filed_on=filed_on,
        window_closed_on=cal.add(item.noticed_on, 30),
        answer_due_on=cal.add(filed_on, 30),
        status="ditanggapi",
        decision="ditolak",
        decision_text="Informasi telah diberikan sesuai permohonan.",
        decision_number=f"0001/JAWABAN-KEBERATAN/{filed_on.year}",
        answered_on=cal.add(filed_on, 10),
        answered_by=users[UTAMA_USER],
        atasan_name="Atasan PPID",
        atasan_title="Sekretaris Daerah",
        reaction="sengketa",
        reacted_on=cal.add(filed_on, 12),
    )
    Dispute.objects.create(
        objection=objection,
        filed_on=cal.add(filed_on, 14),
        commission_number="012/KI-NH/2025",
        recorded_at=at + dt.timedelta(days=50),
    )


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------


@dataclass
class Endpoint:
    label: str
    url: str
    client: Any
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    captured: list[tuple[str, Any, float]] = field(default_factory=list)  # sql, params, ms
    raw_ms: float | None = None

    def reset(self) -> None:
        self.latencies, self.queries, self.sql_ms, self.captured = [], [], [], []
        self.raw_ms = None


def get(endpoint: Endpoint) -> None:
    response = endpoint.client.get(endpoint.url)
    if response.status_code != 200:
        sys.exit(f"GET {endpoint.url} answered {response.status_code}")
    response.content  # noqa: B018 - render fully


def measure(
    endpoints: list[Endpoint], requests: int, warmup: int, counted: int, budget_s: float
) -> None:
    """Warm up, then time ``requests`` GETs per page, interleaved. A page whose warm-up
    requests show it would take more than ``budget_s`` gets fewer (at least MIN_TIMED)."""
    from django.db import connection

    warm: dict[int, float] = {}
    for _ in range(max(warmup, 1)):
        for i, endpoint in enumerate(endpoints):
            began = time.perf_counter()
            get(endpoint)
            warm[i] = (time.perf_counter() - began) * 1000
    targets = [
        min(requests, max(MIN_TIMED, int(budget_s * 1000 / max(warm[i], 0.001))))
        for i in range(len(endpoints))
    ]
    # Interleaved so that every page sees the same machine noise.
    for round_ in range(max(targets)):
        for endpoint, target in zip(endpoints, targets, strict=True):
            if round_ >= target:
                continue
            began = time.perf_counter()
            get(endpoint)
            endpoint.latencies.append((time.perf_counter() - began) * 1000)
    # Queries in a separate pass, so that logging them costs the timed requests nothing.
    for _ in range(counted):
        for endpoint in endpoints:
            log = QueryLog()
            with connection.execute_wrapper(log):
                get(endpoint)
            endpoint.queries.append(log.count)
            endpoint.sql_ms.append(log.ms)
            endpoint.captured = log.entries


def main_queries(endpoint: Endpoint) -> list[tuple[str, Any]]:
    return [
        (sql, params)
        for sql, params, _ms in endpoint.captured
        if any(f'"{table}' in sql for table in REQUEST_TABLES)
    ]


def raw_sql_ms(queries: list[tuple[str, Any]], repeats: int) -> float:
    """The page's queries on the request tables alone, through ``connection.cursor()``:
    execute and fetch every row, nothing else. Median of ``repeats`` runs (3 when one run
    takes more than a second)."""
    from django.db import connection

    times: list[float] = []
    while len(times) < (repeats if not times or times[0] < 1000 else min(repeats, 3)):
        began = time.perf_counter()
        with connection.cursor() as cursor:
            for sql_text, params in queries:
                cursor.execute(sql_text, params)
                cursor.fetchall()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


@dataclass
class SweepRun:
    label: str
    seconds: float
    examined: int
    reminders: int
    escalations: int
    queries: int
    sql_s: float
    main_query: tuple[str, Any] | None
    outbox_added: int


def run_sweep(label: str, examined: int) -> SweepRun:
    from django.db import connection

    from terbuka.core.models import OutboxMessage
    from terbuka.information_requests.sweeps import deadline_sweep

    outbox_before = OutboxMessage.objects.count()
    log = QueryLog(keep=False)
    first: list[tuple[str, Any]] = []

    def capture_first(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not first and '"information_requests_informationrequest"' in sql:
            first.append((sql, params))
        return execute(sql, params, many, context)

    began = time.perf_counter()
    with connection.execute_wrapper(log), connection.execute_wrapper(capture_first):
        result = deadline_sweep()
    seconds = time.perf_counter() - began
    return SweepRun(
        label,
        seconds,
        examined,
        result.reminders,
        result.escalations,
        log.count,
        log.ms / 1000,
        first[0] if first else None,
        OutboxMessage.objects.count() - outbox_before,
    )


def sweep_in_rollback(examined: int) -> SweepRun:
    """One sweep whose messages are rolled back, so that the full-size runs start clean."""
    from django.db import transaction

    with transaction.atomic():
        run = run_sweep("sweep (rolled back)", examined)
        transaction.set_rollback(True)
    return run


def query_kind(sql_text: str) -> str:
    if sql_text.startswith("SELECT COUNT(*)"):
        return "COUNT"
    if "COUNT(" in sql_text.split(" FROM ", 1)[0]:
        return "GROUP BY aggregate" if " GROUP BY " in sql_text else "aggregate"
    if '"core_auditevent"' in sql_text:
        return "timeline"
    return "rows"


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def page_table(endpoints: list[Endpoint], baseline: float) -> list[str]:
    lines = [
        "| Page | Timed | Median ms | p95 ms | Median vs trivial | Queries/request "
        "| SQL ms in app (median) | Raw SQL ms (request tables) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for endpoint in endpoints:
        median = statistics.median(endpoint.latencies)
        queries = sorted(set(endpoint.queries))
        raw = "—" if endpoint.raw_ms is None else f"{endpoint.raw_ms:.1f}"
        lines.append(
            f"| {endpoint.label} | {len(endpoint.latencies)} | {median:.1f} "
            f"| {percentile(endpoint.latencies, 95):.1f} "
            f"| {median / baseline:.1f}× | {'/'.join(map(str, queries))} "
            f"| {statistics.median(endpoint.sql_ms):.1f} | {raw} |"
        )
    return lines


def slow_queries(vendor: str, endpoints: list[Endpoint]) -> list[str]:
    """Every query of 1 ms or more in the last counted request of each page."""
    lines = [
        "Queries of 1 ms or more (last counted request; "
        + (
            "SQLite steps a statement while rows are fetched, so for queries returning many "
            "rows this is the `execute` only and Raw SQL above is the honest figure):"
            if vendor == "sqlite"
            else "`execute` including the transfer of the rows):"
        ),
        "",
        "| Page | Query | ms |",
        "|---|---|---:|",
    ]
    for endpoint in endpoints:
        for sql_text, _params, ms in endpoint.captured:
            if ms >= 1.0:
                lines.append(f"| {endpoint.label} | {describe(sql_text)} | {ms:.1f} |")
    return lines


def describe(sql_text: str) -> str:
    """A short name for a query: its kind and its main table."""
    table = sql_text.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in sql_text else "?"
    return f"{query_kind(sql_text)} on `{table}`"


def sweep_table(runs: list[SweepRun]) -> list[str]:
    lines = [
        "| Sweep run | Seconds | Open requests examined | Reminders queued | Escalations queued "
        "| Outbox rows added | Queries | Queries per request | SQL s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        per = run.queries / run.examined if run.examined else 0
        lines.append(
            f"| {run.label} | {run.seconds:.1f} | {run.examined:,} | {run.reminders:,} "
            f"| {run.escalations:,} | {run.outbox_added:,} | {run.queries:,} | {per:.1f} "
            f"| {run.sql_s:.1f} |"
        )
    return lines


def report(
    args: argparse.Namespace,
    vendor: str,
    facts: dict[str, str],
    data: dict[str, Any],
    sizes: dict[str, Any],
    endpoints: list[Endpoint],
    small: dict[str, tuple[list[int], float]],
    sweeps: list[SweepRun],
    small_sweep: SweepRun,
    breakdown: dict[str, float],
    plans: list[tuple[str, str, str]],
) -> str:
    name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[vendor]
    baseline = statistics.median(endpoints[0].latencies)
    lines = [
        f"### {name}, {data['rows']:,} requests ({facts['date']})",
        "",
        "```",
        " ".join(["python bench/ppid_requests.py", *sys.argv[1:]]),
        "```",
        "",
        f"Data: {data['rows']:,} requests received {FIRST_DAY} – {LAST_DAY} over "
        f"{sizes['bodies']} bodies (PPID Utama + {sizes['opds']} OPDs); {sizes['by_status']}. "
        f"{sizes['open']:,} open, {sizes['overdue']:,} of them overdue. "
        f"{REPORT_YEAR}: {sizes['year_received']:,} received, {sizes['year_decided']:,} decided. "
        f"Database {sizes['db_size']}. Planned in {data['plan_s']:.0f} s; written in "
        f"{data['seconds']:.0f} s ({data['rows_per_s']:,.0f} requests/s: drawing the rows "
        f"{data['build_s']:.0f} s, `bulk_create` {data['insert_s']:.0f} s). {sizes['analyze']}.",
        "",
        f"Register filter `?{REGISTER_FILTER}`: {sizes['utama_rows']:,} rows for `{UTAMA_USER}` "
        f"(PPID Utama, all OPDs), {sizes['opd_rows']:,} with `opd` = {PELAKSANA_OPD} and for "
        f"`{PELAKSANA_USER}` (PPID Pelaksana). Deep page `halaman={DEEP_PAGE}` = offset "
        f"{(DEEP_PAGE - 1) * 50:,}. Request page: request {sizes['detail_id']} "
        f"(8 timeline events, 2 attachments, an objection with a dispute).",
        "",
        f"Up to {args.requests} timed requests per page after {args.warmup} warm-up requests, "
        f"interleaved (a page whose warm-up shows it would need more than "
        f"{args.page_budget:.0f} s gets fewer, at least {MIN_TIMED}: column Timed); the report "
        f"up to {args.report_requests} after 2, interleaved with the trivial view; in-process "
        f"`django.test.Client`, DEBUG={'on' if args.debug else 'off'}. Raw SQL: the page's "
        "queries on the request tables run alone through `connection.cursor()` (execute + "
        "fetchall), median of up to "
        f"{args.raw_repeats} runs.",
        "",
        *page_table(endpoints, baseline),
        "",
        *slow_queries(vendor, endpoints),
        "",
        f"Annual report {REPORT_YEAR}, broken down (direct calls, median of 3): "
        f"the {sizes['year_decided']:,} decided requests grouped by (OPD, Pemda, receipt "
        f"date, notice date) in SQL: {breakdown['groups']:,} groups fetched in "
        f"{breakdown['fetch_ms']:.0f} ms; working days of those groups (`_days`, Python) "
        f"{breakdown['days_ms']:.0f} ms; whole `service_report()` "
        f"{breakdown['report_ms']:.0f} ms.",
        "",
        "Deadline sweep (`deadline_sweep()`), full size:",
        "",
        *sweep_table(sweeps),
        "",
        f"Query counts at {args.small:,} and at {data['rows']:,} requests (same pages, same "
        "script):",
        "",
        f"| Page | Queries at {args.small:,} | Median ms at {args.small:,} "
        f"| Queries at {data['rows']:,} | Equal |",
        "|---|---:|---:|---:|---|",
    ]
    for endpoint in endpoints:
        counts, median = small[endpoint.label]
        big = sorted(set(endpoint.queries))
        lines.append(
            f"| {endpoint.label} | {'/'.join(map(str, counts))} | {median:.1f} "
            f"| {'/'.join(map(str, big))} | {'yes' if counts == big else '**NO**'} |"
        )
    small_per = small_sweep.queries / small_sweep.examined if small_sweep.examined else 0
    big_per = sweeps[0].queries / sweeps[0].examined if sweeps[0].examined else 0
    lines += [
        f"| deadline sweep, queries per open request | {small_per:.1f} "
        f"| {small_sweep.seconds * 1000:.0f} (whole run, {small_sweep.examined:,} open) "
        f"| {big_per:.1f} | (grows with the open requests) |",
        "",
        "Machine: "
        + ", ".join(f"{key} {value}" for key, value in facts.items() if key != "date")
        + ".",
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


def sizes_now(vendor: str, analyzed: str, detail_id: int, utama_scope: Any) -> dict[str, Any]:
    from django.db.models import Count

    from terbuka.information_requests.models import InformationRequest
    from terbuka.information_requests.reports import filtered_register
    from terbuka.information_requests.selectors import OPEN_STATUSES, overdue_q
    from terbuka.organizations.models import Opd
    from terbuka.organizations.selectors import local_today

    today = local_today()
    params = dict(part.split("=") for part in REGISTER_FILTER.split("&"))
    opd_id = Opd.objects.get(code=PELAKSANA_OPD).pk
    statuses = InformationRequest.objects.values("status").annotate(n=Count("pk")).order_by("-n")
    year = InformationRequest.objects.filter(
        received_on__range=(dt.date(REPORT_YEAR, 1, 1), dt.date(REPORT_YEAR, 12, 31))
    )
    return {
        "bodies": InformationRequest.objects.values("body_code").distinct().count(),
        "opds": Opd.objects.count(),
        "by_status": ", ".join(f"{row['status']} {row['n']:,}" for row in statuses),
        "open": InformationRequest.objects.filter(status__in=OPEN_STATUSES).count(),
        "overdue": InformationRequest.objects.filter(overdue_q(today)).count(),
        "year_received": year.count(),
        "year_decided": year.filter(noticed_on__isnull=False).count(),
        "utama_rows": filtered_register(utama_scope, params, today).count(),
        "opd_rows": filtered_register(utama_scope, {**params, "opd": str(opd_id)}, today).count(),
        "db_size": database_size(vendor, SQLITE_PATH),
        "analyze": analyzed,
        "detail_id": detail_id,
    }


def report_breakdown(scope: Any) -> dict[str, float]:
    """Where the annual report's time goes, by direct calls."""
    from django.db.models import Count

    from terbuka.information_requests import reports
    from terbuka.information_requests.selectors import requests_visible
    from terbuka.organizations.selectors import local_today

    start, end = reports.report_period(reports.YEAR, REPORT_YEAR)
    today = local_today()

    def timed(call: Callable[[], object]) -> tuple[float, Any]:
        times, result = [], None
        for _ in range(3):
            began = time.perf_counter()
            result = call()
            times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times), result

    decided_qs = (
        requests_visible(scope)
        .filter(received_on__range=(start, end), noticed_on__isnull=False)
        .values_list("handling_opd_id", "pemda_id", "received_on", "noticed_on")
        .annotate(count=Count("pk"))
        .order_by()
    )
    fetch_ms, decided = timed(lambda: list(decided_qs.all()))
    days_ms, _days = timed(lambda: reports._days((p, r, n) for _o, p, r, n, _c in decided))
    report_ms, _report = timed(lambda: reports.service_report(scope, start, end, today=today))
    return {
        "fetch_ms": fetch_ms,
        "days_ms": days_ms,
        "report_ms": report_ms,
        "groups": len(decided),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--rows", type=int, default=1_000_000, help="requests to generate")
    parser.add_argument(
        "--small", type=int, default=10_000, help="size of the first (query count) measurement"
    )
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--report-requests", type=int, default=10)
    parser.add_argument(
        "--page-budget",
        type=float,
        default=45.0,
        help="seconds of timed requests per page at most (slow pages get fewer requests)",
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
    if not 1_000 <= args.small < args.rows:
        parser.error("--small must be at least 1000 and below --rows")

    if args.database == "sqlite":
        url = prepare_sqlite(SQLITE_PATH)
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        url = prepare_postgres(args.postgres_url, args.postgres_maintenance_db)
    print(f"database: {url}")
    setup_django(url, args.debug, "ppid_requests")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from terbuka.core import clock
    from terbuka.information_requests.models import InformationRequest, PpidSettings
    from terbuka.information_requests.selectors import OPEN_STATUSES
    from terbuka.organizations.access import build_scope
    from terbuka.organizations.models import Opd, Pemda, User
    from terbuka.organizations.selectors import local_today

    vendor = connection.vendor
    load_fixtures()
    if not args.debug:
        call_command("collectstatic", interactive=False, verbosity=0)
    pemda = Pemda.objects.get()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=(UTAMA_USER, PELAKSANA_USER, COUNTER_USER))
    }
    rng = random.Random(args.seed)

    # Plan every request, in receipt order.
    began = time.perf_counter()
    cal = Calendar(pemda)
    plan = build_plan(args.rows, cal, rng)
    check_plan(plan, cal, random.Random(args.seed + 1))
    plan_s = time.perf_counter() - began
    print(
        f"planned {len(plan):,} requests in {plan_s:.1f} s ({len(cal.receipts):,} distinct "
        f"receipt dates, {len(plan.last_sequence)} body×year counters); receipt cache checked"
    )
    now = clock.now()
    gen = Generator(
        plan=plan,
        cal=cal,
        rng=rng,
        now=now,
        today=now.astimezone(cal.tz).date(),
        pattern=PpidSettings._meta.get_field("number_format").get_default(),
        pemda_id=pemda.pk,
        counter_user_id=users[COUNTER_USER].pk,
    )

    utama = Client(HTTP_HOST="localhost")
    utama.force_login(users[UTAMA_USER])
    pelaksana = Client(HTTP_HOST="localhost")
    pelaksana.force_login(users[PELAKSANA_USER])
    utama_scope = build_scope(users[UTAMA_USER], local_today())
    opd_id = Opd.objects.get(code=PELAKSANA_OPD).pk
    register = reverse("ppid:register")
    report_url = f"{reverse('ppid_reports:report')}?jenis=tahunan&tahun={REPORT_YEAR}"

    def endpoints_for(detail_id: int) -> tuple[list[Endpoint], list[Endpoint]]:
        with_opd = f"{REGISTER_FILTER}&opd={opd_id}"
        fast = [
            Endpoint("trivial view (HttpResponse, signed in)", reverse("bench_trivial"), utama),
            Endpoint(f"register, `{UTAMA_USER}`, page 1", f"{register}?{REGISTER_FILTER}", utama),
            Endpoint(
                f"register, `{UTAMA_USER}`, page {DEEP_PAGE}",
                f"{register}?{REGISTER_FILTER}&halaman={DEEP_PAGE}",
                utama,
            ),
            Endpoint(
                f"register, `{UTAMA_USER}`, `opd`={PELAKSANA_OPD}, page 1",
                f"{register}?{with_opd}",
                utama,
            ),
            Endpoint(
                f"register, `{UTAMA_USER}`, `opd`={PELAKSANA_OPD}, page {DEEP_PAGE}",
                f"{register}?{with_opd}&halaman={DEEP_PAGE}",
                utama,
            ),
            Endpoint(
                f"register, `{PELAKSANA_USER}`, page 1", f"{register}?{REGISTER_FILTER}", pelaksana
            ),
            Endpoint(
                f"register, `{PELAKSANA_USER}`, page {DEEP_PAGE}",
                f"{register}?{REGISTER_FILTER}&halaman={DEEP_PAGE}",
                pelaksana,
            ),
            Endpoint(
                "request page (`ppid:detail`, with timeline)",
                reverse("ppid:detail", args=[detail_id]),
                utama,
            ),
        ]
        slow = [
            Endpoint("trivial view (report group)", reverse("bench_trivial"), utama),
            Endpoint(f"annual report {REPORT_YEAR} (`{UTAMA_USER}`)", report_url, utama),
        ]
        return fast, slow

    # Stage 1: a spread-out sample of the plan.
    stride = args.rows // args.small
    first = range(0, stride * args.small, stride)
    print(f"writing {len(first):,} requests (every {stride}th of the plan) ...", flush=True)
    timing = {"build": 0.0, "insert": 0.0, "rows": 0.0}
    written = write_rows(gen, first, timing)
    detail = (
        InformationRequest.objects.filter(
            handling_opd_id=opd_id, status="selesai", extended_due_on__isnull=False
        )
        .order_by("id")
        .first()
    )
    if detail is None:
        sys.exit("no closed, extended DPMPTSP request in the first stage")
    add_timeline(detail, users, cal)
    print(analyze(vendor, args.sqlite_analyze))
    fast, slow = endpoints_for(detail.pk)
    print(f"measuring at {written:,} requests ...", flush=True)
    measure(fast, 20, 3, 3, args.page_budget)
    measure(slow, 3, 1, 2, args.page_budget)
    small = {e.label: (sorted(set(e.queries)), statistics.median(e.latencies)) for e in fast + slow}
    small_open = InformationRequest.objects.filter(status__in=OPEN_STATUSES).count()
    small_sweep = sweep_in_rollback(small_open)
    for label, (counts, median) in small.items():
        print(f"  {label}: {counts} queries, {median:.1f} ms")
    print(f"  sweep: {small_sweep}")

    # Stage 2: everything else, in receipt order.
    rest = (index for index in range(len(plan)) if index % stride or index >= stride * args.small)
    print(f"writing the other {len(plan) - written:,} requests ...", flush=True)
    written += write_rows(gen, rest, timing)
    seconds = timing["build"] + timing["insert"]
    counters = write_counters(plan, pemda.pk)
    data = {
        "rows": written,
        "seconds": seconds,
        "build_s": timing["build"],
        "insert_s": timing["insert"],
        "rows_per_s": written / seconds,
        "plan_s": plan_s,
    }
    print(
        f"generated {written:,} requests in {seconds:.1f} s: {written / seconds:,.0f} rows/s; "
        f"{counters} registration counters; {dict(gen.totals)}"
    )
    analyzed = analyze(vendor, args.sqlite_analyze)
    print(analyzed)
    sizes = sizes_now(vendor, analyzed, detail.pk, utama_scope)
    print(sizes)

    for endpoint in fast + slow:
        endpoint.reset()
    print(
        f"measuring: {args.warmup} warm-up + {args.requests} requests per page, the report "
        f"{args.report_requests} ...",
        flush=True,
    )
    measure(fast, args.requests, args.warmup, max(args.requests // 20, 3), args.page_budget)
    measure(slow, args.report_requests, 2, 2, args.page_budget)
    for endpoint in fast + slow:
        queries = main_queries(endpoint)
        endpoint.raw_ms = raw_sql_ms(queries, args.raw_repeats) if queries else None
    breakdown = report_breakdown(utama_scope)
    print(f"report breakdown: {breakdown}")

    examined = InformationRequest.objects.filter(status__in=OPEN_STATUSES).count()
    print(f"deadline sweep over {examined:,} open requests ...", flush=True)
    sweeps = [run_sweep("first run", examined)]
    print(f"  {sweeps[0]}", flush=True)
    sweeps.append(run_sweep("second run (nothing new to queue)", examined))
    print(f"  {sweeps[1]}", flush=True)
    if sweeps[1].reminders or sweeps[1].escalations or sweeps[1].outbox_added:
        print("WARNING: the second sweep queued messages again")
    sweep_query = sweeps[0].main_query

    plans: list[tuple[str, str, str]] = []
    if not args.no_plans:
        for endpoint in fast[1:] + slow[1:]:
            for sql_text, params in main_queries(endpoint):
                if '"information_requests_informationrequest"' not in sql_text and (
                    '"core_auditevent"' not in sql_text
                ):
                    continue
                shown = readable_sql(vendor, sql_text, params, PLAN_TABLES)
                plans.append(
                    (
                        f"{endpoint.label}: {query_kind(sql_text)} query",
                        shown,
                        explain(vendor, sql_text, params),
                    )
                )
        if sweep_query is not None:
            sql_text, params = sweep_query
            plans.append(
                (
                    "deadline sweep: open requests",
                    readable_sql(vendor, sql_text, params, PLAN_TABLES),
                    explain(vendor, sql_text, params),
                )
            )
    if sweep_query is not None:
        print(f"sweep main query raw: {raw_sql_ms([sweep_query], 3):.1f} ms")
    for endpoint in fast + slow:
        print(f"\n-- queries of {endpoint.label} (last request):")
        for sql_text, _params, ms in endpoint.captured:
            print(f"   {ms:8.2f} ms  {sql_text[:150]}")

    text = report(
        args,
        vendor,
        machine_facts(vendor),
        data,
        sizes,
        fast + slow[1:],
        small,
        sweeps,
        small_sweep,
        breakdown,
        plans,
    )
    print("\n" + text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
        print(f"\nwritten to {args.markdown}")
    mismatched = [e.label for e in fast + slow if small[e.label][0] != sorted(set(e.queries))]
    if mismatched:
        sys.exit(f"query counts changed with the table size: {mismatched}")
    print("query counts per page are the same at both sizes")


if __name__ == "__main__":
    main()
