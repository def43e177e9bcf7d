"""URLs of the DIP: staff management of entries, their documents and the topics (under
``/staff/dip/``, namespace ``dip``)."""

from django.urls import URLPattern, path

from terbuka.public_information.views import entries

urlpatterns: list[URLPattern] = [
    path("entri/", entries.entry_list, name="entry_list"),
    path("entri/baru/", entries.entry_create, name="entry_create"),
    path("entri/<int:entry_id>/", entries.entry_detail, name="entry_detail"),
    path("entri/<int:entry_id>/ubah/", entries.entry_edit, name="entry_edit"),
    path("entri/<int:entry_id>/cabut/", entries.entry_withdraw, name="entry_withdraw"),
    path("entri/<int:entry_id>/perbarui/", entries.entry_refresh, name="entry_refresh"),
    path("entri/<int:entry_id>/dokumen/baru/", entries.document_add, name="document_add"),
    path(
        "entri/<int:entry_id>/dokumen/<int:document_id>/versi/baru/",
        entries.version_add,
        name="version_add",
    ),
    path(
        "entri/<int:entry_id>/versi/<int:version_id>/unduh/",
        entries.version_download,
        name="version_download",
    ),
    path("topik/", entries.topic_list, name="topic_list"),
]
