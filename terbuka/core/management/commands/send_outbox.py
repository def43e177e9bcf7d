"""Deliver the e-mails waiting in the outbox.

A cron job or systemd timer runs ``manage.py send_outbox`` every minute, e.g.::

    * * * * *  cd /srv/terbuka && .venv/bin/python manage.py send_outbox

The command repeats the sweep :func:`terbuka.core.outbox.outbox_send_due` until nothing is
due, within a bounded number of rounds; ``--once`` runs a single round. The task queue can
call the same function instead. Overlapping runs are safe: each message is locked while it is
sent, and a second run finds nothing left to do.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from terbuka.core.outbox import SendReport, outbox_send_due


class Command(BaseCommand):
    help = (
        "Kirim surel yang menunggu di kotak keluar sampai tidak ada lagi yang jatuh tempo. "
        "Dijalankan setiap menit oleh cron atau timer systemd; aman dijalankan bersamaan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="satu putaran saja")
        parser.add_argument(
            "--limit", type=int, default=100, help="jumlah surel paling banyak per putaran"
        )
        parser.add_argument(
            "--max-rounds", type=int, default=20, help="batas jumlah putaran (bawaan 20)"
        )

    def handle(self, *args: Any, once: bool, limit: int, max_rounds: int, **options: Any) -> None:
        total = SendReport()
        rounds = 1 if once else max(max_rounds, 1)
        for _ in range(rounds):
            report = outbox_send_due(limit=limit)
            total += report
            # Fewer than a full batch means the backlog of due messages is empty.
            if report.handled < limit:
                break
        self.stdout.write(
            f"terkirim: {total.sent}, gagal (dijadwalkan ulang): {total.failed}, "
            f"gagal permanen: {total.dead}"
        )
