from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "terbuka.procedures"
    verbose_name = _("Standar operasional prosedur")

    def ready(self) -> None:
        # Registers the dashboard panel (the module's import has that effect).
        from terbuka.procedures import dashboard  # noqa: F401
