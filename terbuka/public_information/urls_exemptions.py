"""URLs of the DIP: consequence tests (staff) and the list of exempt information (public)."""

from django.urls import URLPattern, path

from terbuka.public_information.views import exemptions

# Staff pages, under /staff/dip/ (namespace ``dip``).
urlpatterns: list[URLPattern] = [
    path("uji-konsekuensi/", exemptions.test_list, name="test_list"),
    path("uji-konsekuensi/baru/", exemptions.test_create, name="test_create"),
    path("uji-konsekuensi/<int:test_id>/", exemptions.test_detail, name="test_detail"),
    path("uji-konsekuensi/<int:test_id>/setujui/", exemptions.test_approve, name="test_approve"),
    path(
        "uji-konsekuensi/<int:test_id>/penetapan-klasifikasi.pdf",
        exemptions.test_pdf,
        name="test_pdf",
    ),
]
# Public pages, under /informasi-publik/ (namespace ``public_information``).
public_urlpatterns: list[URLPattern] = [
    path("dikecualikan/", exemptions.exempt_list, name="exempt_list"),
]
