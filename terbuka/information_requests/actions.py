from django.utils.translation import gettext_lazy as _

from terbuka.core.actions import Action

REGISTERED = Action("information_request.registered", _("Permohonan didaftarkan"))
FORWARDED = Action("information_request.forwarded", _("Permohonan diteruskan"))
EXTENDED = Action("information_request.extended", _("Waktu diperpanjang"))
DECIDED = Action("information_request.decided", _("Pemberitahuan tertulis diterbitkan"))
DELIVERED = Action("information_request.delivered", _("Informasi diserahkan"))
FEE_RECORDED = Action("information_request.fee_recorded", _("Biaya dan pembayaran dicatat"))
CLOSED = Action("information_request.closed", _("Permohonan ditutup"))
WITHDRAWN = Action("information_request.withdrawn", _("Permohonan ditarik"))
SETTINGS_CHANGED = Action("information_request.settings_changed", _("Pengaturan PPID diubah"))
OBJECTION_FILED = Action("information_request.objection_filed", _("Keberatan diajukan"))
OBJECTION_ANSWERED = Action(
    "information_request.objection_answered", _("Keberatan dijawab Atasan PPID")
)
OBJECTION_REACTED = Action(
    "information_request.objection_reacted", _("Pemohon menanggapi jawaban keberatan")
)
DISPUTE_RECORDED = Action(
    "information_request.dispute_recorded", _("Sengketa ke Komisi Informasi dicatat")
)
PERSONAL_DATA_ERASED = Action(
    "information_request.personal_data_erased", _("Data pribadi dihapus (masa simpan berakhir)")
)
MINE_LINK_SENT = Action(
    "information_request.mine_link_sent", _("Tautan daftar Permohonan saya dikirim ke pemohon")
)
