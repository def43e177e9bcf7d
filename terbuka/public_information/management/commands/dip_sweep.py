from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from terbuka.public_information.cycle import refresh_sweep
from terbuka.public_information.exemptions import retest_sweep


class Command(BaseCommand):
    help = (
        "Sapuan Daftar Informasi Publik: ingatkan PPID Utama akan pengecualian yang berakhir "
        "dalam 30 hari atau sudah berakhir, dan tim perangkat daerah akan informasi berkala "
        "yang harus diperbarui dalam 14 hari atau sudah lewat. Aman dijalankan berulang."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # One line per sweep of the DIP; each is idempotent and reports what it queued.
        retest = retest_sweep()
        self.stdout.write(
            f"uji konsekuensi ulang: {retest.tests} pengecualian, {retest.queued} surel"
        )
        refresh = refresh_sweep()
        self.stdout.write(
            f"pembaruan informasi berkala: {refresh.entries} entri, {refresh.queued} surel"
        )
