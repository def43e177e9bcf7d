from django.urls import path

from terbuka.workcalendar.views import staff

app_name = "workcalendar"
urlpatterns = [
    path("", staff.year_view, name="year"),
    path("tambah/", staff.day_add, name="day_add"),
    path("<int:day_id>/ubah/", staff.day_edit, name="day_edit"),
    path("<int:day_id>/hapus/", staff.day_remove, name="day_remove"),
    path("isi-otomatis/", staff.seed_year, name="seed"),
    path("jam-kerja/", staff.office_hours_edit, name="office_hours"),
]
