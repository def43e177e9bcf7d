"""Consequence tests: the PPID's staff pages (list, record, detail with the classification
decision and the timeline, the agency head's approval) and the public list of exempt
information.

The PPID Utama records and approves tests; the other staff of an OPD see the tests of their
OPD (:func:`selectors.tests_visible`). A page a person may not use answers 404, as elsewhere.

The public list shows of an exempt entry only its title, the art. 17 grounds, the end of the
exemption and the number and date of the decision: the view builds plain rows from those
columns alone, so nothing else of the entry (summary, holder, documents) reaches a template.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from terbuka.core import audit
from terbuka.core.http import StaffRequest
from terbuka.core.views.forms import attempt
from terbuka.information_requests.forms import REFUSAL_GROUND_CHOICES
from terbuka.organizations.models import Pemda
from terbuka.organizations.selectors import local_today, primary_pemda, scope_of
from terbuka.public_information import exemptions, selectors
from terbuka.public_information.forms_exemptions import ApproveForm, ConsequenceTestForm
from terbuka.public_information.letters import classification_pdf, exemption_period
from terbuka.public_information.models import ConsequenceTest, DipEntry

GROUND_LABELS = dict(REFUSAL_GROUND_CHOICES)
DUE_PARAM = "perlu_uji_ulang"


def _pemda_or_404() -> Pemda:
    pemda = primary_pemda()
    if pemda is None:
        raise Http404
    return pemda


def _visible_or_404(request: StaffRequest, test_id: int) -> ConsequenceTest:
    test = (
        selectors.tests_visible(scope_of(request))
        .select_related("pemda", "decided_by")
        .filter(pk=test_id)
        .first()
    )
    if test is None:
        raise Http404
    return test


def _establishes_or_404(request: StaffRequest, pemda: Pemda) -> None:
    if not exemptions.may_establish(scope_of(request), pemda.pk):
        raise Http404


@login_required
def test_list(request: StaffRequest) -> HttpResponse:
    """The consequence tests the person sees, newest first; ``?perlu_uji_ulang=1`` keeps the
    exemptions that end within 30 days or have ended."""
    scope = scope_of(request)
    today = local_today()
    due_only = request.GET.get(DUE_PARAM) == "1"
    due = {test.pk for test in exemptions.exemptions_due(today)}
    tests = selectors.tests_visible(scope)
    if due_only:
        tests = tests.filter(pk__in=due)
    page = Paginator(tests.order_by("-decided_on", "-pk"), 50).get_page(request.GET.get("halaman"))
    covered = exemptions.covered_entry_ids(page)
    rows = [
        {
            "test": test,
            "grounds": ", ".join(sorted(test.grounds)),
            "due": test.pk in due,
            "covered": len(covered.get(test.pk, [])),
        }
        for test in page
    ]
    return render(
        request,
        "public_information/staff/test_list.html",
        {
            "page": page,
            "rows": rows,
            "due_only": due_only,
            "due_param": DUE_PARAM,
            "can_record": selectors.can_establish(scope),
            "window": exemptions.RETEST_WINDOW_DAYS,
        },
    )


def _default_place(pemda: Pemda) -> str:
    """Where a decision is made by default: the Pemda's name without "Pemerintah …"."""
    for prefix in ("Pemerintah Kabupaten ", "Pemerintah Kota ", "Pemerintah Provinsi "):
        if pemda.name.startswith(prefix):
            return pemda.name[len(prefix) :]
    return pemda.name


@login_required
def test_create(request: StaffRequest) -> HttpResponse:
    """The PPID Utama records a consequence test."""
    pemda = _pemda_or_404()
    _establishes_or_404(request, pemda)
    today = local_today(pemda)
    form = ConsequenceTestForm(
        request.POST or None,
        pemda=pemda,
        today=today,
        initial={"decided_on": today, "place": _default_place(pemda)},
    )
    if request.method == "POST" and form.is_valid():
        ok, test = attempt(
            form,
            exemptions.test_record,
            opd=form.cleaned_data["opd"],
            actor=request.user,
            data=form.assessment(),
            entries=list(form.cleaned_data["entries"]),
        )
        if ok and test is not None:
            messages.success(request, _("Uji konsekuensi dicatat."))
            return redirect("dip:test_detail", test_id=test.pk)
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": _("Catat uji konsekuensi"),
            "intro": _(
                "Uji konsekuensi dijalankan PPID dan disetujui pimpinan badan publik. "
                "Alasan pasal 17 huruf a–f tidak bersifat permanen: isi tanggal berakhirnya "
                "pengecualian."
            ),
            "cancel_url": reverse("dip:test_list"),
            "breadcrumbs": [{"label": _("Uji konsekuensi"), "url": reverse("dip:test_list")}],
        },
    )


@login_required
def test_detail(request: StaffRequest, test_id: int) -> HttpResponse:
    test = _visible_or_404(request, test_id)
    scope = scope_of(request)
    return render(
        request,
        "public_information/staff/test_detail.html",
        {
            "test": test,
            "grounds": [(letter, GROUND_LABELS.get(letter, letter)) for letter in test.grounds],
            "period": exemption_period(test),
            "entries": exemptions.covered_entries(test),
            "events": audit.timeline(test),
            "can_approve": not test.is_approved and exemptions.may_establish(scope, test.pemda_id),
        },
    )


@login_required
def test_approve(request: StaffRequest, test_id: int) -> HttpResponse:
    """The PPID Utama records the agency head's approval; the decision gets its number."""
    test = _visible_or_404(request, test_id)
    _establishes_or_404(request, test.pemda)
    if test.is_approved:
        messages.info(request, _("Uji konsekuensi ini sudah disetujui."))
        return redirect("dip:test_detail", test_id=test.pk)
    form = ApproveForm(request.POST or None, initial={"approved_on": local_today(test.pemda)})
    if request.method == "POST" and form.is_valid():
        ok, approved = attempt(
            form, exemptions.test_approve, test=test, actor=request.user, **form.cleaned_data
        )
        if ok and approved is not None:
            messages.success(
                request,
                _("Uji konsekuensi disetujui dengan nomor %(number)s.")
                % {"number": approved.number},
            )
            return redirect("dip:test_detail", test_id=test.pk)
    detail_url = reverse("dip:test_detail", args=[test.pk])
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": _("Persetujuan pimpinan badan publik"),
            "intro": _(
                "Catat persetujuan pimpinan atas uji konsekuensi “%(information)s”. Nomor "
                "penetapan diberikan saat persetujuan disimpan."
            )
            % {"information": test.information[:200]},
            "cancel_url": detail_url,
            "breadcrumbs": [
                {"label": _("Uji konsekuensi"), "url": reverse("dip:test_list")},
                {"label": str(test), "url": detail_url},
            ],
        },
    )


@login_required
def test_pdf(request: StaffRequest, test_id: int) -> HttpResponse:
    """The Surat Penetapan Klasifikasi Informasi (a draft until approved)."""
    test = _visible_or_404(request, test_id)
    response = HttpResponse(classification_pdf(test), content_type="application/pdf")
    name = (test.number or f"draf-{test.pk}").replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="penetapan-klasifikasi-{name}.pdf"'
    return response


# -- the public list of exempt information -------------------------------------------------------


@dataclass(frozen=True)
class ExemptRow:
    """What the public sees of one exempt entry — and nothing more."""

    title: str
    grounds: tuple[tuple[str, str], ...]
    until: dt.date | None
    """None: the exemption is not limited in time (grounds g–j)."""
    number: str
    decided_on: dt.date | None


def _exempt_rows(pemda: Pemda) -> list[tuple[str, list[ExemptRow]]]:
    """The Pemda's established exempt entries grouped by body, in one query that reads only
    the columns shown."""
    entries = (
        DipEntry.objects.exempt_list()
        .filter(pemda=pemda)
        .select_related("opd", "exemption")
        .only(
            "title",
            "opd",
            "opd__name",
            "exemption",
            "exemption__number",
            "exemption__grounds",
            "exemption__exempt_until",
            "exemption__approved_on",
        )
        .order_by("opd__name", "opd_id", "title", "id")
    )
    groups = []
    for body, items in itertools.groupby(entries, key=lambda entry: entry.opd.name):
        rows = []
        for entry in items:
            test = entry.exemption
            rows.append(
                ExemptRow(
                    title=entry.title,
                    grounds=tuple(
                        (letter, str(GROUND_LABELS.get(letter, letter)))
                        for letter in sorted(test.grounds if test else [])
                    ),
                    until=test.exempt_until if test else None,
                    number=test.number if test else "",
                    decided_on=test.approved_on if test else None,
                )
            )
        groups.append((body, rows))
    return groups


def exempt_list(request: HttpRequest) -> HttpResponse:
    """Daftar informasi yang dikecualikan: what is closed, on which art. 17 grounds, until
    when, by which decision."""
    pemda = primary_pemda()
    groups = _exempt_rows(pemda) if pemda is not None else []
    return render(request, "public_information/public/exempt_list.html", {"groups": groups})
