from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from terbuka.organizations.demo import DEMO_PASSWORD, demo_load
from terbuka.organizations.models import Pemda


class Command(BaseCommand):
    help = (
        "Muat Pemda fiktif beserta perangkat daerah, jabatan dan akun demo untuk setiap peran. "
        "Menjalankannya dua kali tidak mengubah apa pun."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="lewati bila sudah ada Pemda di basis data"
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if if_empty and Pemda.objects.exists():
            self.stdout.write("Basis data sudah berisi data; demo tidak dimuat.")
            return
        logins = demo_load()
        self.stdout.write(self.style.SUCCESS("Data demo siap. Akun demo (kata sandi sama):"))
        self.stdout.write(f"  kata sandi: {DEMO_PASSWORD}")
        width = max(len(username) for username, _ in logins)
        for username, description in logins:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
