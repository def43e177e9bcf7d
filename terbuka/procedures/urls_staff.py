from django.urls import path

from terbuka.procedures.views import staff

app_name = "procedures"
urlpatterns = [
    path("", staff.sop_list, name="sop_list"),
    path("baru/", staff.sop_edit, name="sop_create"),
    path("tugas/", staff.inbox_view, name="inbox"),
    path("tugas/terlambat/", staff.overdue_view, name="overdue"),
    path("tugas/<int:run_id>/", staff.task_detail, name="task"),
    path("tugas/<int:run_id>/ambil/", staff.task_claim, name="task_claim"),
    path("tugas/<int:run_id>/alihkan/", staff.task_reassign, name="task_reassign"),
    path("kasus/", staff.case_list, name="case_list"),
    path("kasus/<int:case_id>/", staff.case_detail, name="case_detail"),
    path("kasus/<int:case_id>/batalkan/", staff.case_cancel, name="case_cancel"),
    path("<slug:code>/", staff.sop_detail, name="sop_detail"),
    path("<slug:code>/ubah/", staff.sop_edit, name="sop_edit"),
    path("<slug:code>/mulai/", staff.case_start, name="case_start"),
    path("<slug:code>/lembar/", staff.sop_sheet, name="sop_sheet"),
    path("<slug:code>/lembar.pdf", staff.sop_sheet_pdf_view, name="sop_pdf"),
    path("<slug:code>/bpmn/", staff.sop_bpmn, name="sop_bpmn"),
]
