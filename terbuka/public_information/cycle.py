"""The DIP cycle of seed 004 (SOP 002/DISKOMINFO/X/2018, "Pengolahan Informasi Publik"): an
OPD's team submits entries to the PPID's secretariat, the secretariat receives and verifies
them — returning what is incomplete as often as needed — and reports to the PPID, and the
PPID establishes the list by a dated decision (penetapan DIP). Established berkala
information is refreshed at least every six months (UU 14/2008 art. 9(4)).

**Law and practice.** What the law fixes lives here: an entry's status moves only through
:data:`ENTRY_TRANSITIONS` and :func:`entry_transition`; the submission carries its receipt
number and verification rounds; the :class:`~.models.Decree` lists what the PPID
established. The agency's own steps are a case of the Pemda's DIP SOP (setting
``DIP_SOP_CODE``, ``jepara-diskominfo-002`` by default) attached to the submission. Without
that SOP the cycle runs the same, without a case.

**Which action completes which SOP step** (steps 1–14 of the sheet):

======================== =============================================== ================
action                   steps completed, in order                       lane
======================== =============================================== ================
submission_create,       1 sediakan_informasi, 2 serahkan_informasi,     tim_pendukung
submission_resubmit      3 klasifikasikan, 4 dokumentasikan
submission_acknowledge   5 terima_informasi                              tim_sekretariat
submission_verify        (5 again after a resubmission), 6 verifikasi    tim_sekretariat
                         with the branch "lengkap dan sesuai" or
                         "belum lengkap / belum sesuai" (back to step 1)
submission_report        7 laporkan_verifikasi                           tim_sekretariat
decree_establish         8 tetapkan_klasifikasi,                         ppid,
                         9 sajikan_informasi                             tim_sekretariat
======================== =============================================== ================

Step 9, "present open information on the server database and website", is what
establishing does in this system: the entries become public (``published_at``, the public
pages, the search index) in the same transaction as the decree. So the establishing action
completes it too, with the list of what went online as its output. Steps 10–14 (the
management report, receiving it and reporting to the Atasan PPID, evaluation, monitoring,
setting newly open information) are work for people; they wait in their inboxes.

An action completes a step only while the case stands at it; a step someone already
completed from the inbox is skipped, and a case that went elsewhere is left alone. The
steps' outputs are attached as files the SOP asks for: the submitted list (CSV) for steps
1–4, the receipt and control card (PDF) for step 7, the decree (PDF) for step 8, the list
of what went online (CSV) for step 9.

**How lanes resolve.** The engine seats each lane in the case's OPD
(:func:`terbuka.procedures.selectors.lane_position`); Pemda-wide roles (PPID Utama) resolve
anywhere in the Pemda. A case belongs to the submitting OPD, so *tim_pendukung*
(``ppid_pelaksana``) is that OPD's PPID Pelaksana — step 1 lands in its team's inbox when
entries are returned — and *ppid* is the Pemda's PPID Utama. *tim_sekretariat*
(``petugas_ppid``) is not a Pemda-wide role: in an OPD without a petugas PPID the engine finds
no position and the step would wait in nobody's inbox. Such a step is handed
(:func:`~terbuka.procedures.services.step_reassign`, with the reason on record) to a named
person: the petugas PPID who already worked on this case, else the Pemda's first current
petugas PPID; a team step in an OPD without a PPID Pelaksana goes to the submitter.

**Who completes a step.** The engine's service does not check who completes a step (its
task page does, with :func:`~terbuka.procedures.selectors.can_act`). Each action checks the
DIP permission first, then completes the steps as the person acting, who must belong to the
lane (OPD team, secretariat, PPID Utama). ``completed_by`` is always that person; when the
step was seated elsewhere — an admin OPD completing the step of the PPID Pelaksana's
position, the PPID Utama presenting for the secretariat — the run records ``on_behalf_of``
that position (or lane). Completing it "as the holder" would put a name on record of someone
who did not act.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import DomainError, InvalidTransition, NotPermitted
from terbuka.core.models import AuditEvent, OutboxMessage
from terbuka.core.outbox import outbox_enqueue
from terbuka.organizations.access import Scope, build_scope
from terbuka.organizations.models import Opd, Pemda, Role, User
from terbuka.organizations.selectors import active_holdings, local_today, pemda_zone
from terbuka.procedures import services as procedures
from terbuka.procedures.definition import Lane, SopDefinition, Symbol
from terbuka.procedures.models import Case, CaseStatus, Sop, StepRun, StepRunStatus
from terbuka.procedures.selectors import can_act, definition_of
from terbuka.public_information import actions, index, letters
from terbuka.public_information.exemptions import may_establish
from terbuka.public_information.models import (
    Category,
    ConsequenceTest,
    Decree,
    DipEntry,
    EntryStatus,
    Format,
    Submission,
)
from terbuka.public_information.selectors import (
    ENTRY_ROLES,
    can_establish,
    can_manage_entries,
    is_secretariat,
)

#: The SOP a submission runs as when the setting ``DIP_SOP_CODE`` is not given.
DEFAULT_SOP_CODE = "jepara-diskominfo-002"
#: The receipt number, gapless per Pemda and year.
RECEIPT_FORMAT = "{nomor:03d}/TT-DIP/{tahun}"
RECEIPT_KIND = "TT-DIP"
#: Established berkala entries due for a refresh within this many days (or past) are
#: announced to their OPD's team.
REFRESH_ALERT_DAYS = 14
#: A step's note is cut to this length on the control card (the case keeps it whole).
CARD_NOTE_CHARS = 240

# The steps of the SOP each action completes (seed 004; see the module docstring).
STEPS_SUBMIT = ("sediakan_informasi", "serahkan_informasi", "klasifikasikan", "dokumentasikan")
STEP_RECEIVE = "terima_informasi"
STEP_VERIFY = "verifikasi"
STEP_REPORT = "laporkan_verifikasi"
STEP_ESTABLISH = "tetapkan_klasifikasi"
STEP_PRESENT = "sajikan_informasi"
BRANCH_COMPLETE = "lengkap dan sesuai"
BRANCH_INCOMPLETE = "belum lengkap / belum sesuai"

#: Lane roles that belong to the submitting OPD's own team.
TEAM_ROLES = frozenset({Role.PPID_PELAKSANA, Role.ADMIN_OPD})

ENTRY_TRANSITIONS: dict[str, frozenset[str]] = {
    EntryStatus.DRAFT: frozenset({EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN}),
    EntryStatus.SUBMITTED: frozenset(
        {EntryStatus.RETURNED, EntryStatus.VERIFIED, EntryStatus.WITHDRAWN}
    ),
    EntryStatus.RETURNED: frozenset({EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN}),
    EntryStatus.VERIFIED: frozenset({EntryStatus.ESTABLISHED, EntryStatus.WITHDRAWN}),
    EntryStatus.ESTABLISHED: frozenset({EntryStatus.WITHDRAWN}),
    EntryStatus.WITHDRAWN: frozenset(),
}
#: The audit action of reaching each status.
ENTRY_ACTIONS: dict[str, str] = {
    EntryStatus.SUBMITTED: actions.SUBMITTED,
    EntryStatus.RETURNED: actions.RETURNED,
    EntryStatus.VERIFIED: actions.VERIFIED,
    EntryStatus.ESTABLISHED: actions.ESTABLISHED,
    EntryStatus.WITHDRAWN: actions.ENTRY_WITHDRAWN,
}

ENTRY_NOT_ALLOWED = _("Entri “%(title)s” berstatus %(current)s tidak dapat menjadi %(target)s.")
NOT_TEAM = _("Hanya tim pengelola DIP perangkat daerah itu yang dapat mengajukan entrinya.")
NOT_SECRETARIAT = _(
    "Hanya PPID Utama dan petugas sekretariat PPID yang menerima, memverifikasi dan "
    "melaporkan pengajuan DIP."
)
NOT_PPID_UTAMA = _("Hanya PPID Utama yang menetapkan Daftar Informasi Publik.")
LANE_NOT_ALLOWED = _("Anda bukan pelaksana langkah SOP “%(step)s”.")
NO_ENTRIES = _("Pilih sedikitnya satu entri DIP untuk diajukan.")
OPD_INACTIVE = _("Perangkat daerah ini tidak aktif.")
ENTRY_OTHER_OPD = _("Entri “%(title)s” bukan milik %(opd)s.")
ENTRY_IN_OPEN_SUBMISSION = _(
    "Entri “%(title)s” sudah ada dalam pengajuan yang sedang berjalan; ajukan ulang pengajuan itu."
)
ENTRY_INCOMPLETE = _("Entri “%(title)s” belum lengkap: %(fields)s.")
SUBMISSION_CLOSED = _("Pengajuan ini sudah %(status)s.")
ALREADY_ACKNOWLEDGED = _("Pengajuan ini sudah diterima dengan tanda terima %(number)s.")
NOT_ACKNOWLEDGED = _("Pengajuan ini belum diterima sekretariat PPID (belum ada tanda terima).")
AWAITING_RESUBMISSION = _(
    "Masih ada entri yang dikembalikan; tunggu pengajuan ulang dari perangkat daerah."
)
NOTHING_TO_VERIFY = _("Tidak ada entri yang menunggu verifikasi dalam pengajuan ini.")
RETURN_NEEDS_ENTRIES = _("Pilih entri yang dikembalikan untuk dilengkapi.")
RETURN_NOTE_REQUIRED = _("Tuliskan apa yang harus dilengkapi atau disesuaikan.")
COMPLETE_RETURNS_NOTHING = _("Pengajuan yang lengkap dan sesuai tidak mengembalikan entri.")
ENTRY_NOT_WAITING = _("Entri “%(title)s” tidak menunggu verifikasi dalam pengajuan ini.")
NOTHING_RETURNED = _("Tidak ada entri yang dikembalikan dalam pengajuan ini.")
NOTHING_TO_REPORT = _(
    "Tidak ada laporan hasil verifikasi yang menunggu: pengajuan belum lengkap dan sesuai, "
    "sudah dilaporkan, atau tidak berjalan sebagai kasus SOP."
)
NO_SUBMISSIONS = _("Pilih sedikitnya satu pengajuan yang sudah lengkap dan sesuai.")
SUBMISSION_OTHER_PEMDA = _("Pengajuan yang dipilih bukan milik pemerintah daerah ini.")
NOT_VERIFIED = _("Pengajuan %(submission)s belum seluruhnya lengkap dan sesuai.")
NOT_REPORTED = _("Hasil verifikasi pengajuan %(submission)s belum dilaporkan ke PPID.")
NUMBER_REQUIRED = _("Nomor keputusan wajib diisi.")
NUMBER_TAKEN = _("Nomor keputusan %(number)s sudah dipakai.")
DECIDED_IN_FUTURE = _("Tanggal penetapan tidak boleh melewati hari ini.")
EXEMPT_WITHOUT_TEST = _(
    "Informasi yang dikecualikan hanya dapat ditetapkan berdasarkan uji konsekuensi yang "
    "sudah disetujui pimpinan badan publik (UU 14/2008 pasal 19). Belum ada untuk: %(titles)s."
)
HANDED_OVER = _("Tidak ada jabatan %(role)s di %(opd)s; langkah diserahkan kepada %(person)s.")

#: The DIP columns an entry must have filled in before it is submitted.
REQUIRED_COLUMNS = (
    "title",
    "summary",
    "holder",
    "responsible",
    "produced_when",
    "produced_where",
    "formats",
    "retention",
    "category",
)


# -- the entry lifecycle ---------------------------------------------------------------------


def entry_transition(
    *,
    entry: DipEntry,
    to: str,
    actor: User | None,
    fields: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> DipEntry:
    """Move ``entry`` to status ``to`` (checked against :data:`ENTRY_TRANSITIONS`), saving
    ``fields`` with it and ``updated_at`` (harvesters of the API see the change), writing the
    audit event of the new status (with ``status_sebelumnya``, the status it left) and
    reindexing once the transaction commits. Call inside a transaction with the entry row
    locked."""
    if to not in ENTRY_TRANSITIONS[entry.status]:
        raise InvalidTransition(
            ENTRY_NOT_ALLOWED,
            title=entry.title,
            current=EntryStatus(entry.status).label,
            target=EntryStatus(to).label,
        )
    changes = dict(fields or {})
    for name, value in changes.items():
        setattr(entry, name, value)
    previous = entry.status
    entry.status = to
    entry.updated_at = clock.now()
    entry.save(update_fields=list(dict.fromkeys(["status", "updated_at", *changes])))
    audit.record(
        action=ENTRY_ACTIONS[to],
        actor=actor,
        obj=entry,
        opd_id=entry.opd_id,
        data={**(data or {}), "status_sebelumnya": previous},
    )
    index.entry_changed(entry)
    return entry


def missing_columns(entry: DipEntry) -> list[str]:
    """The labels of the DIP columns ``entry`` lacks (a berkala entry also needs the date
    its next refresh is due)."""
    missing = [_label(name) for name in REQUIRED_COLUMNS if not getattr(entry, name)]
    if entry.category == Category.BERKALA and entry.refresh_due_on is None:
        missing.append(_label("refresh_due_on"))
    return missing


def _label(name: str) -> str:
    return str(getattr(DipEntry._meta.get_field(name), "verbose_name", name))


def _check_complete(entries: Iterable[DipEntry]) -> None:
    for entry in entries:
        missing = missing_columns(entry)
        if missing:
            raise DomainError(ENTRY_INCOMPLETE, title=entry.title, fields=", ".join(missing))


# -- where a submission stands (derived, never stored) ---------------------------------------


class Stage(models.TextChoices):
    AWAITING_RECEIPT = "menunggu_tanda_terima", _("Menunggu diterima sekretariat PPID")
    AWAITING_VERIFICATION = "menunggu_verifikasi", _("Menunggu verifikasi")
    RETURNED = "dikembalikan", _("Dikembalikan ke perangkat daerah untuk dilengkapi")
    AWAITING_REPORT = "menunggu_laporan", _("Lengkap dan sesuai; menunggu dilaporkan ke PPID")
    AWAITING_DECREE = "menunggu_penetapan", _("Menunggu penetapan PPID")
    ESTABLISHED = "ditetapkan", _("Ditetapkan")
    CANCELLED = "dibatalkan", _("Dibatalkan")


@dataclass(frozen=True)
class EntryCounts:
    """How many of a submission's entries (withdrawn ones left out) stand where."""

    submitted: int = 0
    returned: int = 0
    verified: int = 0
    established: int = 0

    @property
    def total(self) -> int:
        return self.submitted + self.returned + self.verified + self.established

    @classmethod
    def of(cls, entries: Iterable[DipEntry]) -> EntryCounts:
        statuses = [entry.status for entry in entries]
        return cls(
            submitted=statuses.count(EntryStatus.SUBMITTED),
            returned=statuses.count(EntryStatus.RETURNED),
            verified=statuses.count(EntryStatus.VERIFIED),
            established=statuses.count(EntryStatus.ESTABLISHED),
        )


def stage_of(
    *, status: str, receipt_number: str, counts: EntryCounts, open_step: str | None
) -> Stage:
    """Where a submission stands, from its status, its receipt, its entries' statuses and the
    SOP step its case waits at (None without a case)."""
    if status == Submission.Status.ESTABLISHED:
        return Stage.ESTABLISHED
    if status == Submission.Status.CANCELLED:
        return Stage.CANCELLED
    if not receipt_number:
        return Stage.AWAITING_RECEIPT
    if counts.returned:
        return Stage.RETURNED
    if counts.submitted:
        return Stage.AWAITING_VERIFICATION
    if open_step == STEP_REPORT:
        return Stage.AWAITING_REPORT
    return Stage.AWAITING_DECREE


def open_run(case_id: int | None) -> StepRun | None:
    """The step a submission's case waits at, if the case is open."""
    if case_id is None:
        return None
    return (
        StepRun.objects.filter(case_id=case_id, status=StepRunStatus.OPEN)
        .select_related("position", "assignee")
        .first()
    )


def submission_stage(submission: Submission, entries: Iterable[DipEntry]) -> Stage:
    run = open_run(submission.case_id)
    return stage_of(
        status=submission.status,
        receipt_number=submission.receipt_number,
        counts=EntryCounts.of(entries),
        open_step=run.step_id if run else None,
    )


def label_of(submission: Submission) -> str:
    """How messages name a submission: its receipt number, else its OPD and date."""
    return submission.receipt_number or str(submission)


# -- driving the SOP case --------------------------------------------------------------------


@dataclass(frozen=True)
class StepWork:
    """What an action records on one SOP step: its note, decision and output files."""

    step_id: str
    note: str
    complete: bool | None = None  # the verification's outcome, for the decision step
    files: Callable[[], Sequence[UploadedFile]] = field(default=lambda: ())


def sop_code() -> str:
    return str(getattr(settings, "DIP_SOP_CODE", DEFAULT_SOP_CODE) or "")


def _case_start(submission: Submission, actor: User, count: int) -> Case | None:
    """Open the agency's handling of the submission as a case of the DIP SOP, if loaded."""
    code = sop_code()
    sop = (
        Sop.objects.filter(pemda_id=submission.pemda_id, code=code)
        .select_related("current_version")
        .first()
        if code
        else None
    )
    if sop is None or sop.current_version is None:
        return None  # no DIP SOP configured: the cycle runs without an internal case
    opd = submission.opd
    on = clock.now().astimezone(pemda_zone(opd.pemda)).date()
    case = procedures.case_start(
        sop=sop,
        opd=opd,
        actor=actor,
        title=gettext("DIP %(opd)s — %(count)s entri, %(date)s")
        % {"opd": opd.short_name or opd.name, "count": count, "date": on.strftime("%d-%m-%Y")},
        data={"satminkal": opd.name, "jumlah_entri": count},
        subject=submission,
        check_required=False,
    )
    submission.case = case
    submission.save(update_fields=["case"])
    return case


def _open_case(submission: Submission) -> Case | None:
    if submission.case_id is None:
        return None
    return (
        Case.objects.select_related("version__sop", "opd__pemda")
        .filter(pk=submission.case_id, status=CaseStatus.OPEN)
        .first()
    )


def _branch(definition: SopDefinition, step_id: str, complete: bool | None) -> str | None:
    """The label of the verification branch: by the seed's labels, else the branch that goes
    back to the start (incomplete) or the other one (complete)."""
    step = definition.step(step_id)
    if step.symbol != Symbol.DECISION or complete is None:
        return None
    labels = [branch.label for branch in step.branches]
    wanted = BRANCH_COMPLETE if complete else BRANCH_INCOMPLETE
    if wanted in labels:
        return wanted
    back = [b.label for b in step.branches if b.to == definition.start.id]
    onward = [b.label for b in step.branches if b.to != definition.start.id]
    chosen = (onward if complete else back) or labels
    return chosen[0] if chosen else None


def _lane_allows(scope: Scope, lane: Lane, opd_id: int) -> bool:
    """Whether the DIP lets this person work in the lane: the OPD's team, the secretariat
    (which the PPID Utama leads) or the PPID Utama."""
    role = str(lane.role or "")
    if role in TEAM_ROLES:
        return can_manage_entries(scope, opd_id)
    if role == Role.PETUGAS_PPID:
        return is_secretariat(scope)
    if role == Role.PPID_UTAMA:
        return can_establish(scope)
    return False


def _on_behalf_of(scope: Scope, run: StepRun, lane: Lane, actor: User) -> str:
    """Whose step the actor completes: "" for their own, else the position (or lane) the
    engine seated it with. Refuses a person outside the lane."""
    if can_act(scope, run):
        return ""
    if not _lane_allows(scope, lane, run.opd_id):
        raise NotPermitted(LANE_NOT_ALLOWED, step=lane.label)
    if (
        run.position_id is None
        and run.assignee_id in (None, actor.pk)
        and scope.has_role(str(lane.role))
    ):
        return ""
    return run.position.title if run.position is not None else str(lane.label)


def _case_work(
    submission: Submission, actor: User, scope: Scope, works: Sequence[StepWork]
) -> None:
    """Complete the steps of ``works`` in order, each while the case waits at it. A step
    already completed from the inbox is skipped; a case elsewhere is left alone."""
    case = _open_case(submission)
    if case is None:
        return
    definition = definition_of(case.version)
    remaining = list(works)
    while remaining:
        run = open_run(case.pk)
        ids = [work.step_id for work in remaining]
        if run is None or run.step_id not in ids:
            return
        position = ids.index(run.step_id)
        work, remaining = remaining[position], remaining[position + 1 :]
        lane = definition.lanes_by_id[run.lane_id]
        procedures.step_complete(
            step_run=run,
            actor=actor,
            decision=_branch(definition, run.step_id, work.complete),
            note=work.note,
            files=work.files(),
            on_behalf_of=_on_behalf_of(scope, run, lane, actor),
        )


def _lane_person(case: Case, lane: Lane, submission: Submission) -> User | None:
    """Who takes a step whose lane has no position in the case's OPD: the submitter for the
    OPD's own team; otherwise the holder of the lane's role in the Pemda who already worked
    in this lane on the case, else the first holder."""
    role = str(lane.role or "")
    if not role:
        return None
    if role in TEAM_ROLES:
        return submission.submitted_by
    today = local_today(case.opd.pemda)
    holders = list(
        active_holdings(today)
        .filter(
            position__role=role,
            position__opd__pemda_id=case.opd.pemda_id,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("position_id", "id")
    )
    users = {holding.user_id: holding.user for holding in holders}
    worked = (
        case.step_runs.filter(lane_id=lane.id, status=StepRunStatus.DONE, completed_by__in=users)
        .order_by("-sequence")
        .values_list("completed_by_id", flat=True)
        .first()
    )
    if worked is not None:
        return users[worked]
    return holders[0].user if holders else None


def _hand_over(submission: Submission, actor: User) -> None:
    """Give the step the case now waits at to a named person when its lane resolved to no
    position (see the module docstring)."""
    case = _open_case(submission)
    run = open_run(case.pk) if case else None
    if case is None or run is None or run.position_id or run.assignee_id:
        return
    lane = definition_of(case.version).lanes_by_id[run.lane_id]
    person = _lane_person(case, lane, submission)
    if person is None:
        return
    procedures.step_reassign(
        step_run=run,
        actor=actor,
        to=person,
        reason=str(HANDED_OVER)
        % {"role": Role(str(lane.role)).label, "opd": case.opd, "person": person.display_name},
    )


# -- step outputs ----------------------------------------------------------------------------


def _csv(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _upload(name: str, content: bytes, content_type: str) -> Callable[[], list[UploadedFile]]:
    """A file output, made afresh for each step it is attached to."""
    return lambda: [SimpleUploadedFile(name, content, content_type)]


def _list_csv(entries: Sequence[DipEntry]) -> bytes:
    """The list handed over to the secretariat (steps 1–4): the DIP columns of each entry."""
    header: list[object] = [
        "No",
        "Judul informasi",
        "Ringkasan isi informasi",
        "Pejabat/unit yang menguasai informasi",
        "Penanggung jawab",
        "Waktu pembuatan",
        "Tempat pembuatan",
        "Bentuk informasi",
        "Jangka waktu penyimpanan",
        "Kategori",
        "Tahun",
        "Pembaruan berikutnya",
    ]
    rows: list[list[object]] = [header]
    for number, entry in enumerate(entries, start=1):
        rows.append(
            [
                number,
                entry.title,
                entry.summary,
                entry.holder,
                entry.responsible,
                entry.produced_when,
                entry.produced_where,
                ", ".join(str(Format(v).label) for v in entry.formats if v in Format.values),
                entry.retention,
                str(Category(entry.category).label),
                entry.year,
                entry.refresh_due_on.isoformat() if entry.refresh_due_on else "",
            ]
        )
    return _csv(rows)


def _titles(entries: Iterable[DipEntry], limit: int = 10) -> str:
    titles = [f"“{entry.title}”" for entry in entries]
    shown = "; ".join(titles[:limit])
    return shown + (f"; … (+{len(titles) - limit})" if len(titles) > limit else "")


def _submit_works(entries: Sequence[DipEntry], intro: str, name: str) -> list[StepWork]:
    content = _list_csv(entries)
    note = f"{intro} {len(entries)} entri: {_titles(entries)}"
    return [
        StepWork(step_id, note, files=_upload(f"{name}-{step_id}.csv", content, "text/csv"))
        for step_id in STEPS_SUBMIT
    ]


# -- the cycle's writes ----------------------------------------------------------------------


def _scope(actor: User, pemda: Pemda) -> Scope:
    return build_scope(actor, local_today(pemda))


def _in_pemda(scope: Scope, pemda_id: int) -> bool:
    return scope.is_superuser or any(seat.pemda_id == pemda_id for seat in scope.seats)


def _require_secretariat(scope: Scope, pemda_id: int) -> None:
    if not (is_secretariat(scope) and _in_pemda(scope, pemda_id)):
        raise NotPermitted(NOT_SECRETARIAT)


def _locked(submission: Submission) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.OPEN:
        status = Submission.Status(locked.status).label
        raise InvalidTransition(SUBMISSION_CLOSED, status=str(status).lower())
    return locked


def _locked_entries(submission: Submission) -> list[DipEntry]:
    """The submission's entries that are still in the DIP, locked, in title order."""
    ids = list(submission.entries.values_list("pk", flat=True))
    return list(
        DipEntry.objects.select_for_update()
        .filter(pk__in=ids)
        .exclude(status=EntryStatus.WITHDRAWN)
        .order_by("title", "pk")
    )


def submission_create(*, opd: Opd, actor: User, entries: Sequence[DipEntry]) -> Submission:
    """The OPD's team sends draft (or returned) entries to the PPID's secretariat: a
    submission, its SOP case, and steps 1–4 done by this act."""
    scope = _scope(actor, opd.pemda)
    if not can_manage_entries(scope, opd.pk):
        raise NotPermitted(NOT_TEAM)
    if not opd.is_active:
        raise DomainError(OPD_INACTIVE)
    ids = sorted({entry.pk for entry in entries})
    if not ids:
        raise DomainError(NO_ENTRIES)
    with transaction.atomic():
        locked = list(
            DipEntry.objects.select_for_update().filter(pk__in=ids).order_by("title", "pk")
        )
        for entry in locked:
            if entry.opd_id != opd.pk:
                raise DomainError(ENTRY_OTHER_OPD, title=entry.title, opd=opd.name)
        busy = (
            DipEntry.objects.filter(pk__in=ids, submissions__status=Submission.Status.OPEN)
            .order_by("title")
            .first()
        )
        if busy is not None:
            raise DomainError(ENTRY_IN_OPEN_SUBMISSION, title=busy.title)
        _check_complete(locked)
        submission = Submission.objects.create(
            pemda_id=opd.pemda_id,
            opd=opd,
            submitted_at=clock.now(),
            submitted_by=actor,
        )
        submission.entries.set(locked)
        for entry in locked:
            entry_transition(
                entry=entry,
                to=EntryStatus.SUBMITTED,
                actor=actor,
                data={"pengajuan": submission.pk},
            )
        audit.record(
            action=actions.SUBMITTED,
            actor=actor,
            obj=submission,
            opd_id=opd.pk,
            data={"entri": [entry.pk for entry in locked], "judul": [e.title for e in locked]},
        )
        if _case_start(submission, actor, len(locked)) is not None:
            intro = gettext("Diajukan ke sekretariat PPID:")
            _case_work(
                submission, actor, scope, _submit_works(locked, intro, f"dip-{submission.pk}")
            )
            _hand_over(submission, actor)
    return submission


def _next_receipt_number(pemda: Pemda, year: int) -> str:
    """The next receipt number of the Pemda's year. Call with the Pemda row locked: that lock
    is the counter, so two acknowledgements never take the same number and none is lost."""
    suffix = f"/{RECEIPT_KIND}/{year}"
    used = Submission.objects.filter(pemda=pemda, receipt_number__endswith=suffix)
    numbers = [n.split("/", 1)[0] for n in used.values_list("receipt_number", flat=True)]
    top = max((int(n) for n in numbers if n.isdigit()), default=0)
    return RECEIPT_FORMAT.format(nomor=top + 1, tahun=year)


def submission_acknowledge(*, submission: Submission, actor: User, note: str = "") -> Submission:
    """The secretariat receives the list and the information (step 5): the receipt number,
    gapless per Pemda and year. The receipt and control card is printed from it
    (:func:`receipt_pdf`)."""
    with transaction.atomic():
        pemda = Pemda.objects.select_for_update().get(pk=submission.pemda_id)
        today = local_today(pemda)
        scope = build_scope(actor, today)
        _require_secretariat(scope, pemda.pk)
        locked = _locked(submission)
        if locked.receipt_number:
            raise InvalidTransition(ALREADY_ACKNOWLEDGED, number=locked.receipt_number)
        number = _next_receipt_number(pemda, today.year)
        locked.receipt_number = number
        locked.save(update_fields=["receipt_number"])
        entries = _locked_entries(locked)
        audit.record(
            action=actions.ACKNOWLEDGED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data={"nomor": number, "entri": [entry.pk for entry in entries]},
        )
        text = note.strip() or gettext(
            "Diterima dengan tanda terima %(number)s: %(count)s entri."
        ) % {"number": number, "count": len(entries)}
        _case_work(locked, actor, scope, [StepWork(STEP_RECEIVE, text)])
        _hand_over(locked, actor)
    return locked


def submission_verify(
    *,
    submission: Submission,
    actor: User,
    complete: bool,
    note: str = "",
    returned_entries: Sequence[DipEntry] = (),
) -> Submission:
    """Step 6: complete and conforming — the waiting entries are verified; or not — the chosen
    entries go back to the OPD with ``note`` (the rest stay submitted) and the case returns
    to step 1. Every verification is one more round."""
    note = note.strip()
    chosen = {entry.pk for entry in returned_entries}
    with transaction.atomic():
        locked = _locked(submission)
        scope = _scope(actor, locked.pemda)
        _require_secretariat(scope, locked.pemda_id)
        entries = _locked_entries(locked)
        stage = submission_stage(locked, entries)
        if stage == Stage.AWAITING_RECEIPT:
            raise InvalidTransition(NOT_ACKNOWLEDGED)
        if stage == Stage.RETURNED:
            raise InvalidTransition(AWAITING_RESUBMISSION)
        waiting = [entry for entry in entries if entry.status == EntryStatus.SUBMITTED]
        if not waiting:
            raise InvalidTransition(NOTHING_TO_VERIFY)
        if complete and chosen:
            raise DomainError(COMPLETE_RETURNS_NOTHING)
        if not complete:
            if not chosen:
                raise DomainError(RETURN_NEEDS_ENTRIES)
            if not note:
                raise DomainError(RETURN_NOTE_REQUIRED)
            waiting_ids = {entry.pk for entry in waiting}
            stray = [entry for entry in returned_entries if entry.pk not in waiting_ids]
            if stray:
                raise DomainError(ENTRY_NOT_WAITING, title=stray[0].title)
        locked.rounds += 1
        locked.save(update_fields=["rounds"])
        data = {"pengajuan": locked.pk, "putaran": locked.rounds}
        returned = [entry for entry in waiting if entry.pk in chosen]
        if complete:
            for entry in waiting:
                entry_transition(
                    entry=entry,
                    to=EntryStatus.VERIFIED,
                    actor=actor,
                    fields={"return_note": ""},
                    data=data,
                )
            text = note or gettext("Lengkap dan sesuai: %(count)s entri.") % {"count": len(waiting)}
        else:
            for entry in returned:
                entry_transition(
                    entry=entry,
                    to=EntryStatus.RETURNED,
                    actor=actor,
                    fields={"return_note": note},
                    data={**data, "catatan": note},
                )
            text = f"{note} — {gettext('Dikembalikan')}: {_titles(returned)}"
        audit.record(
            action=actions.VERIFIED if complete else actions.RETURNED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data={
                "putaran": locked.rounds,
                "lengkap": complete,
                "entri": [entry.pk for entry in waiting],
                "dikembalikan": [entry.pk for entry in returned],
                "catatan": note,
            },
        )
        received = gettext("Pengajuan ulang diterima untuk verifikasi putaran %(round)s.") % {
            "round": locked.rounds
        }
        _case_work(
            locked,
            actor,
            scope,
            [StepWork(STEP_RECEIVE, received), StepWork(STEP_VERIFY, text, complete=complete)],
        )
        _hand_over(locked, actor)
    return locked


def submission_resubmit(*, submission: Submission, actor: User) -> Submission:
    """The OPD's team sends the returned entries (fixed through the entry pages) back in the
    same submission: they are submitted again and steps 1–4 are done again."""
    with transaction.atomic():
        locked = _locked(submission)
        scope = _scope(actor, locked.pemda)
        if not can_manage_entries(scope, locked.opd_id):
            raise NotPermitted(NOT_TEAM)
        entries = _locked_entries(locked)
        returned = [entry for entry in entries if entry.status == EntryStatus.RETURNED]
        if not returned:
            raise InvalidTransition(NOTHING_RETURNED)
        _check_complete(returned)
        following = locked.rounds + 1
        for entry in returned:
            entry_transition(
                entry=entry,
                to=EntryStatus.SUBMITTED,
                actor=actor,
                data={"pengajuan": locked.pk, "putaran": following, "ulang": True},
            )
        audit.record(
            action=actions.RESUBMITTED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data={"putaran": following, "entri": [entry.pk for entry in returned]},
        )
        intro = gettext("Diajukan ulang untuk verifikasi putaran %(round)s:") % {"round": following}
        name = f"dip-{locked.pk}-putaran-{following}"
        _case_work(locked, actor, scope, _submit_works(returned, intro, name))
        _hand_over(locked, actor)
    return locked


def submission_report(*, submission: Submission, actor: User, note: str = "") -> Submission:
    """Step 7: the secretariat reports the verification to the PPID, with the receipt and
    control card as the report; the case moves on to the PPID's establishment."""
    with transaction.atomic():
        locked = _locked(submission)
        scope = _scope(actor, locked.pemda)
        _require_secretariat(scope, locked.pemda_id)
        entries = _locked_entries(locked)
        if submission_stage(locked, entries) != Stage.AWAITING_REPORT:
            raise InvalidTransition(NOTHING_TO_REPORT)
        audit.record(
            action=actions.REPORTED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data={"entri": [entry.pk for entry in entries], "catatan": note.strip()},
        )
        text = note.strip() or gettext(
            "Hasil verifikasi dilaporkan ke PPID: %(count)s entri lengkap dan sesuai "
            "setelah %(rounds)s putaran verifikasi."
        ) % {"count": len(entries), "rounds": locked.rounds}
        report = receipt_pdf(locked)
        name = f"laporan-verifikasi-{locked.receipt_number.replace('/', '-')}.pdf"
        _case_work(
            locked,
            actor,
            scope,
            [StepWork(STEP_REPORT, text, files=_upload(name, report, "application/pdf"))],
        )
        _hand_over(locked, actor)
    return locked


def _public_csv(entries: Sequence[DipEntry]) -> bytes:
    header: list[object] = ["No", "Judul informasi", "Kategori", "Diumumkan", "Alamat"]
    rows: list[list[object]] = [header]
    for number, entry in enumerate((e for e in entries if e.is_public), start=1):
        url = settings.SITE_URL + reverse("public_information:entry", args=[entry.pk])
        published = entry.published_at.isoformat() if entry.published_at else ""
        rows.append([number, entry.title, str(Category(entry.category).label), published, url])
    return _csv(rows)


def decree_establish(
    *,
    pemda: Pemda,
    actor: User,
    number: str,
    decided_on: dt.date,
    submissions: Sequence[Submission],
) -> Decree:
    """The PPID Utama's dated decision establishing the DIP (step 8): every verified entry of
    the chosen submissions is established and, unless exempt, published (step 9). An exempt
    entry needs an approved consequence test."""
    number = " ".join(number.split())
    today = local_today(pemda)
    scope = build_scope(actor, today)
    if not may_establish(scope, pemda.pk):
        raise NotPermitted(NOT_PPID_UTAMA)
    if not number:
        raise DomainError(NUMBER_REQUIRED)
    if decided_on > today:
        raise DomainError(DECIDED_IN_FUTURE)
    ids = sorted({submission.pk for submission in submissions})
    if not ids:
        raise DomainError(NO_SUBMISSIONS)
    with transaction.atomic():
        Pemda.objects.select_for_update().get(pk=pemda.pk)  # serialises decree numbers
        if Decree.objects.filter(pemda=pemda, number=number).exists():
            raise DomainError(NUMBER_TAKEN, number=number)
        chosen = [_locked(Submission(pk=pk)) for pk in ids]
        if any(submission.pemda_id != pemda.pk for submission in chosen):
            raise DomainError(SUBMISSION_OTHER_PEMDA)
        verified: dict[int, list[DipEntry]] = {}
        for submission in chosen:
            own = _locked_entries(submission)
            stage = submission_stage(submission, own)
            if stage == Stage.AWAITING_REPORT:
                raise InvalidTransition(NOT_REPORTED, submission=label_of(submission))
            verified[submission.pk] = [e for e in own if e.status == EntryStatus.VERIFIED]
            if stage != Stage.AWAITING_DECREE or not verified[submission.pk]:
                raise InvalidTransition(NOT_VERIFIED, submission=label_of(submission))
        entries = [entry for own in verified.values() for entry in own]
        approved = set(
            ConsequenceTest.objects.filter(
                pk__in={e.exemption_id for e in entries if e.exemption_id is not None},
                approved_on__isnull=False,
            ).values_list("pk", flat=True)
        )
        unfounded = [
            entry
            for entry in entries
            if entry.category == Category.DIKECUALIKAN and entry.exemption_id not in approved
        ]
        if unfounded:
            raise DomainError(EXEMPT_WITHOUT_TEST, titles=_titles(unfounded))
        now = clock.now()
        decree = Decree.objects.create(
            pemda=pemda,
            number=number,
            decided_on=decided_on,
            decided_by=actor,
            submission=chosen[0] if len(chosen) == 1 else None,
            created_at=now,
        )
        decree.entries.set(entries)
        for entry in entries:
            entry_transition(
                entry=entry,
                to=EntryStatus.ESTABLISHED,
                actor=actor,
                fields={"published_at": now} if entry.category != Category.DIKECUALIKAN else {},
                data={"keputusan": number, "tanggal": decided_on},
            )
        for submission in chosen:
            submission.status = Submission.Status.ESTABLISHED
            submission.save(update_fields=["status"])
            audit.record(
                action=actions.ESTABLISHED,
                actor=actor,
                obj=submission,
                opd_id=submission.opd_id,
                data={"keputusan": number, "tanggal": decided_on},
            )
        audit.record(
            action=actions.ESTABLISHED,
            actor=actor,
            obj=decree,
            data={
                "nomor": number,
                "tanggal": decided_on,
                "pengajuan": ids,
                "entri": [entry.pk for entry in entries],
            },
        )
        _establish_steps(decree, chosen, verified, actor, scope)
    return decree


def _establish_steps(
    decree: Decree,
    submissions: Sequence[Submission],
    verified: Mapping[int, Sequence[DipEntry]],
    actor: User,
    scope: Scope,
) -> None:
    """Steps 8 and 9 on every submission's case, with the decree and the list of what went
    online as their outputs (the decree is printed once)."""
    cases = [s for s in submissions if _open_case(s) is not None]
    if not cases:
        return
    pdf = letters.decree_pdf(decree)
    name = f"keputusan-dip-{decree.number.replace('/', '-')}.pdf"
    for submission in cases:
        own = verified[submission.pk]
        public = [entry for entry in own if entry.is_public]
        decided = gettext(
            "Keputusan PPID nomor %(number)s tanggal %(date)s: %(count)s entri ditetapkan."
        ) % {
            "number": decree.number,
            "date": decree.decided_on.strftime("%d-%m-%Y"),
            "count": len(own),
        }
        presented = gettext("%(count)s informasi terbuka disajikan di situs web dan pencarian.") % {
            "count": len(public)
        }
        _case_work(
            submission,
            actor,
            scope,
            [
                StepWork(STEP_ESTABLISH, decided, files=_upload(name, pdf, "application/pdf")),
                StepWork(
                    STEP_PRESENT,
                    presented,
                    files=_upload(
                        f"disajikan-dip-{submission.pk}.csv", _public_csv(own), "text/csv"
                    ),
                ),
            ],
        )
        _hand_over(submission, actor)


# -- reads: the receipt and control card ------------------------------------------------------


def acknowledgement(submission: Submission) -> AuditEvent | None:
    """The event of the secretariat receiving the submission (when and by whom)."""
    return (
        AuditEvent.objects.for_object(submission)
        .filter(action=actions.ACKNOWLEDGED)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
        .first()
    )


def control_card(submission: Submission) -> list[letters.ControlRow]:
    """The cycle's steps so far: the SOP case's step runs, or (without a case) the
    submission's own events."""
    if submission.case_id is None:
        return [
            letters.ControlRow(
                no=None,
                activity=str(event.action_label),
                lane="",
                started_at=event.occurred_at,
                due_at=None,
                completed_at=event.occurred_at,
                by=event.actor.display_name if event.actor else event.actor_label,
                result=Truncator(str((event.data or {}).get("catatan") or "")).chars(
                    CARD_NOTE_CHARS
                ),
            )
            for event in audit.timeline(submission)
        ]
    case = Case.objects.select_related("version__sop").get(pk=submission.case_id)
    definition = definition_of(case.version)
    lanes = definition.lanes_by_id
    rows = []
    for run in case.step_runs.select_related("position", "assignee", "completed_by"):
        step = definition.step(run.step_id)
        lane = lanes.get(run.lane_id)
        if run.completed_by is not None:
            by = run.completed_by.display_name
        elif run.assignee is not None:
            by = run.assignee.display_name
        else:
            by = run.position.title if run.position is not None else ""
        if run.on_behalf_of:
            by = f"{by} (a.n. {run.on_behalf_of})"
        rows.append(
            letters.ControlRow(
                no=step.no,
                activity=step.activity,
                lane=str(lane.label) if lane else run.lane_id,
                started_at=run.started_at,
                due_at=run.due_at,
                completed_at=run.completed_at,
                by=by,
                result=Truncator(
                    " — ".join(part for part in (run.decision, run.note) if part)
                ).chars(CARD_NOTE_CHARS),
                within_standard=run.within_standard,
            )
        )
    return rows


def receipt_pdf(submission: Submission) -> bytes:
    """The receipt and control card ("tanda terima dan kartu kontrol") of an acknowledged
    submission."""
    received = acknowledgement(submission)
    entries = list(
        submission.entries.select_related("opd")
        .annotate(document_count=models.Count("documents"))
        .order_by("title", "pk")
    )
    return letters.receipt_pdf(
        submission,
        entries=entries,
        received_at=received.occurred_at if received else None,
        received_by=received.actor if received else None,
        rows=control_card(submission),
    )


# -- the refresh sweep -----------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshReport:
    entries: int
    queued: int


def refresh_due(today: dt.date, *, pemda: Pemda) -> list[DipEntry]:
    """Established berkala entries of the Pemda whose refresh is due within
    :data:`REFRESH_ALERT_DAYS` days of ``today``, or past."""
    return list(
        DipEntry.objects.filter(
            pemda=pemda,
            status=EntryStatus.ESTABLISHED,
            category=Category.BERKALA,
            refresh_due_on__lte=today + dt.timedelta(days=REFRESH_ALERT_DAYS),
        )
        .select_related("opd")
        .order_by("refresh_due_on", "pk")
    )


def _team(opd_id: int, on: dt.date) -> list[User]:
    """The OPD's admins and PPID Pelaksana today, with an e-mail address."""
    holdings = (
        active_holdings(on)
        .filter(position__opd_id=opd_id, position__role__in=ENTRY_ROLES)
        .select_related("user")
    )
    users = {h.user for h in holdings if h.user.email and h.user.is_active}
    return sorted(users, key=lambda user: user.pk)


def _refresh_text(entry: DipEntry, past: bool) -> tuple[str, str]:
    assert entry.refresh_due_on is not None
    values = {
        "title": entry.title,
        "opd": entry.opd.name,
        "due": entry.refresh_due_on.strftime("%d-%m-%Y"),
        "url": settings.SITE_URL + reverse("dip:entry_detail", args=[entry.pk]),
    }
    if past:
        return (
            gettext("Informasi berkala lewat batas pembaruan: %(title)s") % values,
            gettext(
                "Informasi berkala “%(title)s” (%(opd)s) seharusnya diperbarui paling lambat "
                "%(due)s. Perbarui informasinya dan catat pembaruannya (UU 14/2008 pasal 9 "
                "ayat 4: paling sedikit 6 bulan sekali). %(url)s"
            )
            % values,
        )
    return (
        gettext("Informasi berkala perlu diperbarui: %(title)s") % values,
        gettext(
            "Informasi berkala “%(title)s” (%(opd)s) harus diperbarui paling lambat %(due)s "
            "(UU 14/2008 pasal 9 ayat 4: paling sedikit 6 bulan sekali). %(url)s"
        )
        % values,
    )


def refresh_sweep(*, at: dt.datetime | None = None) -> RefreshReport:
    """Queue an e-mail to the owning OPD's admins and PPID Pelaksana for every established
    berkala entry whose refresh is due within :data:`REFRESH_ALERT_DAYS` days or past. Each
    (entry, due date, person) is queued once — a new due date after a refresh alerts
    again — so running the sweep twice queues nothing the second time."""
    moment = at or clock.now()
    due: list[tuple[DipEntry, dt.date]] = []
    for pemda in Pemda.objects.order_by("pk"):
        today = moment.astimezone(pemda_zone(pemda)).date()
        due.extend((entry, today) for entry in refresh_due(today, pemda=pemda))
    sent = set(
        OutboxMessage.objects.filter(
            content_type=ContentType.objects.get_for_model(DipEntry),
            object_id__in=[str(entry.pk) for entry, _today in due],
            dedupe_key__isnull=False,
        ).values_list("dedupe_key", flat=True)
    )
    teams: dict[tuple[int, dt.date], list[User]] = {}
    queued = 0
    for entry, today in due:
        assert entry.refresh_due_on is not None
        if (entry.opd_id, today) not in teams:
            teams[entry.opd_id, today] = _team(entry.opd_id, today)
        stamp = entry.refresh_due_on.isoformat()
        recipients = [
            (user, f"dip_refresh:{entry.pk}:{stamp}:{user.pk}")
            for user in teams[entry.opd_id, today]
        ]
        recipients = [(user, key) for user, key in recipients if key not in sent]
        if not recipients:
            continue
        past = entry.refresh_due_on < today
        with transaction.atomic():
            for user, key in recipients:
                with translation.override(user.language or "id"):
                    subject, body = _refresh_text(entry, past)
                outbox_enqueue(
                    to=user.email,
                    subject=subject,
                    body_text=body,
                    language=user.language,
                    kind="dip_entry.refresh-" + ("lewat" if past else str(REFRESH_ALERT_DAYS)),
                    subject_object=entry,
                    dedupe_key=key,
                )
                sent.add(key)
        queued += len(recipients)
    return RefreshReport(entries=len(due), queued=queued)
