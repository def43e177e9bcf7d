"""Checks on uploaded files: the type is read from the content, not the name; sizes are capped."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPG"}


def sniff(upload: UploadedFile) -> str | None:
    """The file type its first bytes show, or None."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


class UploadValidator:
    """Accept only the listed types (by content) up to ``max_bytes``."""

    def __init__(self, kinds: tuple[str, ...], max_bytes: int) -> None:
        self.kinds = kinds
        self.max_bytes = max_bytes

    def __call__(self, upload: UploadedFile) -> None:
        if upload.size is not None and upload.size > self.max_bytes:
            raise ValidationError(
                _("Berkas %(name)s terlalu besar: batasnya %(limit)s MB."),
                code="too_large",
                params={"name": upload.name, "limit": self.max_bytes // (1024 * 1024)},
            )
        if sniff(upload) not in self.kinds:
            raise ValidationError(
                _("Berkas %(name)s bukan %(kinds)s (jenis dibaca dari isi berkas)."),
                code="wrong_type",
                params={
                    "name": upload.name,
                    "kinds": "/".join(LABELS[kind] for kind in self.kinds),
                },
            )
