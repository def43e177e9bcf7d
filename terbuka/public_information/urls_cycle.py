"""URLs of the DIP cycle (under ``/staff/dip/``, namespace ``dip``): submissions from the
OPDs, their receipt, verification and report, and the PPID's decrees."""

from django.urls import URLPattern, path

from terbuka.public_information.views import cycle

urlpatterns: list[URLPattern] = [
    path("pengajuan/", cycle.submission_list, name="submission_list"),
    path("pengajuan/baru/", cycle.submission_create, name="submission_create"),
    path("pengajuan/<int:submission_id>/", cycle.submission_detail, name="submission_detail"),
    path(
        "pengajuan/<int:submission_id>/terima/",
        cycle.submission_acknowledge,
        name="submission_acknowledge",
    ),
    path(
        "pengajuan/<int:submission_id>/verifikasi/",
        cycle.submission_verify,
        name="submission_verify",
    ),
    path(
        "pengajuan/<int:submission_id>/ajukan-ulang/",
        cycle.submission_resubmit,
        name="submission_resubmit",
    ),
    path(
        "pengajuan/<int:submission_id>/laporkan/",
        cycle.submission_report,
        name="submission_report",
    ),
    path(
        "pengajuan/<int:submission_id>/tanda-terima.pdf",
        cycle.submission_receipt_pdf,
        name="submission_receipt_pdf",
    ),
    path("penetapan/", cycle.decree_list, name="decree_list"),
    path("penetapan/baru/", cycle.decree_create, name="decree_create"),
    path("penetapan/<int:decree_id>/", cycle.decree_detail, name="decree_detail"),
    path("penetapan/<int:decree_id>/keputusan.pdf", cycle.decree_pdf, name="decree_pdf"),
]
