"""Checking uploaded documents by their content, not only by their name.

Only PDF, JPEG and PNG are accepted. The first bytes must agree with the extension; PDFs are opened
with a real parser and refused if they carry active content (scripts, launch actions, embedded files);
images are decoded and re-encoded, which drops EXIF data (it may hold GPS).
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
from PIL import Image

ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
MAX_PDF_PAGES = 300
MAX_IMAGE_PIXELS = 40_000_000
# Pillow's own guard against decompression bombs, set to our limit for the whole process: it warns above it
# and refuses twice as many pixels from the header alone, before decoding anything (its default is 89 million).
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# What makes a PDF act rather than be read: actions that run scripts, start programs, fetch or send data,
# open embedded documents or media; the places that hold scripts (/JS, the /JavaScript name tree, XFA
# forms); and embedded files. A plain link (/URI) is ordinary and allowed.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE", "/RichMediaExecute"})
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/XFA", "/EmbeddedFiles", "/EF"})
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia"})


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
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise _refuse(_("“%(name)s” is damaged and cannot be opened as a PDF.") % {"name": name}, "corrupt") from None
    if pages == 0:
        raise _refuse(_("“%(name)s” has no pages.") % {"name": name}, "empty")
    if active:
        raise _refuse(
            _(
                "“%(name)s” contains active content (scripts, actions that start programs, or embedded files), "
                "which is not accepted. Print it to a new PDF or scan the paper document, and upload that."
            )
            % {"name": name},
            "active_content",
        )
    if pages > MAX_PDF_PAGES:
        raise _refuse(
            _("“%(name)s” has %(pages)d pages; at most %(max)d are accepted.")
            % {"name": name, "pages": pages, "max": MAX_PDF_PAGES},
            "too_many_pages",
        )


def _has_active_content(reader) -> bool:
    """Walk every object reachable from the trailer, where a name is compared after #xx escapes are decoded."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    def name_at(dictionary, key: str) -> str | None:
        value = dictionary.get(key)
        if isinstance(value, IndirectObject):
            value = value.get_object()
        return value if isinstance(value, NameObject) else None

    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # stream objects included: their dictionaries, not their data
            if not ACTIVE_KEYS.isdisjoint(obj.keys()):
                return True
            if name_at(obj, "/S") in ACTIVE_ACTIONS or ACTIVE_TYPES & {name_at(obj, "/Type"), name_at(obj, "/Subtype")}:
                return True
            pending.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            pending.extend(obj)
    return False


def _reencode_image(data: bytes, name: str, content_type: str) -> bytes:
    from PIL import ImageOps, UnidentifiedImageError

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
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refused from the header alone: far too many pixels (a warning, if warnings are made errors).
        raise _refuse(
            _("“%(name)s” has far too many pixels to be opened; reduce it below 40 megapixels.") % {"name": name},
            "too_large",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise damaged from None
