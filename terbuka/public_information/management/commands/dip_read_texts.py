"""Read the text of every DIP document version still waiting (``menunggu``).

Needed when ``DIP_TEXT_READ_INLINE`` is False (``TERBUKA_DIP_TEXT_READ_INLINE=0``): uploads
are then not read in the web process, and a cron job or systemd timer runs this command,
e.g. every five minutes::

    */5 * * * *  cd /srv/terbuka && .venv/bin/python manage.py dip_read_texts

Each version is read and saved in its own transaction and then its entry is reindexed for
search. Running it twice, or two runs at once, is safe: a version that is no longer waiting is
left alone. A document that cannot be read is marked ``gagal`` with the reason, which staff
see on the entry page; the file itself is kept.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from terbuka.public_information.models import TextStatus
from terbuka.public_information.tasks import read_pending_texts


class Command(BaseCommand):
    help = (
        "Baca teks dokumen DIP yang masih menunggu, untuk pencarian. Dijalankan oleh cron bila "
        "pembacaan langsung dimatikan; aman dijalankan dua kali atau bersamaan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=None, help="jumlah versi dokumen paling banyak"
        )

    def handle(self, *args: Any, limit: int | None, **options: Any) -> None:
        done = read_pending_texts(limit=limit)
        self.stdout.write(
            f"terbaca: {done[TextStatus.DONE]}, tanpa teks: {done[TextStatus.EMPTY]}, "
            f"gagal: {done[TextStatus.FAILED]}"
        )
