"""Certificates and plaques as print-ready PDFs, parsed back: text, size, fonts, QR code, seal and order."""

from __future__ import annotations

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from awards.models import ProgramKind
from awards.models.programs import ENTERPRISE_NAME_MAX_LENGTH
from certificates.models import CertificateStatus
from certificates.pdf import certificate_html, chinese_date, render_titles_pdf, titles_for_print, verification_url
from certificates.services import certificate_grant
from credentials import payload
from tests.factories import ApplicationFactory, DistrictFactory, EnterpriseFactory, ProgramFactory, png_bytes, upload

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
A4_LANDSCAPE = (842, 595)
RARE_NAME = "杭州𡃁仔记烧腊餐饮有限公司"
LONG_NAME = "杭州市西湖区文三路数字经济产业园区消费者权益保护与诚信经营示范服务中心暨连锁餐饮管理有限公司第一公司"


def _grant(program, *, name: str | None = None, district=None):
    enterprise_fields = {"name": name} if name else {}
    if district:
        enterprise_fields["district"] = district
    application = ApplicationFactory(approved=True, program=program, enterprise=EnterpriseFactory(**enterprise_fields))
    return certificate_grant(application=application)


def _render(certificates, *, kind: str = "certificate", **options) -> PdfReader:
    out = io.BytesIO()
    render_titles_pdf(certificates, kind=kind, target=out, **options)
    return PdfReader(io.BytesIO(out.getvalue()))


def _text(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages)


def _size(page) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


def _pdfium_first_page(reader: PdfReader):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(reader.stream.getvalue())[0]


@pytest.mark.parametrize(
    ("date", "written"),
    [
        (datetime.date(2027, 3, 15), "二〇二七年三月十五日"),
        (datetime.date(2030, 10, 1), "二〇三〇年十月一日"),
        (datetime.date(2028, 12, 20), "二〇二八年十二月二十日"),
        (datetime.date(2031, 1, 31), "二〇三一年一月三十一日"),
    ],
)
def test_the_date_under_the_seal_is_written_in_chinese_numerals(date, written):
    assert chinese_date(date) == written


def test_the_qr_code_address_follows_the_site_url(settings):
    settings.SITE_URL = "https://315.example.cn/"
    assert verification_url("CX-2027-00001") == "https://315.example.cn/verify/CX-2027-00001/"


def test_a_certificate_is_one_a4_landscape_page(program):
    reader = _render([_grant(program)])
    assert len(reader.pages) == 1
    assert _size(reader.pages[0]) == pytest.approx(A4_LANDSCAPE, abs=1)


def test_a_plaque_takes_the_programmes_true_size(program):
    reader = _render([_grant(program)], kind="plaque")
    assert len(reader.pages) == 1
    assert _size(reader.pages[0]) == pytest.approx((600 * MM, 400 * MM), abs=0.5)  # 1700.8 × 1133.9 pt


def test_a_plaque_of_another_size_follows_the_programme(program):
    program.plaque_width_mm, program.plaque_height_mm = 400, 300
    program.save()
    reader = _render([_grant(program)], kind="plaque")
    assert _size(reader.pages[0]) == pytest.approx((400 * MM, 300 * MM), abs=0.5)


def test_the_certificate_prints_the_title_the_enterprise_the_issuer_and_the_dates(program):
    certificate = _grant(program, name="杭州甲商贸有限公司")
    text = _text(_render([certificate]))
    for expected in (
        "2027年度诚信经营示范单位",
        "杭州甲商贸有限公司",
        "杭州市消费者权益保护委员会",
        "二〇二七年三月十五日",
        "CX-2027-00001",
        "有效期至 2030年3月14日",
        "特发此证",
    ):
        assert expected in text


def test_the_plaque_prints_the_same_title_and_enterprise(program):
    text = _text(_render([_grant(program, name="杭州甲商贸有限公司")], kind="plaque"))
    assert "2027年度诚信经营示范单位" in text
    assert "杭州甲商贸有限公司" in text
    assert "CX-2027-00001" in text


def test_an_education_base_is_named_rather_than_rated():
    program = ProgramFactory(kind=ProgramKind.EDUCATION_BASE, serial_prefix="JD")
    html = certificate_html([_grant(program)])
    assert "被命名为" in html
    assert "2027年度消费维权教育基地" in html


def test_a_rare_character_prints_with_its_own_glyph(program, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        text = _text(_render([_grant(program, name=RARE_NAME)]))
    assert RARE_NAME in text
    assert "𡃁" in text
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def test_every_font_is_embedded(program):
    reader = _render([_grant(program, name=RARE_NAME)])
    fonts = {}
    for page in reader.pages:
        fonts.update(page["/Resources"]["/Font"].get_object())
    assert fonts
    for name, reference in fonts.items():
        font = reference.get_object()
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"font {name} is not embedded"
    assert any("Noto-Serif-CJK-SC" in str(f.get_object()["/BaseFont"]) for f in fonts.values())


def test_the_qr_code_decodes_to_the_verification_url(program, settings):
    import zxingcpp

    settings.SITE_URL = "https://315.example.cn"
    certificate = _grant(program)
    image = _pdfium_first_page(_render([certificate])).render(scale=2).to_pil()
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert len(decoded) == 1
    address, _fragment = decoded[0].split("#")
    assert address == "https://315.example.cn/verify/CX-2027-00001/"
    assert payload.verify(decoded[0]).genuine  # the printed code carries the signed payload


def test_a_fifty_character_name_stays_on_the_page_and_inside_the_frame(program):
    assert len(LONG_NAME) == ENTERPRISE_NAME_MAX_LENGTH
    reader = _render([_grant(program, name=LONG_NAME)])
    assert len(reader.pages) == 1
    assert LONG_NAME in _text(reader).replace("\n", "")
    _assert_text_inside_margins(_pdfium_first_page(reader))


def test_the_longest_possible_name_still_fits_one_page(program):
    name = ("杭州" + "诚信" * 49 + "公司")[:ENTERPRISE_NAME_MAX_LENGTH]
    reader = _render([_grant(program, name=name)])
    assert len(reader.pages) == 1
    _assert_text_inside_margins(_pdfium_first_page(reader))


def _assert_text_inside_margins(page) -> None:
    """Every character's box lies within the page, 10 mm clear of each edge (the frame is drawn inside that)."""
    width, height = page.get_size()
    margin = 10 * MM
    textpage = page.get_textpage()
    assert textpage.count_chars() > 0
    for index in range(textpage.count_chars()):
        left, bottom, right, top = textpage.get_charbox(index)
        if right - left == 0:  # a line break or space carries no ink
            continue
        assert margin <= left and right <= width - margin, f"character {index} runs off the side"
        assert margin <= bottom and top <= height - margin, f"character {index} runs off the top or bottom"


def test_a_long_name_is_set_smaller_than_a_short_one(program):
    html = certificate_html([_grant(program, name="杭州甲商贸有限公司"), _grant(program, name=LONG_NAME)])
    sizes = [float(part.split("rem")[0]) for part in html.split('class="name" style="font-size: ')[1:]]
    assert sizes[0] > sizes[1]


def test_html_in_a_name_prints_as_plain_text(program):
    reader = _render([_grant(program, name="<b>恶意</b>商贸有限公司")])
    assert "<b>恶意</b>商贸有限公司" in _text(reader)


def test_the_seal_of_the_programme_is_printed(program):
    program.seal_image = upload("seal.png", png_bytes((120, 120)), "image/png")
    program.save()
    reader = _render([_grant(program)])
    assert len(reader.pages[0].images) == 2  # the seal and the QR code


def test_without_a_seal_the_only_bitmap_is_the_qr_code_drawn_module_by_module_without_smoothing(program):
    reader = _render([_grant(program)])
    (image,) = reader.pages[0].images
    drawn = image.indirect_reference.get_object()
    assert drawn.get("/Interpolate") == BooleanObject(False)  # each module an exact square at any size
    assert image.image.width == image.image.height and image.image.width % 4 == 0


def test_titles_print_by_district_code_then_serial(program):
    shangcheng = DistrictFactory(code="330102", name="上城区")
    xihu = DistrictFactory(code="330106", name="西湖区")
    first_xihu = _grant(program, district=xihu)
    first_shangcheng = _grant(program, district=shangcheng)
    second_xihu = _grant(program, district=xihu)
    second_shangcheng = _grant(program, district=shangcheng)
    assert list(titles_for_print(program)) == [first_shangcheng, second_shangcheng, first_xihu, second_xihu]


def test_suspended_and_revoked_titles_are_not_printed(program):
    kept = _grant(program)
    for status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        certificate = _grant(program)
        certificate.status = status
        certificate.save()
    assert list(titles_for_print(program)) == [kept]


def test_titles_for_print_reads_everything_in_one_query(program, django_assert_num_queries):
    for _ in range(3):
        _grant(program)
    with django_assert_num_queries(1):
        for certificate in titles_for_print(program):
            assert certificate.enterprise.district.code and certificate.program.issuing_body


def test_a_batch_rendered_in_chunks_joins_into_one_pdf_in_order(program):
    certificates = [_grant(program) for _ in range(5)]
    reported = []
    reader = _render(certificates, chunk_size=2, progress=reported.append)
    assert reported == [2, 2, 1]
    assert len(reader.pages) == 5
    serials = [c.serial for c in certificates]
    assert [next(s for s in serials if s in page.extract_text()) for page in reader.pages] == serials


def test_the_command_prints_every_title_into_one_pdf(program, tmp_path):
    for _ in range(3):
        _grant(program)
    path, out, stderr = tmp_path / "证书.pdf", io.StringIO(), io.StringIO()
    call_command("print_certificates", program=program.slug, out=str(path), stdout=out, stderr=stderr)
    assert len(PdfReader(path).pages) == 3
    assert str(path) in out.getvalue()
    assert "3" in out.getvalue().replace(str(path), "")  # the number of pages
    assert "3/3" in stderr.getvalue()  # the progress bar reached the end


def test_the_command_prints_plaques(program, tmp_path):
    _grant(program)
    call_command(
        "print_certificates", program=program.slug, out=str(tmp_path / "p.pdf"), kind="plaque", stderr=io.StringIO()
    )
    assert _size(PdfReader(tmp_path / "p.pdf").pages[0]) == pytest.approx((600 * MM, 400 * MM), abs=0.5)


def test_the_command_refuses_an_unknown_programme(tmp_path):
    with pytest.raises(CommandError, match="no-such-programme"):
        call_command("print_certificates", program="no-such-programme", out=str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_refuses_a_programme_without_granted_titles(program, tmp_path):
    with pytest.raises(CommandError, match=program.slug):
        call_command("print_certificates", program=program.slug, out=str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_refuses_to_start_without_harfbuzz_subsetting(program, tmp_path, monkeypatch):
    import weasyprint.text.ffi

    _grant(program)
    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", None)
    with pytest.raises(CommandError, match="libharfbuzz-subset0"):
        call_command("print_certificates", program=program.slug, out=str(tmp_path / "x.pdf"))


def test_the_qr_code_markup_carries_nothing_of_the_url_as_text():
    # Why qr_svg may mark its SVG safe (and is exempted from bandit's mark_safe check).
    from certificates.pdf import qr_svg

    svg = str(qr_svg('https://example.com/v/"><script>alert(1)</script>'))
    assert "script" not in svg and "example" not in svg and "<text" not in svg and "<title" not in svg
