from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    name = "terbuka.workcalendar"
    verbose_name = _("Kalender kerja")

    def ready(self) -> None:
        # Declares this app's audit actions (with their labels) at start-up.
        from terbuka.workcalendar import actions  # noqa: F401
