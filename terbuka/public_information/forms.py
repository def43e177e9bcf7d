"""Staff forms of the DIP: an entry's columns, its documents, refresh and withdrawal, topics.

The forms check what a person typed; the services (:mod:`.services`) check the rules and
write. Files are checked here already (type from the content, size), so a refused file is
reported on its field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from terbuka.core.forms import StaffForm
from terbuka.core.uploads import KINDS_DOCUMENT, LABELS, UploadValidator
from terbuka.organizations.models import Opd
from terbuka.public_information.models import Category, DipEntry, Format, Topic
from terbuka.public_information.services import ENTRY_FIELDS, max_upload_bytes

FIRST_YEAR = 1945
TEXTAREA = {"rows": 3}


def _text(label: Any, required: Any, *, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={
            "required": required,
            "max_length": _("Paling panjang %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
        **kwargs,
    )


def _file_help() -> str:
    kinds = ", ".join(LABELS[kind] for kind in KINDS_DOCUMENT)
    return str(_("%(kinds)s; paling besar %(limit)s MB. Jenis berkas dibaca dari isinya.")) % {
        "kinds": kinds,
        "limit": max_upload_bytes() // (1024 * 1024),
    }


class _MaxYear:
    """Refuses a year after next year (known only when the form is made)."""

    def __init__(self, today: dt.date) -> None:
        self.limit = today.year + 1

    def __call__(self, value: int) -> None:
        if value > self.limit:
            raise forms.ValidationError(
                _("Tahun paling lambat %(limit_value)s."),
                code="max_value",
                params={"limit_value": self.limit},
            )


class EntryForm(StaffForm):
    """The columns of one DIP entry (RULES.md "DIP columns"), its category and topics."""

    opd = forms.ModelChoiceField(
        label=_("Badan publik (perangkat daerah) yang menguasai informasi"),
        queryset=Opd.objects.none(),
        error_messages={
            "required": _("Pilih perangkat daerah yang menguasai informasi."),
            "invalid_choice": _("Anda tidak mengelola DIP perangkat daerah itu."),
        },
    )
    title = _text(_("Judul informasi"), _("Isi judul informasi."), max_length=300)
    summary = forms.CharField(
        label=_("Ringkasan isi informasi"),
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": _("Isi ringkasan isi informasi.")},
    )
    category = forms.ChoiceField(
        label=_("Kategori informasi"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih kategori informasi."),
            "invalid_choice": _("Pilih salah satu dari empat kategori informasi."),
        },
        help_text=_(
            "Berkala: diumumkan paling sedikit 6 bulan sekali. Serta merta: diumumkan segera "
            "karena menyangkut hajat hidup orang banyak dan ketertiban umum. Setiap saat: "
            "tersedia bila diminta. Dikecualikan: ditutup berdasarkan uji konsekuensi."
        ),
    )
    holder = _text(
        _("Pejabat/unit yang menguasai informasi"),
        _("Sebutkan pejabat atau unit yang menguasai informasi."),
        max_length=250,
    )
    responsible = _text(
        _("Penanggung jawab pembuatan/penerbitan informasi"),
        _("Sebutkan penanggung jawab pembuatan atau penerbitan informasi."),
        max_length=250,
    )
    produced_when = _text(
        _("Waktu pembuatan/penerbitan"),
        _("Isi waktu pembuatan atau penerbitan informasi."),
        max_length=120,
        help_text=_("Mis. Januari 2026, setiap triwulan, setiap tahun."),
    )
    produced_where = _text(
        _("Tempat pembuatan/penerbitan"),
        _("Isi tempat pembuatan atau penerbitan informasi."),
        max_length=250,
    )
    formats = forms.MultipleChoiceField(
        label=_("Bentuk informasi yang tersedia"),
        choices=Format.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Pilih sedikitnya satu bentuk informasi yang tersedia."),
            "invalid_choice": _("Bentuk informasi %(value)s tidak dikenal."),
        },
    )
    retention = _text(
        _("Jangka waktu penyimpanan"),
        _("Isi jangka waktu penyimpanan informasi."),
        max_length=120,
        help_text=_("Mis. 5 tahun, selama berlaku, permanen (sesuai jadwal retensi arsip)."),
    )
    year = forms.IntegerField(
        label=_("Tahun informasi"),
        min_value=FIRST_YEAR,
        error_messages={
            "required": _("Isi tahun informasi."),
            "invalid": _("Tahun ditulis dengan angka, mis. 2026."),
            "min_value": _("Tahun paling awal %(limit_value)s."),
            "max_value": _("Tahun paling lambat %(limit_value)s."),
        },
    )
    legal_basis = forms.CharField(
        label=_("Dasar hukum"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Peraturan yang mewajibkan atau mengatur informasi ini (boleh kosong)."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topik"),
        queryset=Topic.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Topik yang dipilih tidak tersedia.")},
        help_text=_("Tahan Ctrl (atau Cmd) untuk memilih lebih dari satu."),
    )
    refreshed_on = forms.DateField(
        label=_("Terakhir diperbarui"),
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": _("Tanggal tidak valid; gunakan hari-bulan-tahun.")},
        help_text=_(
            "Khusus informasi berkala. Pembaruan berikutnya paling lambat 6 bulan sesudahnya "
            "(UU 14/2008 pasal 9 ayat 4); bila kosong, dihitung dari hari ini."
        ),
    )

    def __init__(
        self,
        *args: Any,
        pemda_id: int,
        today: dt.date,
        opds: QuerySet[Opd] | None = None,
        **kwargs: Any,
    ) -> None:
        """``opds``: the OPDs the person may create entries for (no OPD field when editing)."""
        self.today = today
        super().__init__(*args, **kwargs)
        if opds is None:
            del self.fields["opd"]
        else:
            field: Any = self.fields["opd"]
            field.queryset = opds
            if len(opds) == 1:
                field.initial = opds[0].pk
        topics: Any = self.fields["topics"]
        topics.queryset = Topic.objects.filter(pemda_id=pemda_id).order_by("name")
        year: Any = self.fields["year"]
        year.validators.append(_MaxYear(today))
        year.widget.attrs.update({"min": FIRST_YEAR, "max": today.year + 1})

    @staticmethod
    def initial_of(entry: DipEntry) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(entry, name) for name in ENTRY_FIELDS}
        initial["topics"] = [topic.pk for topic in entry.topics.all()]
        return initial

    def clean_refreshed_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("refreshed_on")
        if value is not None and value > self.today:
            raise forms.ValidationError(_("Tanggal pembaruan tidak boleh melewati hari ini."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") != Category.BERKALA:
            data["refreshed_on"] = None
        return data

    def entry_data(self) -> dict[str, Any]:
        """The columns as ``services.entry_create`` and ``entry_update`` take them."""
        return {name: self.cleaned_data.get(name) for name in ENTRY_FIELDS}


class _DocumentFileMixin:
    fields: dict[str, forms.Field]

    def _use_upload_limit(self) -> None:
        field = self.fields["file"]
        field.validators = [UploadValidator(KINDS_DOCUMENT, max_upload_bytes())]
        field.help_text = _file_help()


FILE_ERRORS = {
    "required": _("Pilih berkas yang akan diunggah."),
    "empty": _("Berkas yang dipilih kosong."),
    "invalid": _("Yang dikirim bukan berkas; pilih ulang berkasnya."),
    "missing": _("Berkas tidak terkirim; pilih ulang berkasnya."),
    "max_length": _("Nama berkas terlalu panjang (paling banyak %(max)d karakter)."),
}


class DocumentForm(_DocumentFileMixin, StaffForm):
    """A document of an entry: a file to upload, or a link to where it is published."""

    title = _text(_("Judul dokumen"), _("Isi judul dokumen."), max_length=300)
    file = forms.FileField(
        label=_("Berkas"), required=False, max_length=255, error_messages=FILE_ERRORS
    )
    url = forms.URLField(
        label=_("atau tautan"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": _("Tautan harus alamat web lengkap, mis. https://ppid.example.go.id/…"),
            "max_length": _("Tautan paling panjang %(limit_value)d karakter."),
        },
        help_text=_("Isi bila dokumen sudah diterbitkan di situs lain; jangan isi keduanya."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._use_upload_limit()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file = bool(data.get("file"))
        has_url = bool(data.get("url"))
        if "file" in self.errors or "url" in self.errors:
            return data
        if has_file and has_url:
            self.add_error(
                None, _("Isi salah satu saja: unggah berkas atau tautan, bukan keduanya.")
            )
        elif not has_file and not has_url:
            self.add_error("file", _("Unggah berkas atau isi tautan dokumen."))
        return data


class VersionForm(_DocumentFileMixin, StaffForm):
    """A new version of a document's file."""

    file = forms.FileField(label=_("Berkas versi baru"), max_length=255, error_messages=FILE_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._use_upload_limit()


class WithdrawForm(StaffForm):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": _("Alasan pencabutan wajib diisi.")},
        help_text=_("Dicatat di riwayat entri. Entri yang dicabut tidak lagi tampil di publik."),
    )


class RefreshForm(StaffForm):
    refreshed_on = forms.DateField(
        label=_("Tanggal informasi diperbarui"),
        widget=forms.DateInput,
        error_messages={
            "required": _("Isi tanggal informasi diperbarui."),
            "invalid": _("Tanggal tidak valid; gunakan hari-bulan-tahun."),
        },
        help_text=_(
            "Pembaruan berikutnya paling lambat 6 bulan sesudah tanggal ini "
            "(UU 14/2008 pasal 9 ayat 4)."
        ),
    )


class TopicForm(StaffForm):
    name = _text(_("Nama topik"), _("Isi nama topik."), max_length=120)
