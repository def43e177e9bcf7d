from django.urls import path

from terbuka.core.views import staff

app_name = "staff"
urlpatterns = [
    path("", staff.dashboard_view, name="dashboard"),
    path("masuk/", staff.LoginView.as_view(), name="login"),
    path("keluar/", staff.LogoutView.as_view(), name="logout"),
    path("audit/", staff.audit_log, name="audit_log"),
]
