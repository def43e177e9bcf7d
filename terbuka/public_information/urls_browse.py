"""Public URLs of the DIP, under ``/informasi-publik/``: browse and search, an entry, its
documents, and suggestions for the request form."""

from django.urls import URLPattern, path

from terbuka.public_information.views import public

urlpatterns: list[URLPattern] = [
    path("", public.browse, name="browse"),
    path("<int:entry_id>/", public.entry_page, name="entry"),
    path("dokumen/<int:document_id>/unduh/", public.download, name="download"),
    path("dokumen/<int:document_id>/lihat/", public.preview, name="preview"),
    path("saran/", public.suggest, name="suggest"),
]
