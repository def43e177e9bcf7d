from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "terbuka.core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        # Declares the outbox's audit actions at start-up.
        from terbuka.core import outbox_actions  # noqa: F401
