"""The project's URLs plus the SOP performance pages at /staff/sop/kinerja/, for tests.

The pages come first so that ``staff/sop/<slug:code>/`` does not take ``kinerja/``; if
``terbuka.urls`` already includes them, that copy is left out.
"""

from django.urls import URLPattern, URLResolver, include, path

from terbuka.urls import urlpatterns as base

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/sop/kinerja/", include("terbuka.procedures.urls_measurement")),
    *(pattern for pattern in base if getattr(pattern, "namespace", None) != "measurement"),
]
