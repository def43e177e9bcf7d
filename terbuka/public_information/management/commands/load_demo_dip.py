"""Load the demo Daftar Informasi Publik into the demo Pemda (``scripts/serve`` runs it after
``load_demo``). Does nothing when the demo Pemda is not there, so it never writes demo entries
into a real Pemda's list; running it twice creates nothing new."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from terbuka.organizations.demo.data import DEMO_PEMDA
from terbuka.organizations.models import Pemda
from terbuka.public_information.demo import dip_demo_load


class Command(BaseCommand):
    help = (
        "Muat contoh Daftar Informasi Publik ke Pemda demo. Tidak melakukan apa pun bila Pemda "
        "demo tidak ada; menjalankannya dua kali tidak menambah apa pun."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = Pemda.objects.filter(region_code=DEMO_PEMDA["region_code"]).first()
        if pemda is None:
            self.stdout.write("Pemda demo tidak ada; contoh DIP tidak dimuat.")
            return
        created = dip_demo_load(pemda)
        self.stdout.write(self.style.SUCCESS(f"Contoh DIP siap ({created} entri baru)."))
