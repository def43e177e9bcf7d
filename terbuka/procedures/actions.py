from django.utils.translation import gettext_lazy as _

from terbuka.core.actions import Action

SOP_VERSION_CREATED = Action("procedures.sop_version_created", _("Revisi SOP disimpan"))
CASE_STARTED = Action("procedures.case_started", _("Kasus dimulai"))
STEP_COMPLETED = Action("procedures.step_completed", _("Langkah diselesaikan"))
STEP_RUN_BY_SYSTEM = Action("procedures.step_run_by_system", _("Langkah dijalankan sistem"))
STEP_CLAIMED = Action("procedures.step_claimed", _("Tugas diambil"))
STEP_REASSIGNED = Action("procedures.step_reassigned", _("Tugas dialihkan"))
CASE_COMPLETED = Action("procedures.case_completed", _("Kasus selesai"))
CASE_CANCELLED = Action("procedures.case_cancelled", _("Kasus dibatalkan"))
