from django.urls import path

from terbuka.information_requests.views import staff

app_name = "ppid"
urlpatterns = [
    path("", staff.register, name="register"),
    path("loket/", staff.intake, name="intake"),
    path("pengaturan/", staff.settings_edit, name="settings"),
    path("keberatan/", staff.objection_register, name="objections"),
    path("keberatan/<int:objection_id>/jawab/", staff.objection_answer, name="objection_answer"),
    path("sengketa/<int:dispute_id>/", staff.dispute_update, name="dispute_update"),
    path("<int:request_id>/", staff.detail, name="detail"),
    path(
        "<int:request_id>/berkas-langkah/<int:file_id>/", staff.step_file_download, name="step_file"
    ),
    path("<int:request_id>/<slug:action>/", staff.act, name="act"),
]
