from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicInformationConfig(AppConfig):
    name = "terbuka.public_information"
    verbose_name = _("Daftar Informasi Publik")

    def ready(self) -> None:
        # Declares this app's audit actions (with their labels) at start-up.
        from terbuka.public_information import actions, dashboard  # noqa: F401
