from django.conf import settings
from django.conf.urls.static import static
from django.urls import URLPattern, URLResolver, include, path

from terbuka.api import api
from terbuka.core.views import language

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("terbuka.portal.urls")),
    path("bahasa/", language.language_switch, name="set_language"),
    path("permohonan-informasi/", include("terbuka.information_requests.urls")),
    path("informasi-publik/", include("terbuka.public_information.urls")),
    path("staff/", include("terbuka.core.urls_staff")),
    path("staff/organisasi/", include("terbuka.organizations.urls_staff")),
    path("staff/kalender/", include("terbuka.workcalendar.urls_staff")),
    path("staff/ppid/laporan/", include("terbuka.information_requests.urls_reports")),
    path("staff/ppid/", include("terbuka.information_requests.urls_staff")),
    path("staff/dip/", include("terbuka.public_information.urls_staff")),
    path("staff/sop/kinerja/", include("terbuka.procedures.urls_measurement")),
    path("staff/sop/", include("terbuka.procedures.urls_staff")),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
