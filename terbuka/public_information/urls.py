"""Public URLs of the Daftar Informasi Publik, under ``/informasi-publik/``."""

from django.urls import URLPattern

from terbuka.public_information import urls_browse, urls_exemptions

app_name = "public_information"
urlpatterns: list[URLPattern] = [
    *urls_browse.urlpatterns,
    *urls_exemptions.public_urlpatterns,
]
