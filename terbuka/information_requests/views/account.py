"""The requester's own list of requests ("Permohonan saya"), reached through an e-mailed link."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from terbuka.core.forms import StaffForm
from terbuka.core.ratelimit import over_limit
from terbuka.information_requests import account
from terbuka.information_requests.identity import mask_email

PER_PAGE = 20
LINK_REQUESTS_PER_HOUR = 10  # per client address, like the request form
RATE_LIMITED = _(
    "Terlalu banyak permintaan tautan dari alamat ini dalam satu jam. Silakan coba lagi nanti."
)
SIGNED_OUT = _("Anda sudah keluar. Daftar permohonan tidak lagi ditampilkan di peramban ini.")
LOGOUT_FIELD = "keluar"

# The list is personal: never kept by a shared cache or the browser's history cache.
private_page = cache_control(private=True, no_store=True)


class MineForm(StaffForm):
    email = forms.EmailField(
        label=_("Alamat surel"),
        max_length=254,
        help_text=_("Alamat surel yang Anda tulis saat mengajukan permohonan."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _list(request: HttpRequest, email: str) -> HttpResponse:
    page = Paginator(account.mine_requests(email=email), PER_PAGE).get_page(
        request.GET.get("halaman")
    )
    return render(
        request,
        "information_requests/public/mine_list.html",
        {"page": page, "masked_email": mask_email(email)},
    )


@private_page
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """The address form, or the list once a link has been opened in this session."""
    if request.method == "POST" and LOGOUT_FIELD in request.POST:
        account.session_forget(request.session)
        messages.info(request, SIGNED_OUT)
        return redirect("information_requests:mine")
    remembered = account.session_email(request.session)
    if request.method == "GET" and remembered is not None:
        return _list(request, remembered)
    form = MineForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, "information_requests.mine", LINK_REQUESTS_PER_HOUR, 3600):
            form.add_error(None, RATE_LIMITED)
            status = 429
        else:
            account.mine_link_send(email=form.cleaned_data["email"])
            return render(
                request,
                "information_requests/public/mine.html",
                {"form": MineForm(), "sent_to": form.cleaned_data["email"]},
            )
    return render(request, "information_requests/public/mine.html", {"form": form}, status=status)


@private_page
@require_GET
def mine_list(request: HttpRequest, token: str) -> HttpResponse:
    """The list behind an e-mailed link; the address is remembered for the session."""
    try:
        email = account.mine_token_read(token=token)
    except account.LinkExpired as error:
        return _link_refused(request, error, status=410)
    except account.LinkInvalid as error:
        return _link_refused(request, error, status=400)
    account.session_remember(request.session, email=email)
    return _list(request, email)


def _link_refused(request: HttpRequest, error: account.LinkInvalid, *, status: int) -> HttpResponse:
    return render(
        request,
        "information_requests/public/mine_invalid.html",
        {"message": str(error), "form": MineForm()},
        status=status,
    )
