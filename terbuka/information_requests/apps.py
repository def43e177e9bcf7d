from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationRequestsConfig(AppConfig):
    name = "terbuka.information_requests"
    verbose_name = _("Permohonan informasi publik")

    def ready(self) -> None:
        # Declares this app's audit actions (with their labels) at start-up.
        from terbuka.information_requests import actions  # noqa: F401
