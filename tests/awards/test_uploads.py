"""Attachments: checked by content, stored privately, never lost."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from awards.models import Attachment
from awards.uploads import check_upload
from tests.factories import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00" + b"\x00" * 200


def _refusal(file) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        check_upload(file)
    return error.value


def test_a_pdf_is_accepted():
    checked = check_upload(upload("营业执照.pdf", pdf_bytes(), "application/pdf"))
    assert checked.content_type == "application/pdf"
    assert checked.original_name == "营业执照.pdf"


def test_a_png_is_accepted_and_re_encoded():
    checked = check_upload(upload("现场.png", png_bytes(), "image/png"))
    assert checked.content_type == "image/png"
    assert Image.open(io.BytesIO(checked.content.read())).size == (40, 30)


@pytest.mark.parametrize("content", [ELF, WINDOWS_EXE])
def test_an_executable_renamed_to_pdf_is_refused(content):
    assert _refusal(upload("营业执照.pdf", content)).code == "mismatch"


def test_a_png_named_pdf_is_refused():
    assert _refusal(upload("营业执照.pdf", png_bytes())).code == "mismatch"


def test_another_extension_is_refused():
    assert _refusal(upload("setup.exe", WINDOWS_EXE)).code == "type"
    assert _refusal(upload("资料.docx", b"PK\x03\x04")).code == "type"


def test_an_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    error = _refusal(upload("大文件.pdf", pdf_bytes() + b"%" * 2048))
    assert error.code == "too_large"


def test_a_corrupt_image_is_refused():
    broken = png_bytes()[:60]
    assert _refusal(upload("照片.png", broken)).code == "corrupt"


def test_a_corrupt_jpeg_is_refused():
    assert _refusal(upload("照片.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50)).code == "corrupt"


def test_a_corrupt_pdf_is_refused():
    assert _refusal(upload("营业执照.pdf", b"%PDF-1.7\n garbage without any objects")).code == "corrupt"


def test_an_empty_file_is_refused():
    assert _refusal(upload("空.pdf", b"")).code == "empty"


def test_an_encrypted_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert _refusal(upload("加密.pdf", out.getvalue())).code == "encrypted"


def test_exif_is_dropped_from_photos():
    image = Image.new("RGB", (20, 20))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    assert b"CameraMaker" in out.getvalue()
    checked = check_upload(upload("现场.jpg", out.getvalue(), "image/jpeg"))
    assert b"CameraMaker" not in checked.content.read()


def test_an_upload_is_stored_under_a_random_name_outside_any_public_path(client, alice, alice_application, settings):
    client.force_login(alice)
    client.post(
        reverse("awards:attachment_upload", args=[alice_application.pk]),
        {"kind": "business_licence", "file": upload("营业执照.pdf", pdf_bytes(), "application/pdf")},
    )
    attachment = Attachment.objects.get()
    assert "营业执照" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")
    with pytest.raises(ValueError):
        _ = attachment.file.url  # there is no public address for it


def test_a_refused_upload_is_explained_on_the_page(client, alice, alice_application):
    client.force_login(alice)
    response = client.post(
        reverse("awards:attachment_upload", args=[alice_application.pk]),
        {"kind": "business_licence", "file": upload("营业执照.pdf", ELF)},
    )
    assert response.status_code == 200
    assert "营业执照.pdf" in response.content.decode()
    assert "id_file_errors" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_removed_attachment_is_kept_but_no_longer_counts(client, alice, alice_application):
    client.force_login(alice)
    client.post(
        reverse("awards:attachment_upload", args=[alice_application.pk]),
        {"kind": "business_licence", "file": upload("营业执照.pdf", pdf_bytes(), "application/pdf")},
    )
    attachment = Attachment.objects.get()
    client.post(reverse("awards:attachment_remove", args=[attachment.pk]))
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    assert not alice_application.attachments.current().exists()


def test_the_owner_downloads_the_file_as_an_attachment(client, alice, alice_application):
    client.force_login(alice)
    content = pdf_bytes()
    client.post(
        reverse("awards:attachment_upload", args=[alice_application.pk]),
        {"kind": "business_licence", "file": upload("营业执照.pdf", content, "application/pdf")},
    )
    response = client.get(reverse("awards:attachment_download", args=[Attachment.objects.get().pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == content


def _pdf_with(change) -> bytes:
    """A one-page PDF, changed by `change(writer)` before it is written."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **entries):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def _open_action(action):
    from pypdf.generic import NameObject

    return lambda writer: writer._root_object.__setitem__(NameObject("/OpenAction"), action)


def _page_opened_action(action):
    from pypdf.generic import DictionaryObject, NameObject

    return lambda writer: writer.pages[0].__setitem__(
        NameObject("/AA"), DictionaryObject({NameObject("/O"): action})
    )


def _add_document_javascript(writer) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    scripts = ArrayObject([TextStringObject("init"), _action("/JavaScript", JS="app.alert(1)")])
    names = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): scripts})})
    writer._root_object[NameObject("/Names")] = names


ACTIVE_PDFS = {
    "open_action_javascript": _open_action(_action("/JavaScript", JS="app.alert(1)")),
    "page_opened_javascript": _page_opened_action(_action("/JavaScript", JS="app.alert(1)")),
    "document_javascript": lambda writer: _add_document_javascript(writer),
    "launch": _open_action(_action("/Launch", F="cmd.exe")),
    "embedded_file": lambda writer: writer.add_attachment("payload.exe", WINDOWS_EXE),
}


@pytest.mark.parametrize("change", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_with_active_content_is_refused_in_chinese(change):
    error = _refusal(upload("营业执照.pdf", _pdf_with(change), "application/pdf"))
    assert error.code == "active_content"
    assert "活动内容" in error.messages[0]


def test_javascript_hidden_behind_an_escaped_name_is_refused():
    # /J#61vaScript is /JavaScript to a PDF reader; same length as the padding taken from the script.
    content = _pdf_with(_open_action(_action("/JavaScript", JS="app.alert(1)//")))
    content = content.replace(b"/JavaScript", b"/J#61vaScript").replace(b"(app.alert(1)//)", b"(app.alert(1))")
    assert b"/JavaScript" not in content
    assert _refusal(upload("营业执照.pdf", content, "application/pdf")).code == "active_content"


def test_a_pdf_with_an_ordinary_link_is_accepted():
    from pypdf.annotations import Link

    def add_link(writer):
        writer.add_annotation(page_number=0, annotation=Link(rect=(50, 50, 200, 80), url="https://www.12315.cn/"))

    assert check_upload(upload("营业执照.pdf", _pdf_with(add_link), "application/pdf")).content_type == "application/pdf"


def _bomb_png(width: int, height: int) -> bytes:
    """A valid black 1-bit PNG of width × height pixels; its zeros compress to almost nothing."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row * 1000) for _ in range(height // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_decompression_bomb_png_is_refused_as_too_large_in_chinese():
    error = _refusal(upload("现场.png", _bomb_png(30_000, 30_000), "image/png"))
    assert error.code == "too_large"
    assert "4000 万像素" in error.messages[0]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_just_over_the_limit_says_its_size():
    error = _refusal(upload("现场.png", _bomb_png(8_000, 6_000), "image/png"))
    assert error.code == "too_large"
    assert "8000 × 6000" in error.messages[0]
