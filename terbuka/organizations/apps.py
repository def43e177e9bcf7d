from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "terbuka.organizations"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        # Declares this app's audit actions (with their labels) at start-up.
        from terbuka.organizations import actions  # noqa: F401
