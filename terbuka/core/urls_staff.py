from django.urls import path

from terbuka.core.views import outbox, staff

app_name = "staff"
urlpatterns = [
    path("", staff.dashboard_view, name="dashboard"),
    path("masuk/", staff.LoginView.as_view(), name="login"),
    path("keluar/", staff.LogoutView.as_view(), name="logout"),
    path("audit/", staff.audit_log, name="audit_log"),
    path("kotak-keluar/", outbox.outbox_list, name="outbox"),
    path(
        "kotak-keluar/<int:message_id>/kirim-ulang/",
        outbox.outbox_retry_view,
        name="outbox_retry",
    ),
]
