"""Checking uploaded documents by their content, not only by their name.

Only PDF, JPEG and PNG are accepted. The first bytes must agree with the extension; PDFs are opened
with a real parser; images are decoded and re-encoded, which drops EXIF data (it may hold GPS).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
MAX_PDF_PAGES = 300
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedUpload:
    content: ContentFile
    original_name: str
    content_type: str
    size: int
    sha256: str


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Return the file as it will be stored, or raise ValidationError saying why it is refused."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise _refuse(_("Only PDF, JPG and PNG files can be uploaded; “%(name)s” is not one.") % {"name": name}, "type")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refuse(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s. Scan at a lower resolution or split it.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "too_large",
        )
    data = b"".join(upload.chunks())
    if not data:
        raise _refuse(_("“%(name)s” is empty.") % {"name": name}, "empty")
    content_type, signatures = ALLOWED[extension]
    if not data.startswith(signatures):
        raise _refuse(
            _("“%(name)s” is not really a %(kind)s file: its content does not match its name.")
            % {"name": name, "kind": extension.upper()},
            "mismatch",
        )
    if content_type == "application/pdf":
        _check_pdf(data, name)
    else:
        data = _reencode_image(data, name, content_type)
    return CheckedUpload(
        content=ContentFile(data, name=f"upload.{extension}"),
        original_name=name[:255],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _check_pdf(data: bytes, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(
                _("“%(name)s” is password-protected. Upload a copy without a password.") % {"name": name}, "encrypted"
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise _refuse(_("“%(name)s” is damaged and cannot be opened as a PDF.") % {"name": name}, "corrupt") from None
    if pages == 0:
        raise _refuse(_("“%(name)s” has no pages.") % {"name": name}, "empty")
    if pages > MAX_PDF_PAGES:
        raise _refuse(
            _("“%(name)s” has %(pages)d pages; at most %(max)d are accepted.")
            % {"name": name, "pages": pages, "max": MAX_PDF_PAGES},
            "too_many_pages",
        )


def _reencode_image(data: bytes, name: str, content_type: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    damaged = _refuse(_("“%(name)s” is damaged and cannot be opened as an image.") % {"name": name}, "corrupt")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise _refuse(
                    _("“%(name)s” is %(w)d × %(h)d pixels; reduce it below 40 megapixels.")
                    % {"name": name, "w": probe.width, "h": probe.height},
                    "too_large",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is dropped
            out = io.BytesIO()
            if content_type == "image/jpeg":
                image.convert("RGB").save(out, format="JPEG", quality=90)
            else:
                image.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise damaged from None
