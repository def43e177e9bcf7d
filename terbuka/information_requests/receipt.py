"""The receipt (tanda bukti) of a request, as a PDF on the Pemda's letterhead."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from terbuka.information_requests.models import InformationRequest
from terbuka.information_requests.notify import tracking_url


def receipt_pdf(request: InformationRequest) -> bytes:
    html = render_to_string(
        "information_requests/receipt_pdf.html",
        {"item": request, "url": tracking_url(request)},
    )
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
