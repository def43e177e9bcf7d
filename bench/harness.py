"""What the benchmark scripts share: a database of their own, Django set up around it, and
the tools that time, count and explain queries.

Each script runs in its own process with ``bench/`` first on ``sys.path``, so it imports
this module as ``harness``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import sqlite3
import sys
import time
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "var" / "bench"

# OPDs added to the demo's seven, so that a Pemda has the bodies of a real kabupaten (40).
EXTRA_OPDS = (
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("dishub", "Dinas Perhubungan", "Dishub"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("disnaker", "Dinas Tenaga Kerja", "Disnaker"),
    ("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("dinkop", "Dinas Koperasi dan Usaha Mikro", "Dinkop UM"),
    ("disperindag", "Dinas Perindustrian dan Perdagangan", "Disperindag"),
    ("dispertan", "Dinas Pertanian dan Pangan", "Dispertan"),
    ("diskan", "Dinas Kelautan dan Perikanan", "Diskan"),
    ("dispar", "Dinas Pariwisata", "Dispar"),
    ("dispora", "Dinas Pemuda dan Olahraga", "Dispora"),
    ("disperkim", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim"),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan SDM", "BKPSDM"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("bapenda", "Badan Pendapatan Daerah", "Bapenda"),
    ("inspektorat", "Inspektorat Daerah", "Inspektorat"),
    ("setwan", "Sekretariat DPRD", "Setwan"),
    ("kesbangpol", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol"),
    ("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A"),
    ("dppkb", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB"),
    ("arpusda", "Dinas Kearsipan dan Perpustakaan", "Arpusda"),
    ("rsud", "RSUD Nusa Harapan", "RSUD"),
    ("kec-harapan-jaya", "Kecamatan Harapan Jaya", "Kec. Harapan Jaya"),
    ("kec-sukamaju", "Kecamatan Sukamaju", "Kec. Sukamaju"),
    ("kec-mekarsari", "Kecamatan Mekarsari", "Kec. Mekarsari"),
    ("kec-sumberrejo", "Kecamatan Sumberrejo", "Kec. Sumberrejo"),
    ("kec-tanjungsari", "Kecamatan Tanjungsari", "Kec. Tanjungsari"),
    ("kec-karanganyar", "Kecamatan Karanganyar", "Kec. Karanganyar"),
    ("kec-cibodas", "Kecamatan Cibodas", "Kec. Cibodas"),
    ("kec-margasari", "Kecamatan Margasari", "Kec. Margasari"),
)


def prepare_sqlite(path: Path) -> str:
    """A fresh SQLite file at ``path`` (its journal files deleted too), as a database URL."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def prepare_postgres(url: str, maintenance_db: str) -> str:
    """Drop and create the database of ``url``, connected to ``maintenance_db``. Refuses a
    name without "bench" in it, so that no other database is ever dropped."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name == maintenance_db or "bench" not in name:
        sys.exit(
            f"refusing to drop database {name!r}: the benchmark database's name must contain "
            f"'bench' and differ from the maintenance database {maintenance_db!r}"
        )
    maintenance = urlunsplit(parts._replace(path=f"/{maintenance_db}"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


def trivial(request: Any) -> Any:
    """A view that does nothing: the cost of the stack itself."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def setup_django(database_url: str, debug: bool, name: str) -> None:
    """Django on ``database_url`` with the app's URLs plus ``bench/trivial/`` (``name``
    names the URL module), static files collected under ``var/bench/static``."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "terbuka.settings.default"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_DEBUG"] = "1" if debug else "0"
    os.environ["DJANGO_STATIC_ROOT"] = str(BENCH_DIR / "static")
    # Leave var/secret_key alone: the benchmark needs no stable key.
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("TERBUKA_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.urls import include, path

    urls = types.ModuleType(f"bench_{name}_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/trivial/", trivial, name="bench_trivial"),
        path("", include("terbuka.urls")),
    ]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    # demo_load() sets ~50 passwords; the production hasher would spend 15 s on them. No
    # measurement checks a password (clients log in with force_login or not at all).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(math.ceil(pct / 100 * len(ordered)), 1)
    return ordered[rank - 1]


class QueryLog:
    """Counts and times every query (without DEBUG's query log); keeps them if asked."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.count = 0
        self.ms = 0.0
        self.entries: list[tuple[str, Any, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - began) * 1000
            self.count += 1
            self.ms += elapsed
            if self.keep:
                self.entries.append((sql, params, elapsed))


def analyze(vendor: str, sqlite_analyze: bool) -> str:
    """Refresh planner statistics as the database would on its own (PostgreSQL autovacuum);
    SQLite has none unless someone runs ANALYZE, which the app never does."""
    from django.db import connection

    started = time.perf_counter()
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        return f"VACUUM (ANALYZE) {time.perf_counter() - started:.1f} s"
    if sqlite_analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return f"ANALYZE {time.perf_counter() - started:.1f} s"
    return "no ANALYZE (sqlite_stat1 absent, as in a deployment: the app never runs it)"


def explain(vendor: str, sql_text: str, params: Any) -> str:
    """The plan: ``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL, the indented ``EXPLAIN QUERY
    PLAN`` tree on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql_text, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql_text, params)
        rows = cursor.fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node_id, parent, _notused, detail in rows:
        depth[node_id] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node_id] + detail)
    return "\n".join(lines)


def readable_sql(vendor: str, sql_text: str, params: Any, tables: Sequence[str]) -> str:
    """The query with its parameters inlined, and a long column list read from one of
    ``tables`` shortened (the plans are what matter)."""
    from django.db import connection

    if vendor == "postgresql":
        text: str = connection.ops.compose_sql(sql_text, params)  # type: ignore[attr-defined]
    else:
        text = connection.ops.last_executed_query(None, sql_text, params)
    for table in tables:
        head, sep, tail = text.partition(f' FROM "{table}"')
        if sep and head.startswith("SELECT ") and "COUNT(" not in head and head.count('", "') > 8:
            columns = head.count('", "') + 1
            return f'SELECT "{table}"."id", … ({columns} columns){sep}{tail}'
    return text


def machine_facts(vendor: str) -> dict[str, str]:
    """Date, CPU, memory and versions, and PostgreSQL's settings that matter for speed."""
    import django
    from django.db import connection

    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    facts = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    if vendor == "postgresql":
        import psycopg

        settings = []
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            for name in (
                "shared_buffers",
                "work_mem",
                "max_parallel_workers_per_gather",
                "jit",
                "fsync",
            ):
                cursor.execute(f"SHOW {name}")
                settings.append(f"{name} {cursor.fetchone()[0]}")
        facts["postgresql"] = f"{version} ({', '.join(settings)})"
        facts["psycopg"] = psycopg.__version__
    return facts


def database_size(vendor: str, sqlite_path: Path) -> str:
    from django.db import connection

    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return str(cursor.fetchone()[0])
    return f"{sqlite_path.stat().st_size / 2**20:,.0f} MB"


def add_opds(pemda: Any) -> int:
    """Add :data:`EXTRA_OPDS` to ``pemda``; returns how many."""
    from terbuka.organizations.models import Opd

    Opd.objects.bulk_create(
        [
            Opd(pemda=pemda, code=code, name=name, short_name=short)
            for code, name, short in EXTRA_OPDS
        ]
    )
    return len(EXTRA_OPDS)
