from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from terbuka.organizations.models import Pemda
from terbuka.procedures.library import library_load


class Command(BaseCommand):
    help = "Muat pustaka SOP (folder sops/) untuk setiap Pemda. Aman dijalankan berulang."

    def handle(self, *args: Any, **options: Any) -> None:
        for pemda in Pemda.objects.all():
            added = library_load(pemda=pemda)
            self.stdout.write(f"{pemda.name}: {added} revisi SOP baru")
