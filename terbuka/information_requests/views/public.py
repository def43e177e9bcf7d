"""The public's way in: the request form, the receipt, the tracking page."""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from terbuka.core import clock
from terbuka.core.errors import DomainError
from terbuka.core.ratelimit import over_limit
from terbuka.core.views.forms import attempt
from terbuka.information_requests import objections, services
from terbuka.information_requests.forms import DisputeForm, ObjectionForm, RequestForm
from terbuka.information_requests.models import (
    REQUESTER_VISIBLE,
    AttachmentKind,
    InformationRequest,
    RequestAttachment,
    RequesterReaction,
)
from terbuka.information_requests.receipt import receipt_pdf
from terbuka.information_requests.tracking import milestones
from terbuka.organizations.selectors import primary_pemda

DOWNLOAD_MAX_AGE = 60 * 60 * 24  # links to delivered files expire after a day
SUBMISSIONS_PER_HOUR = 10
EXPIRED = gettext_lazy("Tautan unduhan sudah kedaluwarsa; buka lagi halaman pelacakan.")
_signer = signing.Signer(salt="information_requests.download")


def _download_signature(request_id: int, attachment_id: int) -> str:
    """A signed link value that names its own expiry (read against the clock seam)."""
    expires = int(clock.now().timestamp()) + DOWNLOAD_MAX_AGE
    return _signer.sign(f"{request_id}.{attachment_id}.{expires}")


def request_form(request: HttpRequest) -> HttpResponse:
    pemda = primary_pemda()
    if pemda is None:
        raise Http404
    initial: dict[str, object] = {"submission_key": secrets.token_urlsafe(24)}
    if request.method == "GET":
        # Pre-filled from a link ("request this information" on a DIP entry).
        initial["information"] = request.GET.get("informasi", "")[:2000]
        opd = request.GET.get("opd", "")
        if opd.isdecimal() and len(opd) <= 18:
            initial["opd"] = int(opd)
    form = RequestForm(
        request.POST or None, request.FILES or None, pemda_id=pemda.pk, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["submission_key"]
        existing = InformationRequest.objects.filter(submission_key=key).first()
        if existing is not None:  # the same form sent twice: one request
            return redirect("information_requests:receipt", token=existing.tracking_token)
        if over_limit(request, "information_request", SUBMISSIONS_PER_HOUR, 3600):
            form.add_error(
                None,
                _(
                    "Terlalu banyak permohonan dari alamat ini dalam satu jam. "
                    "Silakan coba lagi nanti."
                ),
            )
        else:
            upload = form.cleaned_data.get("identity_file")
            kind = {"badan_hukum": AttachmentKind.DEED, "kuasa": AttachmentKind.POWER_OF_ATTORNEY}
            try:
                created = services.request_register(
                    pemda=pemda,
                    opd=form.cleaned_data["opd"],
                    requester=form.requester(get_language() or "id"),
                    asked=form.asked(),
                    channel="situs",
                    submission_key=key,
                    files=[
                        (
                            kind.get(form.cleaned_data["requester_kind"], AttachmentKind.IDENTITY),
                            upload,
                        )
                    ]
                    if upload
                    else [],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                return redirect("information_requests:receipt", token=created.tracking_token)
    return render(request, "information_requests/public/form.html", {"form": form})


def _by_token(token: str) -> InformationRequest:
    return get_object_or_404(
        InformationRequest.objects.select_related("handling_opd", "opd", "pemda"),
        tracking_token=token,
    )


def receipt(request: HttpRequest, token: str) -> HttpResponse:
    found = _by_token(token)
    return render(request, "information_requests/public/receipt.html", {"item": found})


def receipt_download(request: HttpRequest, token: str) -> HttpResponse:
    found = _by_token(token)
    response = HttpResponse(receipt_pdf(found), content_type="application/pdf")
    safe = found.number.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="tanda-bukti-{safe}.pdf"'
    response["X-Robots-Tag"] = "noindex"
    return response


@cache_control(private=True, no_store=True)
def track(request: HttpRequest, token: str) -> HttpResponse:
    found = _by_token(token)
    today = clock.today_in(ZoneInfo(found.pemda.time_zone))
    grounds = objections.open_grounds(found, today)
    files = [
        {"attachment": attachment, "signature": _download_signature(found.pk, attachment.pk)}
        for attachment in found.attachments.filter(kind__in=REQUESTER_VISIBLE)
    ]
    return render(
        request,
        "information_requests/public/track.html",
        {
            "item": found,
            "milestones": milestones(found),
            "files": files,
            "objection_form": ObjectionForm(grounds=grounds) if grounds else None,
            "objections": found.objections.select_related("dispute"),
            "dispute_form": DisputeForm(initial={"filed_on": today}),
        },
    )


@require_POST
def objection_file(request: HttpRequest, token: str) -> HttpResponse:
    """The requester files an objection from the tracking page while its window is open."""
    found = _by_token(token)
    today = clock.today_in(ZoneInfo(found.pemda.time_zone))
    form = ObjectionForm(request.POST, grounds=objections.open_grounds(found, today))
    if form.is_valid():
        ok, objection = attempt(
            form,
            objections.objection_file,
            request=found,
            ground=form.cleaned_data["ground"],
            case_position=form.cleaned_data["case_position"],
            proxy_name=form.cleaned_data["proxy_name"],
        )
        if ok and objection is not None:
            messages.success(
                request, _("Keberatan %(number)s terdaftar.") % {"number": objection.number}
            )
            return redirect("information_requests:track", token=token)
    return render(
        request, "information_requests/public/objection_error.html", {"item": found, "form": form}
    )


@require_POST
def objection_react(request: HttpRequest, token: str, objection_id: int) -> HttpResponse:
    found = _by_token(token)
    objection = get_object_or_404(found.objections, pk=objection_id)
    reaction = request.POST.get("reaction", "")
    if reaction not in RequesterReaction.values:
        raise Http404
    try:
        objections.objection_react(objection=objection, reaction=reaction)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("information_requests:track", token=token)


@require_POST
def dispute_record(request: HttpRequest, token: str, objection_id: int) -> HttpResponse:
    """The requester records that the dispute went to the Komisi Informasi."""
    found = _by_token(token)
    objection = get_object_or_404(found.objections, pk=objection_id)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tanggal tidak valid."))
        return redirect("information_requests:track", token=token)
    try:
        objections.dispute_record(objection=objection, filed_on=form.cleaned_data["filed_on"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sengketa ke Komisi Informasi dicatat."))
    return redirect("information_requests:track", token=token)


@require_GET
def download(request: HttpRequest, token: str, signature: str) -> FileResponse:
    """A delivered file or notice, through a link that expires after a day."""
    found = _by_token(token)
    try:
        request_id, attachment_id, expires = _signer.unsign(signature).split(".")
    except (signing.BadSignature, ValueError) as error:
        raise Http404 from error
    if int(expires) < clock.now().timestamp():
        raise Http404(EXPIRED)
    if int(request_id) != found.pk:
        raise Http404
    attachment = get_object_or_404(
        RequestAttachment, pk=int(attachment_id), request=found, kind__in=REQUESTER_VISIBLE
    )
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name
    )
    response["X-Robots-Tag"] = "noindex"
    return response
