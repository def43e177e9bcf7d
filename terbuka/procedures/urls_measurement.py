from django.urls import path

from terbuka.procedures.views import measurement

app_name = "measurement"
urlpatterns = [
    path("", measurement.dashboard, name="dashboard"),
    path("ekspor.xlsx", measurement.export_xlsx, name="export"),
    path("monitoring/", measurement.monitoring_form, name="monitoring"),
]
