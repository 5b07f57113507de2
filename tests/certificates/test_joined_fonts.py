"""A batch joined from chunks carries one program per font face and prints exactly as the chunks did."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, StreamObject

from certificates.pdf import certificate_html, join_pdfs
from certificates.pdf_base import html_to_pdf
from certificates.services import certificate_grant
from tests.factories import ApplicationFactory, EnterpriseFactory, png_bytes, upload

pytestmark = pytest.mark.django_db

RARE_NAME = "杭州𡃁仔记烧腊餐饮有限公司"
# A different name per chunk, so that each chunk embeds a different subset of the same faces.
NAMES = [
    "杭州甲商贸有限公司",
    "宁波乙餐饮有限公司",
    "温州丙鞋业有限公司",
    "绍兴丁酿酒有限公司",
    "湖州戊丝绸有限公司",
    RARE_NAME,
]
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _chunks(program, names=NAMES, size: int = 2) -> list[bytes]:
    program.seal_image = upload("seal.png", png_bytes((120, 120)), "image/png")
    program.save()
    titles = [
        certificate_grant(
            application=ApplicationFactory(approved=True, program=program, enterprise=EnterpriseFactory(name=name))
        )
        for name in names
    ]
    return [html_to_pdf(certificate_html(titles[i : i + size])) for i in range(0, len(titles), size)]


def _plain_join(parts: list[bytes]) -> bytes:
    """The join as it was before fonts were shared: pages copied, nothing else."""
    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _join(parts: list[bytes]) -> bytes:
    out = io.BytesIO()
    join_pdfs([io.BytesIO(part) for part in parts], out)
    return out.getvalue()


def _font_programs(pdf: bytes) -> Counter[str]:
    """How many font programs each face has among all objects of the file, referenced or not."""
    from fontTools.ttLib import TTFont

    objects = _objects(pdf)
    referenced = {
        obj.raw_get(key).idnum
        for obj in objects
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor"
        for key in FONT_FILES
        if key in obj
    }
    programs = [obj for obj in objects if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/OpenType"]
    assert len(programs) == len(referenced), "a font program is left in the file that no font uses"
    return Counter(TTFont(io.BytesIO(p.get_data()), lazy=True)["name"].getDebugName(6) for p in programs)


def _objects(pdf: bytes) -> list:
    """Every object written in the file, whether anything refers to it or not."""
    reader = PdfReader(io.BytesIO(pdf))
    numbers = {number for numbers in reader.xref.values() for number in numbers} | set(reader.xref_objStm)
    return [reader.get_object(number) for number in sorted(numbers - {0})]


def _images(pdf: bytes) -> int:
    return sum(1 for obj in _objects(pdf) if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image")


def _pixels(pdf: bytes, index: int):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(pdf)[index].render(scale=1.5).to_pil()


def test_a_batch_of_three_chunks_carries_one_program_per_font_face_and_is_smaller(program):
    parts = _chunks(program)
    plain, joined = _plain_join(parts), _join(parts)
    assert _font_programs(plain) == {"NotoSerifCJKsc-Regular": 3, "NotoSerifCJKsc-Bold": 3}
    assert _font_programs(joined) == {"NotoSerifCJKsc-Regular": 1, "NotoSerifCJKsc-Bold": 1}
    assert len(joined) < len(plain) * 0.6
    # Each page has its own QR code; the seal is stored once.
    assert _images(joined) == len(NAMES) + 1 < _images(plain)


def test_every_page_reads_the_same_after_the_fonts_are_shared(program):
    parts = _chunks(program)
    plain, joined = PdfReader(io.BytesIO(_plain_join(parts))), PdfReader(io.BytesIO(_join(parts)))
    assert len(joined.pages) == len(plain.pages) == len(NAMES)
    for before, after in zip(plain.pages, joined.pages, strict=True):
        assert after.extract_text() == before.extract_text()
    assert RARE_NAME in joined.pages[-1].extract_text()


def test_the_first_and_last_pages_render_the_same_after_the_fonts_are_shared(program):
    from PIL import ImageChops

    parts = _chunks(program)
    plain, joined = _plain_join(parts), _join(parts)
    for index in (0, len(NAMES) - 1):  # the last page holds the Extension B character 𡃁
        assert ImageChops.difference(_pixels(plain, index), _pixels(joined, index)).getbbox() is None


def test_a_join_of_one_chunk_is_left_as_it_was(program):
    parts = _chunks(program, names=NAMES[:2])
    assert len(parts) == 1
    assert _join(parts) == _plain_join(parts)


def test_a_chunk_rendered_with_another_font_keeps_its_own_program(program):
    parts = _chunks(program)
    # As if one worker had another version of the font: its program no longer comes out of the installed file.
    tampered = PdfWriter(clone_from=PdfReader(io.BytesIO(parts[1])))
    for page in tampered.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            stream = descriptor["/FontFile3"].get_object()
            stream.set_data(stream.get_data() + b"\0")
    out = io.BytesIO()
    tampered.write(out)
    parts[1] = out.getvalue()
    joined = _join(parts)
    assert _font_programs(joined) == {"NotoSerifCJKsc-Regular": 2, "NotoSerifCJKsc-Bold": 2}
    plain = PdfReader(io.BytesIO(_plain_join(parts)))
    for before, after in zip(plain.pages, PdfReader(io.BytesIO(joined)).pages, strict=True):
        assert after.extract_text() == before.extract_text()
