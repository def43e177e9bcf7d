"""The project's URLs plus the PPID reports at /staff/ppid/laporan/, for tests.

The reports come first so that no pattern under ``staff/ppid/`` takes ``laporan/``; if
``terbuka.urls`` already includes them, that copy is left out.
"""

from django.urls import URLPattern, URLResolver, include, path

from terbuka.urls import urlpatterns as base

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/ppid/laporan/", include("terbuka.information_requests.urls_reports")),
    *(pattern for pattern in base if getattr(pattern, "namespace", None) != "ppid_reports"),
]
