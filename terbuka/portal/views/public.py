"""The public site: home, about, contact."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from terbuka.organizations.models import Opd, TimeZone
from terbuka.organizations.selectors import primary_pemda
from terbuka.public_information.models import Category
from terbuka.public_information.selectors import public_entries
from terbuka.workcalendar.selectors import office_hours_rows

SERVICES = [
    {
        "title": _("Permohonan informasi"),
        "text": _("Ajukan permohonan informasi publik kepada PPID dan pantau prosesnya."),
        "url": reverse_lazy("information_requests:form"),
    },
    {
        "title": _("Daftar Informasi Publik"),
        "text": _("Telusuri informasi yang tersedia setiap saat, berkala dan serta merta."),
        "url": reverse_lazy("public_information:browse"),
    },
    {
        "title": _("Pengaduan dan aspirasi"),
        "text": _("Sampaikan pengaduan atau aspirasi tentang layanan pemerintah daerah."),
    },
    {
        "title": _("Data sektoral"),
        "text": _("Statistik sektoral perangkat daerah dalam kerangka Satu Data Indonesia."),
    },
]


#: Serta merta notices listed on the home page, newest first.
SERTA_MERTA_ON_HOME = 5


def _exempt_list_url() -> str:
    """The public list of exempt information, once its page exists."""
    try:
        return reverse("public_information:exempt_list")
    except NoReverseMatch:
        return ""


def home(request: HttpRequest) -> HttpResponse:
    pemda = primary_pemda()
    opds = Opd.objects.filter(pemda=pemda, is_active=True).only("name") if pemda else []
    serta_merta = (
        public_entries()
        .filter(pemda=pemda, category=Category.SERTA_MERTA)
        .order_by(F("published_at").desc(nulls_last=True), "-id")[:SERTA_MERTA_ON_HOME]
        if pemda
        else []
    )
    return render(
        request,
        "portal/home.html",
        {
            "services": SERVICES,
            "opds": opds,
            "serta_merta": serta_merta,
            "exempt_list_url": _exempt_list_url(),
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about.html")


def contact(request: HttpRequest) -> HttpResponse:
    pemda = primary_pemda()
    rows: list[dict[str, object]] = []
    zone_label = ""
    if pemda is not None:
        rows = office_hours_rows(pemda)
        zone_label = TimeZone(pemda.time_zone).label.split(" ")[0]
    return render(request, "portal/contact.html", {"office_hours": rows, "zone_label": zone_label})
