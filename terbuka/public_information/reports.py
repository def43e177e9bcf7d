"""Reads for the DIP's periodic reports (seed 004, the Jepara DIP cycle; RULES.md "Periodic
reporting").

* :func:`availability_report` — the monthly availability report (laporan bulanan
  ketersediaan informasi, seed 004 steps 7, 9 and 10): per body, its DIP by category, entries
  established in the month, public entries with and without a document online, downloads,
  berkala information refreshed in the month and overdue, documents whose text could not be
  read.
* :func:`monitoring_report` — the six-monthly monitoring and evaluation (monev semesteran,
  seed 004 steps 12–14): per OPD, how complete its DIP is — entries established, public
  entries with documents, berkala information up to date, exemptions due for a new
  consequence test, submissions returned and verification rounds, downloads — with a simple
  score (:func:`completeness_score`).
* :func:`report_opds` — who sees which lines: the PPID Utama (and the secretariat, as far as
  it sees) every OPD, an OPD's team its own.

Periods are calendar months and semesters of the Pemda's wall clock: a moment (an entry's
``published_at``, a submission's ``submitted_at``, an audit event) belongs to the month in
which it fell in the Pemda's time zone. Counts are as the data stands; an entry is "in the
DIP" at the end of a period when it is established and was published before the period
ended (an entry since withdrawn can no longer be told apart). Downloads are counted per
day of the Pemda's calendar (:class:`DownloadDay`): a report shows the period's downloads and
the running total since each entry was first published.

Each report costs a fixed number of queries however many OPDs and entries there are: the
OPDs, one grouped aggregate over the entries, and one each over documents, downloads,
submissions and audit events.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from terbuka.core.models import AuditEvent
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Opd, Pemda
from terbuka.organizations.selectors import opds_visible, pemda_zone
from terbuka.public_information import actions
from terbuka.public_information.exemptions import RETEST_WINDOW_DAYS
from terbuka.public_information.models import (
    Category,
    DipEntry,
    Document,
    DownloadDay,
    EntryStatus,
    Submission,
    TextStatus,
)
from terbuka.public_information.selectors import can_manage_entries, is_secretariat

ROMAN = ("I", "II")
#: Entries on their way into the DIP (not yet established, not withdrawn).
IN_PROCESS = (
    EntryStatus.DRAFT,
    EntryStatus.SUBMITTED,
    EntryStatus.RETURNED,
    EntryStatus.VERIFIED,
)


# Periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month or semester on a Pemda's wall clock."""

    kind: str  # "bulan" or "semester"
    year: int
    number: int  # month 1–12 or semester 1–2
    start: dt.date
    end: dt.date  # the last day
    zone: dt.tzinfo

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=self.zone)

    @property
    def ends_at(self) -> dt.datetime:
        """The first moment after the period."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)

    @property
    def label(self) -> str:
        if self.kind == "semester":
            return _("Semester %(no)s Tahun %(year)s") % {
                "no": ROMAN[self.number - 1],
                "year": self.year,
            }
        return f"{MONTHS[self.number]} {self.year}"

    @property
    def slug(self) -> str:
        if self.kind == "semester":
            return f"{self.year}-s{self.number}"
        return f"{self.year}-{self.number:02d}"

    def as_of(self, today: dt.date) -> dt.date:
        """The day the period's state is read on: its last day, or today while it runs."""
        return min(today, self.end)


def month_period(year: int, month: int, pemda: Pemda | None) -> Period:
    if not 1 <= month <= 12:
        raise ValueError(f"A month is numbered 1 to 12, got {month}.")
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period("bulan", year, month, start, following - dt.timedelta(days=1), pemda_zone(pemda))


def semester_period(year: int, number: int, pemda: Pemda | None) -> Period:
    if number not in (1, 2):
        raise ValueError(f"A semester is numbered 1 or 2, got {number}.")
    start = dt.date(year, 1 if number == 1 else 7, 1)
    end = dt.date(year, 6, 30) if number == 1 else dt.date(year, 12, 31)
    return Period("semester", year, number, start, end, pemda_zone(pemda))


# Who sees which lines ---------------------------------------------------------------------


def report_opds(scope: Scope, pemda: Pemda) -> list[Opd]:
    """The OPDs whose lines this person sees: every OPD the PPID's secretariat sees (all of
    the Pemda for the PPID Utama), else the OPDs whose DIP the person manages. Active OPDs,
    and inactive ones that still hold entries. Empty for people with no part in the DIP."""
    if is_secretariat(scope):
        opds = opds_visible(scope).filter(pemda=pemda)
    else:
        managed = [opd_id for opd_id in scope.opd_ids if can_manage_entries(scope, opd_id)]
        opds = Opd.objects.filter(pemda=pemda, pk__in=managed)
    holding = DipEntry.objects.filter(pemda=pemda).values("opd_id")
    return list(opds.filter(Q(is_active=True) | Q(pk__in=holding)).order_by("name", "pk"))


# Shared conditions ------------------------------------------------------------------------


def _in_dip(period: Period, prefix: str = "") -> Q:
    """Established, and published before the period ended (or on a date not recorded)."""
    return Q(**{f"{prefix}status": EntryStatus.ESTABLISHED}) & (
        Q(**{f"{prefix}published_at__isnull": True})
        | Q(**{f"{prefix}published_at__lt": period.ends_at})
    )


def _public(period: Period, prefix: str = "") -> Q:
    return _in_dip(period, prefix) & ~Q(**{f"{prefix}category": Category.DIKECUALIKAN})


def _published_in(period: Period) -> Q:
    return Q(published_at__gte=period.starts_at, published_at__lt=period.ends_at)


def _has_document() -> Q:
    return Q(Exists(Document.objects.filter(entry=OuterRef("pk"))))


def _entries(opds: Sequence[Opd]) -> QuerySet[DipEntry]:
    return DipEntry.objects.filter(opd_id__in=[opd.pk for opd in opds]).order_by()


def _per_opd(rows: Iterable[Mapping[str, Any]], key: str = "opd_id") -> dict[int, dict[str, int]]:
    return {
        row[key]: {name: value or 0 for name, value in row.items() if name != key} for row in rows
    }


def _downloads_in(period: Period, opds: Sequence[Opd]) -> dict[int, dict[str, int]]:
    """Per OPD, the downloads of its entries' documents on the period's days."""
    return _per_opd(
        DownloadDay.objects.filter(
            document__entry__opd_id__in=[opd.pk for opd in opds],
            day__range=(period.start, period.end),
        )
        .values("document__entry__opd_id")
        .annotate(downloads_in_period=Sum("count"))
        .order_by(),
        key="document__entry__opd_id",
    )


# The monthly availability report ----------------------------------------------------------


@dataclass(frozen=True)
class AvailabilityRow:
    """One body's line of the monthly availability report."""

    opd_id: int | None  # None for the totals
    name: str
    berkala: int  # in the DIP at the end of the month, by category
    serta_merta: int
    setiap_saat: int
    dikecualikan: int
    in_process: int  # not yet established (draft to verified), as the data stands
    established: int  # published in the month
    online: int  # public entries with a document (file or link)
    offline: int  # public entries without one: available on request
    documents: int  # documents of the public entries
    downloads_in_period: int  # in the month
    downloads: int  # since first published
    refreshed: int  # berkala entries refreshed in the month
    overdue: int  # berkala entries past their refresh date at the end of the month
    text_failed: int  # entries with a current document whose text could not be read
    short_name: str = ""

    @property
    def in_dip(self) -> int:
        return self.berkala + self.serta_merta + self.setiap_saat + self.dikecualikan


@dataclass(frozen=True)
class AvailabilityReport:
    period: Period
    as_of: dt.date
    rows: tuple[AvailabilityRow, ...]
    total: AvailabilityRow


def availability_report(
    opds: Sequence[Opd], period: Period, *, today: dt.date
) -> AvailabilityReport:
    """The monthly availability report of ``opds`` for ``period`` (a month). Three queries."""
    as_of = period.as_of(today)
    in_dip, public = _in_dip(period), _public(period)
    berkala = in_dip & Q(category=Category.BERKALA)
    failed = Exists(
        Document.objects.filter(entry=OuterRef("pk"), current__text_status=TextStatus.FAILED)
    )
    counts = _per_opd(
        _entries(opds)
        .values("opd_id")
        .annotate(
            **{c: Count("pk", filter=in_dip & Q(category=c)) for c in Category.values},
            in_process=Count("pk", filter=Q(status__in=IN_PROCESS)),
            established=Count("pk", filter=_published_in(period)),
            online=Count("pk", filter=public & _has_document()),
            offline=Count("pk", filter=public & ~_has_document()),
            downloads=Sum("download_count"),
            refreshed=Count(
                "pk", filter=berkala & Q(refreshed_on__range=(period.start, period.end))
            ),
            overdue=Count("pk", filter=berkala & Q(refresh_due_on__lt=as_of)),
            text_failed=Count("pk", filter=~Q(status=EntryStatus.WITHDRAWN) & Q(failed)),
        )
    )
    documents = _per_opd(
        Document.objects.filter(_public(period, "entry__"), entry__opd__in=opds)
        .values("entry__opd_id")
        .annotate(documents=Count("pk"))
        .order_by(),
        key="entry__opd_id",
    )
    downloads = _downloads_in(period, opds)
    rows = tuple(
        AvailabilityRow(
            opd_id=opd.pk,
            name=opd.name,
            short_name=opd.short_name,
            **_values(
                AvailabilityRow,
                counts.get(opd.pk, {}) | documents.get(opd.pk, {}) | downloads.get(opd.pk, {}),
            ),
        )
        for opd in opds
    )
    return AvailabilityReport(period, as_of, rows, _total(AvailabilityRow, rows))


_NOT_COUNTED = ("opd_id", "name", "short_name", "score")


def _values(row_type: type, counts: Mapping[str, int]) -> dict[str, int]:
    """The counted fields of ``row_type`` from ``counts`` (0 when absent)."""
    names = [f.name for f in fields(row_type) if f.name not in _NOT_COUNTED]
    return {name: int(counts.get(name, 0) or 0) for name in names}


def _total(row_type: type, rows: Sequence[Any]) -> Any:
    sums = {name: sum(getattr(row, name) for row in rows) for name in _values(row_type, {})}
    extra = {}
    if score_of := getattr(row_type, "score_of", None):
        extra["score"] = score_of(sums)
    return row_type(opd_id=None, name=_("Jumlah"), **sums, **extra)


# The six-monthly monitoring report --------------------------------------------------------


def completeness_score(
    *,
    in_dip: int,
    public: int,
    with_documents: int,
    berkala: int,
    overdue: int,
    exempt: int,
    exempt_due: int,
) -> int:
    """An OPD's DIP completeness, 0–100: the mean of the shares of its public entries with a
    document online, of its berkala entries up to date and of its exempt entries not due for a
    new consequence test; a share that does not apply (no such entries) is left out. An OPD
    with nothing established scores 0."""
    if in_dip == 0:
        return 0
    shares = [
        part / whole
        for part, whole in (
            (with_documents, public),
            (berkala - overdue, berkala),
            (exempt - exempt_due, exempt),
        )
        if whole
    ]
    return round(100 * statistics.mean(shares)) if shares else 100


@dataclass(frozen=True)
class MonitoringRow:
    """One OPD's line of the semester's monitoring and evaluation."""

    opd_id: int | None
    name: str
    in_dip: int  # established, at the end of the semester
    established: int  # published in the semester
    public: int
    with_documents: int  # public entries with a document online
    berkala: int
    overdue: int  # berkala entries past their refresh date
    exempt: int
    exempt_due: int  # exempt entries whose exemption ends within the re-test window or ended
    retest_due: int  # consequence tests behind them, each once
    submissions: int  # submitted to the PPID's secretariat in the semester
    returns: int  # submissions returned to be completed, in the semester
    rounds: int  # verification rounds of those submissions
    downloads_in_period: int  # in the semester
    downloads: int  # since first published
    score: int
    short_name: str = ""

    @property
    def berkala_current(self) -> int:
        return self.berkala - self.overdue

    @staticmethod
    def score_of(counts: Mapping[str, int]) -> int:
        return completeness_score(
            in_dip=counts["in_dip"],
            public=counts["public"],
            with_documents=counts["with_documents"],
            berkala=counts["berkala"],
            overdue=counts["overdue"],
            exempt=counts["exempt"],
            exempt_due=counts["exempt_due"],
        )


@dataclass(frozen=True)
class MonitoringReport:
    period: Period
    as_of: dt.date
    retest_by: dt.date  # exemptions ending on or before this day are due for a new test
    rows: tuple[MonitoringRow, ...]
    total: MonitoringRow


def monitoring_report(opds: Sequence[Opd], period: Period, *, today: dt.date) -> MonitoringReport:
    """The monitoring and evaluation of ``opds`` over ``period`` (a semester). Four
    queries."""
    as_of = period.as_of(today)
    retest_by = as_of + dt.timedelta(days=RETEST_WINDOW_DAYS)
    in_dip, public = _in_dip(period), _public(period)
    berkala = in_dip & Q(category=Category.BERKALA)
    exempt = in_dip & Q(category=Category.DIKECUALIKAN)
    due = exempt & Q(exemption__exempt_until__lte=retest_by)
    counts = _per_opd(
        _entries(opds)
        .values("opd_id")
        .annotate(
            in_dip=Count("pk", filter=in_dip),
            established=Count("pk", filter=_published_in(period)),
            public=Count("pk", filter=public),
            with_documents=Count("pk", filter=public & _has_document()),
            berkala=Count("pk", filter=berkala),
            overdue=Count("pk", filter=berkala & Q(refresh_due_on__lt=as_of)),
            exempt=Count("pk", filter=exempt),
            exempt_due=Count("pk", filter=due),
            retest_due=Count("exemption", filter=due, distinct=True),
            downloads=Sum("download_count"),
        )
    )
    ids = [opd.pk for opd in opds]
    submissions = _per_opd(
        Submission.objects.filter(
            opd_id__in=ids,
            submitted_at__gte=period.starts_at,
            submitted_at__lt=period.ends_at,
        )
        .values("opd_id")
        .annotate(submissions=Count("pk"), rounds=Sum("rounds"))
        .order_by()
    )
    returns = _per_opd(
        AuditEvent.objects.filter(
            action=actions.RETURNED,
            opd_id__in=ids,
            occurred_at__gte=period.starts_at,
            occurred_at__lt=period.ends_at,
        )
        .values("opd_id")
        .annotate(returns=Count("pk"))
        .order_by()
    )
    downloads = _downloads_in(period, opds)
    rows = []
    for opd in opds:
        values = _values(
            MonitoringRow,
            counts.get(opd.pk, {})
            | submissions.get(opd.pk, {})
            | returns.get(opd.pk, {})
            | downloads.get(opd.pk, {}),
        )
        rows.append(
            MonitoringRow(
                opd_id=opd.pk,
                name=opd.name,
                short_name=opd.short_name,
                score=MonitoringRow.score_of(values),
                **values,
            )
        )
    return MonitoringReport(period, as_of, retest_by, tuple(rows), _total(MonitoringRow, rows))
