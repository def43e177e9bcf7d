from django.utils.translation import gettext_lazy as _

from terbuka.core.actions import Action

PEMDA_UPDATED = Action("organization.pemda_updated", _("Data pemerintah daerah diubah"))
OPD_CREATED = Action("organization.opd_created", _("Perangkat daerah dibuat"))
OPD_UPDATED = Action("organization.opd_updated", _("Perangkat daerah diubah"))
UNIT_CREATED = Action("organization.unit_created", _("Unit kerja dibuat"))
UNIT_UPDATED = Action("organization.unit_updated", _("Unit kerja diubah"))
POSITION_CREATED = Action("organization.position_created", _("Jabatan dibuat"))
POSITION_UPDATED = Action("organization.position_updated", _("Jabatan diubah"))
HOLDING_STARTED = Action("organization.holding_started", _("Pemangku jabatan ditetapkan"))
HOLDING_ENDED = Action("organization.holding_ended", _("Masa jabatan diakhiri"))
DELEGATION_CREATED = Action("organization.delegation_created", _("Wewenang dilimpahkan"))
STRUCTURE_IMPORTED = Action("organization.structure_imported", _("Struktur organisasi diimpor"))
USER_CREATED = Action("organization.user_created", _("Akun petugas dibuat"))
