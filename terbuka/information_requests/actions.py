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
