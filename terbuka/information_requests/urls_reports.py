from django.urls import path

from terbuka.information_requests.views import reports

app_name = "ppid_reports"
urlpatterns = [
    path("", reports.report_view, name="report"),
    path("langsung/", reports.live_dashboard_view, name="live"),
    path("laporan.pdf", reports.report_pdf, name="report_pdf"),
    path("laporan.xlsx", reports.report_xlsx, name="report_xlsx"),
    path("register.xlsx", reports.register_xlsx, name="register_xlsx"),
    path("register.pdf", reports.register_pdf, name="register_pdf"),
    path("keberatan.xlsx", reports.objection_register_xlsx, name="objection_register_xlsx"),
    path("keberatan.pdf", reports.objection_register_pdf, name="objection_register_pdf"),
]
