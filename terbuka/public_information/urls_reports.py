"""URLs of the DIP: import from XLSX, the DIP in its official columns (XLSX, PDF), and the
monthly availability and six-monthly monitoring reports (under ``/staff/dip/``, namespace
``dip``)."""

from django.urls import URLPattern, path

from terbuka.public_information.views import reports

urlpatterns: list[URLPattern] = [
    path("laporan/", reports.reports_home, name="reports"),
    path("impor/", reports.import_dip, name="import"),
    path("impor/templat-dip.xlsx", reports.import_template, name="import_template"),
    path("ekspor/dip.xlsx", reports.export_xlsx, name="export_xlsx"),
    path("ekspor/dip.pdf", reports.export_pdf, name="export_pdf"),
    path("laporan/bulanan/", reports.report_monthly, name="report_monthly"),
    path("laporan/bulanan.xlsx", reports.report_monthly_xlsx, name="report_monthly_xlsx"),
    path("laporan/bulanan.pdf", reports.report_monthly_pdf, name="report_monthly_pdf"),
    path("laporan/monev/", reports.report_monitoring, name="report_monitoring"),
    path("laporan/monev.xlsx", reports.report_monitoring_xlsx, name="report_monitoring_xlsx"),
    path("laporan/monev.pdf", reports.report_monitoring_pdf, name="report_monitoring_pdf"),
]
