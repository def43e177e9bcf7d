"""Audit actions of the Daftar Informasi Publik."""

from django.utils.translation import gettext_lazy as _

from terbuka.core.actions import Action

ENTRY_CREATED = Action("dip.entry_created", _("Entri DIP dibuat"))
ENTRY_CHANGED = Action("dip.entry_changed", _("Entri DIP diubah"))
ENTRY_WITHDRAWN = Action("dip.entry_withdrawn", _("Entri DIP dicabut"))
ENTRY_REFRESHED = Action("dip.entry_refreshed", _("Entri DIP berkala diperbarui"))
DOCUMENT_ADDED = Action("dip.document_added", _("Dokumen DIP ditambahkan"))
DOCUMENT_VERSION_ADDED = Action("dip.document_version_added", _("Versi dokumen DIP diunggah"))
DOCUMENT_TEXT_READ = Action("dip.document_text_read", _("Teks dokumen DIP dibaca"))
SUBMITTED = Action("dip.submitted", _("Entri DIP diajukan ke sekretariat PPID"))
RETURNED = Action("dip.returned", _("Pengajuan DIP dikembalikan untuk dilengkapi"))
VERIFIED = Action("dip.verified", _("Pengajuan DIP dinyatakan lengkap dan sesuai"))
ESTABLISHED = Action("dip.established", _("DIP ditetapkan PPID"))
TEST_RECORDED = Action("dip.test_recorded", _("Uji konsekuensi dicatat"))
TEST_APPROVED = Action("dip.test_approved", _("Uji konsekuensi disetujui pimpinan"))
IMPORTED = Action("dip.imported", _("DIP diimpor dari XLSX"))
TOPIC_CREATED = Action("dip.topic_created", _("Topik DIP dibuat"))
TOPIC_RENAMED = Action("dip.topic_renamed", _("Topik DIP diganti nama"))
ACKNOWLEDGED = Action("dip.acknowledged", _("Pengajuan DIP diterima sekretariat PPID"))
RESUBMITTED = Action("dip.resubmitted", _("Pengajuan DIP diajukan ulang"))
REPORTED = Action("dip.reported", _("Hasil verifikasi DIP dilaporkan ke PPID"))
