from django.utils.translation import gettext_lazy as _

from terbuka.core.actions import Action

DAY_ADDED = Action("workcalendar.day_added", _("Hari libur ditambahkan"))
DAY_RENAMED = Action("workcalendar.day_renamed", _("Hari libur diubah"))
DAY_REMOVED = Action("workcalendar.day_removed", _("Hari libur dihapus"))
DAY_RESTORED = Action("workcalendar.day_restored", _("Hari libur dipulihkan"))
YEAR_SEEDED = Action("workcalendar.year_seeded", _("Hari libur nasional diisi otomatis"))
HOURS_SET = Action("workcalendar.office_hours_set", _("Jam kerja diubah"))
