from django.urls import path

from terbuka.organizations.views import staff

app_name = "organizations"
urlpatterns = [
    path("", staff.opd_list, name="opd_list"),
    path("pemda/", staff.pemda_edit, name="pemda_edit"),
    path("tambah/", staff.opd_create, name="opd_create"),
    path("impor/", staff.import_structure, name="import"),
    path("<int:opd_id>/", staff.opd_detail, name="opd_detail"),
    path("<int:opd_id>/ubah/", staff.opd_edit, name="opd_edit"),
    path("<int:opd_id>/unit/tambah/", staff.unit_edit, name="unit_create"),
    path("<int:opd_id>/unit/<int:unit_id>/ubah/", staff.unit_edit, name="unit_edit"),
    path("<int:opd_id>/jabatan/tambah/", staff.position_edit, name="position_create"),
    path("<int:opd_id>/jabatan/<int:position_id>/ubah/", staff.position_edit, name="position_edit"),
    path(
        "<int:opd_id>/jabatan/<int:position_id>/pemangku/",
        staff.holding_create,
        name="holding_create",
    ),
    path("pemangku/<int:holding_id>/akhiri/", staff.holding_end, name="holding_end"),
    path("pemangku/<int:holding_id>/limpahkan/", staff.delegation_create, name="delegation_create"),
]
