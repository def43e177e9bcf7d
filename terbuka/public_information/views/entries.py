"""Staff pages of the DIP's entries: the list, an entry with its documents and timeline, the
forms that write them, the private download of a document version, and the Pemda's topics.

Who sees what: the OPD's admins and PPID Pelaksana see and manage their own OPD's entries;
the PPID Utama (and an operator) sees and manages all; the PPID's secretariat sees the
entries it is allowed to see (:func:`selectors.entries_visible`) without managing them.
Everyone else, and anyone asking for an entry of another OPD, gets 404: an entry's existence
is not disclosed.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from terbuka.core import audit
from terbuka.core.http import StaffRequest
from terbuka.core.models import AuditEvent
from terbuka.core.uploads import CONTENT_TYPES
from terbuka.core.views.forms import attempt
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Opd, Role
from terbuka.organizations.selectors import local_today, opds_visible, primary_pemda, scope_of
from terbuka.public_information import actions, services
from terbuka.public_information.forms import (
    DocumentForm,
    EntryForm,
    RefreshForm,
    TopicForm,
    VersionForm,
    WithdrawForm,
)
from terbuka.public_information.models import (
    Category,
    DipEntry,
    Document,
    DocumentVersion,
    EntryStatus,
    Format,
    TextStatus,
    Topic,
)
from terbuka.public_information.selectors import (
    can_manage_entries,
    entries_visible,
    is_secretariat,
)

PAGE_SIZE = 50
#: A berkala entry is flagged "perlu diperbarui" this many days before its refresh is due.
DUE_SOON_DAYS = 30
#: File name extensions that already say the kind a version was read as.
NAME_EXTENSIONS = {"jpeg": ("jpg", "jpeg")}


# --- who sees and manages what ------------------------------------------------------------


def _managed_opd_ids(scope: Scope) -> set[int]:
    """The OPDs (among those the person holds a role in) whose entries the person manages."""
    return {opd_id for opd_id in scope.opd_ids if can_manage_entries(scope, opd_id)}


def _entries_for(scope: Scope) -> QuerySet[DipEntry]:
    """The entries on this person's list; 404 for people who have no part in the DIP."""
    if is_secretariat(scope):
        return entries_visible(scope)
    managed = _managed_opd_ids(scope)
    if not managed:
        raise Http404
    return entries_visible(scope).filter(opd_id__in=managed)


def _entry_or_404(scope: Scope, entry_id: int, *, manage: bool = False) -> DipEntry:
    entry = (
        _entries_for(scope)
        .select_related("pemda", "created_by", "exemption")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or (manage and not can_manage_entries(scope, entry.opd_id)):
        raise Http404
    return entry


def _opds_to_create(scope: Scope) -> list[Opd]:
    """Active OPDs the person may create entries for."""
    return [
        opd
        for opd in opds_visible(scope).filter(is_active=True)
        if can_manage_entries(scope, opd.pk)
    ]


# --- the list --------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _filtered(entries: QuerySet[DipEntry], params: QueryDict, today: dt.date) -> QuerySet[DipEntry]:
    if (opd := _int(params.get("opd"))) is not None:
        entries = entries.filter(opd_id=opd)
    if params.get("kategori") in Category.values:
        entries = entries.filter(category=params["kategori"])
    if params.get("status") in EntryStatus.values:
        entries = entries.filter(status=params["status"])
    if (year := _int(params.get("tahun"))) is not None:
        entries = entries.filter(year=year)
    if query := params.get("q", "").strip():
        entries = entries.filter(title__icontains=query)
    if params.get("perlu_diperbarui"):
        entries = entries.filter(
            category=Category.BERKALA,
            refresh_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        ).exclude(status=EntryStatus.WITHDRAWN)
    return entries


def _needs_refresh(entry: DipEntry, today: dt.date) -> bool:
    """A berkala entry whose refresh is due within DUE_SOON_DAYS days, or past due."""
    return (
        entry.category == Category.BERKALA
        and entry.status != EntryStatus.WITHDRAWN
        and entry.refresh_due_on is not None
        and entry.refresh_due_on <= today + dt.timedelta(days=DUE_SOON_DAYS)
    )


@login_required
def entry_list(request: StaffRequest) -> HttpResponse:
    """The entries this person sees, with filters; flags entries that need a refresh and
    entries whose current document could not be read. A fixed number of queries."""
    scope = scope_of(request)
    entries = _entries_for(scope)
    today = local_today()
    failed = Document.objects.filter(entry=OuterRef("pk"), current__text_status=TextStatus.FAILED)
    listed = (
        _filtered(entries, request.GET, today)
        .annotate(text_failed=Exists(failed))
        .order_by("opd__name", "category", "title", "pk")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [
        {
            "entry": entry,
            "needs_refresh": _needs_refresh(entry, today),
            "overdue": _needs_refresh(entry, today)
            and entry.refresh_due_on is not None
            and entry.refresh_due_on < today,
        }
        for entry in page
    ]
    shows_opds = scope.sees_all_opds or len(_managed_opd_ids(scope)) > 1
    return render(
        request,
        "public_information/staff/entry_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": request.GET,
            "categories": Category.choices,
            "statuses": EntryStatus.choices,
            "years": sorted(
                set(entries.order_by().values_list("year", flat=True).distinct()), reverse=True
            ),
            "opds": list(opds_visible(scope).values_list("pk", "name")) if shows_opds else [],
            "can_create": bool(_opds_to_create(scope)),
            "manages_topics": _manages_topics(scope),
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


# --- one entry -------------------------------------------------------------------------

#: Audit data keys shown on the entry's timeline, in this order.
_EVENT_KEYS = (
    "dokumen",
    "versi",
    "berkas",
    "tautan",
    "alasan",
    "diperbarui",
    "pembaruan_berikutnya",
    "galat",
)


def _event_detail(event: AuditEvent) -> list[tuple[str, str]]:
    """What the event changed, in a few label–value pairs for the timeline."""
    data = event.data or {}
    labels = {
        "dokumen": _("Dokumen"),
        "versi": _("versi"),
        "berkas": _("berkas"),
        "tautan": _("tautan"),
        "alasan": _("Alasan"),
        "diperbarui": _("Diperbarui"),
        "pembaruan_berikutnya": _("pembaruan berikutnya"),
        "galat": _("Galat"),
    }
    details = [(labels[key], _shown(data[key])) for key in _EVENT_KEYS if data.get(key)]
    if event.action == actions.DOCUMENT_TEXT_READ and data.get("status"):
        details.append((_("Hasil"), str(TextStatus(data["status"]).label)))
    if isinstance(data.get("perubahan"), dict):
        names = [_field_label(name) for name in data["perubahan"]]
        details.append((_("Kolom diubah"), ", ".join(names)))
    return details


def _shown(value: Any) -> str:
    """An audit value as text; dates (stored as ISO strings) as day-month-year."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    return str(value)


def _field_label(name: str) -> str:
    if name == "topics":
        return _("topik")
    try:
        field = DipEntry._meta.get_field(name)
        return str(getattr(field, "verbose_name", name))
    except FieldDoesNotExist:  # a column since removed keeps its name
        return name


@login_required
def entry_detail(request: StaffRequest, entry_id: int) -> HttpResponse:
    scope = scope_of(request)
    entry = _entry_or_404(scope, entry_id)
    today = local_today(entry.pemda)
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    documents = list(
        entry.documents.select_related("current").prefetch_related(
            Prefetch("versions", queryset=versions)
        )
    )
    events = list(audit.timeline(entry))
    withdrawn = next((e for e in reversed(events) if e.action == actions.ENTRY_WITHDRAWN), None)
    manages = can_manage_entries(scope, entry.opd_id)
    return render(
        request,
        "public_information/staff/entry_detail.html",
        {
            "entry": entry,
            "topics": list(entry.topics.all()),
            "formats": [Format(value).label for value in entry.formats if value in Format.values],
            "documents": documents,
            "events": [{"event": event, "details": _event_detail(event)} for event in events],
            "withdraw_reason": (withdrawn.data or {}).get("alasan") if withdrawn else None,
            "manages": manages,
            "editable": manages and entry.status != EntryStatus.WITHDRAWN,
            "needs_refresh": _needs_refresh(entry, today),
            "today": today,
        },
    )


# --- forms -----------------------------------------------------------------------------


def _crumbs(entry: DipEntry | None = None) -> list[dict[str, str]]:
    crumbs = [{"label": _("Daftar Informasi Publik"), "url": reverse("dip:entry_list")}]
    if entry is not None:
        crumbs.append({"label": entry.title, "url": reverse("dip:entry_detail", args=[entry.pk])})
    return crumbs


def _form_page(
    request: StaffRequest,
    form: BaseForm,
    title: str,
    entry: DipEntry | None = None,
    **extra: Any,
) -> HttpResponse:
    cancel = reverse("dip:entry_detail", args=[entry.pk]) if entry else reverse("dip:entry_list")
    context = {"form": form, "title": title, "breadcrumbs": _crumbs(entry), "cancel_url": cancel}
    return render(request, "core/staff/form_page.html", {**context, **extra})


def _frozen(request: StaffRequest, entry: DipEntry) -> HttpResponse | None:
    """A redirect with a message when the entry was withdrawn and takes no more changes."""
    if entry.status != EntryStatus.WITHDRAWN:
        return None
    messages.error(request, str(services.WITHDRAWN_FROZEN))
    return redirect("dip:entry_detail", entry_id=entry.pk)


@login_required
def entry_create(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    opds = _opds_to_create(scope)
    if not opds:
        raise Http404
    form = EntryForm(
        request.POST or None,
        pemda_id=opds[0].pemda_id,
        today=local_today(opds[0].pemda),
        opds=Opd.objects.filter(pk__in=[opd.pk for opd in opds]).order_by("name"),
        initial={"year": local_today(opds[0].pemda).year},
    )
    if request.method == "POST" and form.is_valid():
        ok, entry = attempt(
            form,
            services.entry_create,
            opd=form.cleaned_data["opd"],
            actor=request.user,
            data=form.entry_data(),
            topics=form.cleaned_data["topics"],
        )
        if ok and entry is not None:
            messages.success(request, _("Entri DIP dibuat sebagai draf."))
            return redirect("dip:entry_detail", entry_id=entry.pk)
    return _form_page(request, form, _("Entri DIP baru"))


@login_required
def entry_edit(request: StaffRequest, entry_id: int) -> HttpResponse:
    scope = scope_of(request)
    entry = _entry_or_404(scope, entry_id, manage=True)
    if (frozen := _frozen(request, entry)) is not None:
        return frozen
    form = EntryForm(
        request.POST or None,
        pemda_id=entry.pemda_id,
        today=local_today(entry.pemda),
        initial=EntryForm.initial_of(entry),
    )
    if request.method == "POST" and form.is_valid():
        ok, changed = attempt(
            form,
            services.entry_update,
            entry=entry,
            actor=request.user,
            data=form.entry_data(),
            topics=form.cleaned_data["topics"],
        )
        if ok:
            if changed:
                messages.success(request, _("Perubahan entri disimpan."))
            else:
                messages.info(request, _("Tidak ada perubahan."))
            return redirect("dip:entry_detail", entry_id=entry.pk)
    intro = (
        _("Entri ini sudah ditetapkan PPID; perubahan langsung berlaku dan dicatat di riwayat.")
        if entry.status == EntryStatus.ESTABLISHED
        else None
    )
    return _form_page(request, form, _("Ubah entri DIP"), entry, intro=intro)


@login_required
def entry_withdraw(request: StaffRequest, entry_id: int) -> HttpResponse:
    scope = scope_of(request)
    entry = _entry_or_404(scope, entry_id, manage=True)
    if (frozen := _frozen(request, entry)) is not None:
        return frozen
    form = WithdrawForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            services.entry_withdraw,
            entry=entry,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )[0]
    ):
        messages.success(request, _("Entri dicabut."))
        return redirect("dip:entry_detail", entry_id=entry.pk)
    return _form_page(
        request,
        form,
        _("Cabut entri DIP"),
        entry,
        intro=_("Entri yang dicabut tidak tampil lagi di situs publik dan tidak dapat diubah."),
        submit_label=_("Cabut entri"),
    )


@login_required
def entry_refresh(request: StaffRequest, entry_id: int) -> HttpResponse:
    scope = scope_of(request)
    entry = _entry_or_404(scope, entry_id, manage=True)
    if (frozen := _frozen(request, entry)) is not None:
        return frozen
    if entry.category != Category.BERKALA:
        messages.error(request, str(services.NOT_BERKALA))
        return redirect("dip:entry_detail", entry_id=entry.pk)
    today = local_today(entry.pemda)
    form = RefreshForm(request.POST or None, initial={"refreshed_on": today})
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            services.entry_refresh,
            entry=entry,
            actor=request.user,
            refreshed_on=form.cleaned_data["refreshed_on"],
        )[0]
    ):
        messages.success(request, _("Pembaruan informasi berkala dicatat."))
        return redirect("dip:entry_detail", entry_id=entry.pk)
    last = entry.refreshed_on.strftime("%d-%m-%Y") if entry.refreshed_on else "—"
    due = entry.refresh_due_on.strftime("%d-%m-%Y") if entry.refresh_due_on else "—"
    return _form_page(
        request,
        form,
        _("Catat pembaruan informasi berkala"),
        entry,
        intro=_("Terakhir diperbarui: %(last)s. Batas pembaruan berikutnya: %(due)s.")
        % {"last": last, "due": due},
    )


@login_required
def document_add(request: StaffRequest, entry_id: int) -> HttpResponse:
    scope = scope_of(request)
    entry = _entry_or_404(scope, entry_id, manage=True)
    if (frozen := _frozen(request, entry)) is not None:
        return frozen
    form = DocumentForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            services.document_add,
            entry=entry,
            actor=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data.get("file"),
            url=form.cleaned_data.get("url") or "",
        )[0]
    ):
        messages.success(request, _("Dokumen ditambahkan."))
        return redirect("dip:entry_detail", entry_id=entry.pk)
    return _form_page(request, form, _("Tambah dokumen"), entry)


@login_required
def version_add(request: StaffRequest, entry_id: int, document_id: int) -> HttpResponse:
    scope = scope_of(request)
    entry = _entry_or_404(scope, entry_id, manage=True)
    document = Document.objects.filter(pk=document_id, entry=entry, url="").first()
    if document is None:
        raise Http404
    if (frozen := _frozen(request, entry)) is not None:
        return frozen
    form = VersionForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            services.document_version_add,
            document=document,
            actor=request.user,
            upload=form.cleaned_data["file"],
        )[0]
    ):
        messages.success(request, _("Versi baru diunggah dan menjadi versi yang berlaku."))
        return redirect("dip:entry_detail", entry_id=entry.pk)
    return _form_page(
        request,
        form,
        _("Unggah versi baru: %(title)s") % {"title": document.title},
        entry,
        intro=_("Versi sebelumnya tetap disimpan dan dapat diunduh petugas."),
    )


def _download_name(version: DocumentVersion) -> str:
    """The uploader's file name, with an extension that matches the kind read from the
    content (a PNG uploaded as ``laporan.pdf`` downloads as ``laporan.png``)."""
    stem, extension = os.path.splitext(version.name)
    accepted = NAME_EXTENSIONS.get(version.kind, (services.EXTENSIONS[version.kind],))
    if extension.lower().lstrip(".") in accepted:
        return version.name
    return f"{stem or 'dokumen'}.{services.EXTENSIONS[version.kind]}"


@login_required
def version_download(request: StaffRequest, entry_id: int, version_id: int) -> FileResponse:
    """Any version of an entry's document, for the staff who see the entry, from private
    storage, always as an attachment with the type read from its content."""
    scope = scope_of(request)
    entry = _entry_or_404(scope, entry_id)
    version = DocumentVersion.objects.filter(pk=version_id, document__entry=entry).first()
    if version is None:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_download_name(version),
        content_type=CONTENT_TYPES.get(version.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- topics ----------------------------------------------------------------------------


def _manages_topics(scope: Scope) -> bool:
    return scope.is_operator or scope.has_role(Role.PPID_UTAMA)


@login_required
def topic_list(request: StaffRequest) -> HttpResponse:
    """The Pemda's DIP topics; the PPID Utama and operators add and rename them."""
    scope = scope_of(request)
    pemda = primary_pemda()
    if pemda is None or not _manages_topics(scope):
        raise Http404
    topics = list(
        Topic.objects.filter(pemda=pemda).annotate(entry_count=Count("entries")).order_by("name")
    )
    create_form = TopicForm(prefix="baru")
    rename_forms = {
        topic.pk: TopicForm(prefix=f"topik{topic.pk}", initial={"name": topic.name})
        for topic in topics
    }
    if request.method == "POST":
        target = _int(request.POST.get("topic"))
        if target is not None:
            topic = next((t for t in topics if t.pk == target), None)
            if topic is None:
                raise Http404
            form = rename_forms[target] = TopicForm(request.POST, prefix=f"topik{target}")
            call: Any = services.topic_rename
            kwargs: dict[str, Any] = {"topic": topic}
            done = _("Topik diganti nama.")
        else:
            form = create_form = TopicForm(request.POST, prefix="baru")
            call, kwargs, done = services.topic_create, {"pemda": pemda}, _("Topik ditambahkan.")
        if (
            form.is_valid()
            and attempt(form, call, actor=request.user, name=form.cleaned_data["name"], **kwargs)[0]
        ):
            messages.success(request, done)
            return redirect("dip:topic_list")
    return render(
        request,
        "public_information/staff/topic_list.html",
        {
            "create_form": create_form,
            "rows": [{"topic": topic, "form": rename_forms[topic.pk]} for topic in topics],
        },
    )


# --- dashboard -------------------------------------------------------------------------


def dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The staff dashboard's DIP panel (template ``public_information/staff/entry_panel.html``):
    for people with a part in the DIP, how many of their entries are drafts, need a refresh,
    or have a document whose text could not be read. Two queries."""
    scope = scope_of(request)
    try:
        entries = _entries_for(scope)
    except Http404:
        return None
    today = local_today()
    counts = entries.aggregate(
        total=Count("pk"),
        drafts=Count("pk", filter=Q(status=EntryStatus.DRAFT)),
        refresh=Count(
            "pk",
            filter=Q(
                category=Category.BERKALA,
                refresh_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
            )
            & ~Q(status=EntryStatus.WITHDRAWN),
        ),
        failed=Count(
            "pk",
            filter=Q(
                Exists(
                    Document.objects.filter(
                        entry=OuterRef("pk"), current__text_status=TextStatus.FAILED
                    )
                )
            ),
        ),
    )
    return {"dip": counts}
