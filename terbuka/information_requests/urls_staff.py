from django.urls import path

from terbuka.information_requests.views import staff

app_name = "ppid"
urlpatterns = [
    path("", staff.register, name="register"),
    path("loket/", staff.intake, name="intake"),
    path("<int:request_id>/", staff.detail, name="detail"),
    path("<int:request_id>/<slug:action>/", staff.act, name="act"),
]
