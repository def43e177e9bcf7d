from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from terbuka.information_requests.sweeps import deadline_sweep, retention_sweep


class Command(BaseCommand):
    help = (
        "Kirim pengingat batas waktu permohonan informasi dan eskalasi yang terlambat, dan "
        "hapus data pribadi yang masa simpannya berakhir. "
        "Aman dijalankan berulang."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = deadline_sweep()
        erased = retention_sweep()
        self.stdout.write(
            f"pengingat: {report.reminders}, eskalasi: {report.escalations}, "
            f"data pribadi dihapus: {erased}"
        )
