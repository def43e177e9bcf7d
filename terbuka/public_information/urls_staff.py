"""Staff URLs of the Daftar Informasi Publik, under ``/staff/dip/``."""

from django.urls import URLPattern

from terbuka.public_information import urls_cycle, urls_entries, urls_exemptions, urls_reports

app_name = "dip"
urlpatterns: list[URLPattern] = [
    *urls_entries.urlpatterns,
    *urls_cycle.urlpatterns,
    *urls_exemptions.urlpatterns,
    *urls_reports.urlpatterns,
]
