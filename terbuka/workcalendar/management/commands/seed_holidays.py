from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from terbuka.organizations.models import Pemda
from terbuka.organizations.selectors import local_today
from terbuka.workcalendar.services import calendar_seed_year


class Command(BaseCommand):
    help = (
        "Isi kalender kerja setiap Pemda dengan libur nasional dan cuti bersama dari paket "
        "holidays (tahun berjalan dan tahun berikutnya). Aman dijalankan berulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", dest="years")
        parser.add_argument("--pemda", help="kode wilayah Kemendagri; semua Pemda bila kosong")

    def handle(
        self, *args: Any, years: list[int] | None, pemda: str | None, **options: Any
    ) -> None:
        pemdas = Pemda.objects.all()
        if pemda:
            pemdas = pemdas.filter(region_code=pemda)
            if not pemdas.exists():
                raise CommandError(f"Pemda dengan kode wilayah {pemda} tidak ada.")
        for item in pemdas:
            this_year = local_today(item).year
            for year in years or [this_year, this_year + 1]:
                added = calendar_seed_year(pemda=item, year=year)
                self.stdout.write(f"{item.name} {year}: {added} hari ditambahkan")
