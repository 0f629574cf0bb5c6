"""Attachments: images and PDFs, checked by their content, with safe names."""

from __future__ import annotations

import io
import re
import unicodedata

from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_SIZE = 5 * 1024 * 1024  # 5 MB
MAX_FILES = 4
# Detected type -> the file name endings that may carry it.
TYPES = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
}


class FileRefused(ValueError):
    pass


def sniff(head: bytes) -> str | None:
    """The type the content's first bytes say (magic numbers), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def safe_name(name: str) -> str:
    """A file name without paths, control characters or markup, at most 100 characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    if re.search(r"[<>\"'`&]", name):
        raise FileRefused(_("A file name may not contain < > \" ' ` or &. Rename the file "
                            "and try again."))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        raise FileRefused(_("The file has no name."))
    stem, dot, ending = name.rpartition(".")
    return (stem[:90] + dot + ending[:10]) if dot else name[:100]


def check(upload) -> tuple[str, str, bytes]:
    """(safe name, detected type, bytes) of an uploaded file, or FileRefused saying why."""
    if upload.size > MAX_SIZE:
        raise FileRefused(_("%(name)s is too large: at most 5 MB a file.")
                          % {"name": safe_name(upload.name)})
    name = safe_name(upload.name)
    data = upload.read(MAX_SIZE + 1)
    if len(data) > MAX_SIZE:
        raise FileRefused(_("%(name)s is too large: at most 5 MB a file.") % {"name": name})
    detected = sniff(data[:16])
    if detected is None:
        raise FileRefused(_("%(name)s is not an image (PNG, JPEG, GIF, WebP) or a PDF.")
                          % {"name": name})
    if not name.lower().endswith(TYPES[detected]):
        raise FileRefused(_("The content of %(name)s does not match its type.")
                          % {"name": name})
    if detected.startswith("image/"):
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception as error:  # Pillow raises many kinds for a broken image
            raise FileRefused(_("%(name)s is not a readable image.") % {"name": name}) from error
    return name, detected, data
