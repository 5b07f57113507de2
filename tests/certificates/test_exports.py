"""The published lists: rows, formula-safe spreadsheets, CSV for Excel, the print-ready PDF and the command.

The download from the web runs as a background job: tests/certificates/test_export_jobs.py."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from awards.models import ApplicationStatus, ReviewResult
from certificates import list_pdf
from certificates.exports import export_list
from certificates.lists import ListRow, exposure_rows, honour_roll_rows, list_filename
from certificates.models import CertificateStatus
from certificates.pdf_base import PDFUnavailable
from certificates.services import certificate_grant
from certificates.spreadsheets import safe_cell
from jobs.http import content_disposition
from tests.factories import ApplicationFactory, DistrictFactory, EnterpriseFactory, ProgramFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","点我")'
PHONE_LIKE = "+86 138 0013 8000"


# --- helpers ------------------------------------------------------------------------------------------------------


@pytest.fixture
def program(db):
    return ProgramFactory(
        title="2027年度诚信经营示范单位评选", slug="honest-2027", issuing_body="杭州市消费者权益保护委员会"
    )


def grant(program, name: str, district=None, tier: str | None = None):
    enterprise = EnterpriseFactory(name=name, **({"district": district} if district else {}))
    application = ApplicationFactory(program=program, enterprise=enterprise, approved=True)
    if tier:
        result(application, tier)
    return certificate_grant(application=application)


def result(application, tier: str) -> ReviewResult:
    return ReviewResult.objects.create(
        application=application, final_score=Decimal("95"), tier=tier, rule_version="test", explanation={}
    )


def expose(program, name: str, district=None):
    enterprise = EnterpriseFactory(name=name, **({"district": district} if district else {}))
    application = ApplicationFactory(
        program=program, enterprise=enterprise, status=ApplicationStatus.EXPOSED, enrolled=True
    )
    result(application, "D")
    return application


def rows(n: int) -> list[ListRow]:
    """Rows without a database, for long lists: two districts, a long name now and then."""
    return [
        ListRow(
            district="上城区" if i < n // 2 else "西湖区",
            district_code="330102" if i < n // 2 else "330106",
            enterprise=f"杭州第{i + 1}号商贸有限公司" + ("（连锁经营总部暨华东区域配送中心）" if i % 7 == 0 else ""),
            uscc=f"91330106MA{i:07d}X",
            industry="批发和零售业",
            title="2027年度诚信经营示范单位",
            tier="A",
            serial=f"CX-2027-{i + 1:05d}",
        )
        for i in range(n)
    ]


def export(program, fmt: str, which: str = "honours", **kwargs) -> bytes:
    out = io.BytesIO()
    export_list(program, fmt=fmt, target=out, which=which, **kwargs)
    return out.getvalue()


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


# --- rows ---------------------------------------------------------------------------------------------------------


def test_the_honour_roll_lists_every_granted_title_with_the_certificates_own_title(program):
    kept = grant(program, "杭州甲商贸有限公司")
    suspended = grant(program, "杭州乙商贸有限公司")
    suspended.status = CertificateStatus.SUSPENDED
    suspended.title = "2027年度诚信经营示范单位（餐饮）"
    suspended.save()

    listed = {row.enterprise: row for row in honour_roll_rows(program)}

    assert set(listed) == {"杭州甲商贸有限公司", "杭州乙商贸有限公司"}
    assert listed["杭州甲商贸有限公司"].serial == kept.serial
    assert listed["杭州乙商贸有限公司"].title == "2027年度诚信经营示范单位（餐饮）"


def test_the_honour_roll_is_ordered_by_district_code_then_serial(program):
    xihu, shangcheng = DistrictFactory(code="330106", name="西湖区"), DistrictFactory(code="330102", name="上城区")
    for name, district in [("西湖一", xihu), ("上城一", shangcheng), ("西湖二", xihu), ("上城二", shangcheng)]:
        grant(program, name, district)

    listed = [(row.district_code, row.enterprise) for row in honour_roll_rows(program)]

    assert listed == [("330102", "上城一"), ("330102", "上城二"), ("330106", "西湖一"), ("330106", "西湖二")]


def test_the_tier_comes_from_the_review_result_and_is_empty_without_one(program):
    grant(program, "有结果", tier="A")
    grant(program, "无结果")

    assert {row.enterprise: row.tier for row in honour_roll_rows(program)} == {"有结果": "A", "无结果": ""}


def test_the_honour_roll_leaves_out_titles_of_other_programmes(program):
    grant(program, "本活动")
    grant(ProgramFactory(), "别的活动")

    assert [row.enterprise for row in honour_roll_rows(program)] == ["本活动"]


def test_the_rows_of_a_list_come_from_one_query_however_many_there_are(program, django_assert_num_queries):
    for i in range(5):
        grant(program, f"企业{i}", tier="A")

    with django_assert_num_queries(1):
        listed = list(honour_roll_rows(program))

    assert len(listed) == 5


def test_the_exposure_list_holds_the_exposed_applications_by_district_and_name():
    program = ProgramFactory(mode="evaluation")
    xihu, shangcheng = DistrictFactory(code="330106", name="西湖区"), DistrictFactory(code="330102", name="上城区")
    expose(program, "西湖餐饮2", xihu)
    expose(program, "西湖餐饮1", xihu)
    expose(program, "上城餐饮1", shangcheng)
    ApplicationFactory(program=program, status=ApplicationStatus.GRADED, enrolled=True)

    listed = list(exposure_rows(program))

    assert [row.enterprise for row in listed] == ["上城餐饮1", "西湖餐饮1", "西湖餐饮2"]
    assert {(row.tier, row.serial, row.title) for row in listed} == {("D", "", "")}


# --- formula injection --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        (HYPERLINK, "'" + HYPERLINK),
        (PHONE_LIKE, "'" + PHONE_LIKE),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-12", "-12"),  # a real number stays a number
        ("+3.5", "+3.5"),
        ("-1e3", "-1e3"),
        (42, 42),
        (-5, -5),
        ("", ""),
        ("杭州甲商贸有限公司", "杭州甲商贸有限公司"),
        ("CX-2027-00001", "CX-2027-00001"),
        ("a=b", "a=b"),
        ("＝1+1", "＝1+1"),  # a full-width equals sign is text to Excel
    ],
)
def test_safe_cell_escapes_only_text_that_a_spreadsheet_would_run(value, escaped):
    assert safe_cell(value) == escaped


# --- names --------------------------------------------------------------------------------------------------------


def test_the_file_name_is_the_programme_and_list_in_chinese(program):
    assert list_filename(program, "pdf") == "2027年度诚信经营示范单位评选_授予称号名单.pdf"
    assert list_filename(program, "csv", "exposure") == "2027年度诚信经营示范单位评选_严重失信企业名单.csv"


def test_the_file_name_replaces_characters_no_file_system_accepts():
    program = ProgramFactory(title='2027/2028年度 "诚信" 评选: 第1批?')

    assert list_filename(program, "xlsx") == "2027_2028年度 _诚信_ 评选_ 第1批__授予称号名单.xlsx"


def test_content_disposition_gives_an_ascii_fallback_and_the_name_in_utf8():
    assert content_disposition("名单.pdf", "honest-2027-honours.pdf") == (
        "attachment; filename=\"honest-2027-honours.pdf\"; filename*=UTF-8''%E5%90%8D%E5%8D%95.pdf"
    )


def test_content_disposition_derives_a_fallback_that_cannot_break_the_header():
    header = content_disposition('2027年"名单"\\;x.csv')

    assert header.startswith("attachment; filename=\"2027_x.csv\"; filename*=UTF-8''2027%E5%B9%B4%22")
    assert content_disposition("名单.pdf").startswith('attachment; filename="download.pdf";')


# --- CSV ----------------------------------------------------------------------------------------------------------


def test_the_csv_starts_with_a_byte_order_mark_and_reads_back_in_chinese(program):
    certificate = grant(program, "杭州甲商贸有限公司", tier="A")

    data = export(program, "csv", today=datetime.date(2027, 6, 1))

    assert data.startswith(b"\xef\xbb\xbf")
    assert csv_rows(data) == [
        ["序号", "所在区县", "企业名称", "统一社会信用代码", "所属行业", "称号", "信用等级", "证书编号", "状态"],
        [
            "1",
            "西湖区",
            "杭州甲商贸有限公司",
            certificate.enterprise.uscc,
            certificate.enterprise.industry.name,
            certificate.title,
            "A",
            certificate.serial,
            "有效",
        ],
    ]


def test_the_csv_escapes_names_that_a_spreadsheet_would_run_as_formulas(program):
    grant(program, HYPERLINK)

    assert csv_rows(export(program, "csv"))[1][2] == "'" + HYPERLINK


def test_the_csv_of_the_exposure_list_has_no_title_or_certificate_column():
    program = ProgramFactory(mode="evaluation")
    expose(program, "杭州丙餐饮有限公司")

    header, row = csv_rows(export(program, "csv", "exposure"))

    assert header == ["序号", "所在区县", "企业名称", "统一社会信用代码", "所属行业", "信用等级"]
    assert row[2] == "杭州丙餐饮有限公司" and row[-1] == "D"


# --- xlsx ---------------------------------------------------------------------------------------------------------


def test_the_xlsx_has_a_header_row_then_the_titles_in_district_order(program):
    grant(program, "西湖企业", DistrictFactory(code="330106", name="西湖区"))
    grant(program, "上城企业", DistrictFactory(code="330102", name="上城区"))

    sheet = xlsx_sheet(export(program, "xlsx"))
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]

    assert values[0] == [
        "序号",
        "所在区县",
        "企业名称",
        "统一社会信用代码",
        "所属行业",
        "称号",
        "信用等级",
        "证书编号",
        "状态",
    ]
    assert [(row[0], row[1], row[2]) for row in values[1:]] == [(1, "上城区", "上城企业"), (2, "西湖区", "西湖企业")]


@pytest.mark.parametrize("name", [HYPERLINK, PHONE_LIKE, "@SUM(A1)", "-2+3"])
def test_the_xlsx_keeps_a_formula_like_name_as_text_not_as_a_formula(program, name):
    grant(program, name)

    cell = xlsx_sheet(export(program, "xlsx"))["C2"]

    assert cell.data_type != "f"
    assert cell.value == name  # exactly as registered: Excel's text flag (quotePrefix) keeps it text
    assert cell.quotePrefix


def test_the_xlsx_freezes_the_header_and_gives_names_room(program):
    grant(program, "杭州甲商贸有限公司")

    sheet = xlsx_sheet(export(program, "xlsx"))

    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= 40  # 企业名称
    assert sheet.auto_filter.ref == "A1:I2"


# --- PDF ----------------------------------------------------------------------------------------------------------


def test_the_pdf_heading_names_the_list_the_programme_the_issuing_body_and_the_date(program):
    grant(program, "杭州甲商贸有限公司", DistrictFactory(code="330102", name="上城区"))

    first_page = pdf_pages(export(program, "pdf"))[0]

    for text in ["2027年度诚信经营示范单位名单", "2027年度诚信经营示范单位评选", "杭州市消费者权益保护委员会"]:
        assert text in first_page
    assert "2027年3月15日" in first_page
    assert "上城区" in first_page and "杭州甲商贸有限公司" in first_page


def test_the_pdf_numbers_every_page_as_page_x_of_y(program):
    pages = pdf_pages(export(program, "pdf", rows=rows(120)))

    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text


def test_the_pdf_repeats_the_header_row_on_the_second_page(program):
    second_page = pdf_pages(export(program, "pdf", rows=rows(120)))[1]

    assert "统一社会信用代码" in second_page and "证书编号" in second_page
    assert "2027年度诚信经营示范单位名单" not in second_page  # the heading itself is printed once


def test_a_long_pdf_renders_in_chunks_without_losing_or_repeating_a_row(program, monkeypatch):
    monkeypatch.setattr(list_pdf, "PDF_CHUNK_ROWS", 60)  # several chunks of a few pages each

    pages = pdf_pages(export(program, "pdf", rows=rows(300)))

    numbers = [int(n) for text in pages for n in re.findall(r"^(\d+) 杭州第", text, re.MULTILINE)]
    assert numbers == list(range(1, 301))
    assert f"第 {len(pages)} 页 / 共 {len(pages)} 页" in pages[-1]


# Codes of the widest letters (W and M are twice as wide as a digit in the serif font).
WIDE_CODES = ("91330106MA2WWWWW4M", "91330000MAMMMMMM0W", "91350100M000100Y43")


@pytest.mark.parametrize("which", ["honours", "exposure"])
def test_the_pdf_prints_every_code_whole_on_one_line_so_a_text_search_finds_it(program, which):
    listed = [
        ListRow(
            district="西湖区",
            district_code="330106",
            enterprise="杭州某某（集团）有限公司",
            uscc=code,
            industry="批发和零售业",
            title="2027年度诚信经营示范单位" if which == "honours" else "",
            tier="A",
            serial=f"CX-2027-{number:05d}" if which == "honours" else "",
        )
        for number, code in enumerate(WIDE_CODES, start=1)
    ]

    lines = pdf_pages(export(program, "pdf", which, rows=listed))[0].splitlines()

    for code in WIDE_CODES:
        assert any(code in line for line in lines), code


def test_the_pdf_embeds_its_fonts(program):
    grant(program, "杭州𡃁记茶餐厅有限公司")  # CJK Extension B

    reader = PdfReader(io.BytesIO(export(program, "pdf")))
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]

    assert fonts
    for font in fonts:
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)[
            "/FontDescriptor"
        ]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font


def test_the_pdf_says_it_is_in_chinese_and_what_it_is(program):
    reader = PdfReader(io.BytesIO(export(program, "pdf")))

    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert reader.metadata.title == "2027年度诚信经营示范单位名单"
    assert reader.metadata.author == "杭州市消费者权益保护委员会"


def test_the_pdf_of_an_empty_list_says_there_is_none(program):
    assert "（无）" in pdf_pages(export(program, "pdf"))[0]


def test_the_exposure_list_of_an_evaluation_programme_prints_as_pdf():
    program = ProgramFactory(mode="evaluation", title="2027年度西湖区餐饮行业诚信评议")
    expose(program, "杭州丙餐饮有限公司")

    page = pdf_pages(export(program, "pdf", "exposure"))[0]

    assert "2027年度严重失信企业名单" in page and "2027年度西湖区餐饮行业诚信评议" in page
    assert "杭州丙餐饮有限公司" in page
    assert "证书编号" not in page and "称号" not in page


def test_the_pdf_is_refused_without_harfbuzz_subsetting(program, monkeypatch):
    monkeypatch.setattr("certificates.pdf_base.harfbuzz_subset_available", lambda: False)

    with pytest.raises(PDFUnavailable):
        export(program, "pdf")


def test_the_pdf_renders_its_chunks_in_this_process_without_forking(program, monkeypatch):
    def no_fork():
        raise AssertionError("the list forked a process")

    monkeypatch.setattr("os.fork", no_fork)
    monkeypatch.setattr(list_pdf, "PDF_CHUNK_ROWS", 60)

    pages = pdf_pages(export(program, "pdf", rows=rows(110)))  # two chunks or more

    numbers = [int(n) for text in pages for n in re.findall(r"^(\d+) 杭州第", text, re.MULTILINE)]
    assert numbers == list(range(1, 111))
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text


def test_the_pdf_reports_its_rows_chunk_by_chunk(program, monkeypatch):
    monkeypatch.setattr(list_pdf, "PDF_CHUNK_ROWS", 60)
    reported = []

    count = export_list(program, fmt="pdf", target=io.BytesIO(), rows=rows(110), progress=lambda n=0: reported.append(n))

    assert count == 110
    assert sum(reported) == 110
    assert len(reported) > 2 and reported[-1] == 0  # a report per chunk, then a beat while the pages are numbered


def test_an_error_while_rendering_a_chunk_reaches_the_caller(program, monkeypatch):
    def broken(page):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(list_pdf, "PDF_CHUNK_ROWS", 60)
    monkeypatch.setattr(list_pdf, "_body_rows", broken)

    with pytest.raises(RuntimeError, match="layout exploded"):
        export(program, "pdf", rows=rows(200))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_spreadsheet_reports_its_rows_as_it_writes_them(program, monkeypatch, fmt):
    monkeypatch.setattr("certificates.spreadsheets.PROGRESS_ROWS", 50)
    reported = []

    export_list(program, fmt=fmt, target=io.BytesIO(), rows=rows(120), progress=reported.append)

    assert reported == [50, 50]


# --- command ------------------------------------------------------------------------------------------------------


def test_the_command_writes_the_list_and_prints_the_row_count_and_path(program, tmp_path):
    grant(program, "杭州甲商贸有限公司")
    path = tmp_path / "名单.csv"
    out = io.StringIO()

    call_command("export_list", program="honest-2027", format="csv", out=str(path), stdout=out)

    assert csv_rows(path.read_bytes())[1][2] == "杭州甲商贸有限公司"
    assert "1" in out.getvalue() and str(path) in out.getvalue()
    assert list(tmp_path.iterdir()) == [path]  # no partial file left behind


def test_the_command_writes_the_exposure_list_when_asked(tmp_path):
    program = ProgramFactory(mode="evaluation", slug="catering-2027")
    expose(program, "杭州丙餐饮有限公司")
    path = tmp_path / "exposure.xlsx"

    call_command(
        "export_list", program="catering-2027", format="xlsx", out=str(path), list="exposure", stdout=io.StringIO()
    )

    assert xlsx_sheet(path.read_bytes())["C2"].value == "杭州丙餐饮有限公司"


def test_the_command_prints_a_pdf(program, tmp_path):
    grant(program, "杭州甲商贸有限公司")
    path = tmp_path / "list.pdf"

    call_command("export_list", program="honest-2027", format="pdf", out=str(path), stdout=io.StringIO())

    assert "杭州甲商贸有限公司" in pdf_pages(path.read_bytes())[0]


def test_the_command_explains_itself_with_help():
    from certificates.management.commands.export_list import Command

    help_text = Command().create_parser("manage.py", "export_list").format_help()

    assert "--program SLUG" in help_text and "--list {honours,revoked,exposure}" in help_text


def test_the_command_rejects_an_unknown_programme(tmp_path):
    with pytest.raises(CommandError, match="no-such-programme"):
        call_command("export_list", program="no-such-programme", format="csv", out=str(tmp_path / "x.csv"))


def test_the_command_refuses_a_pdf_without_harfbuzz_subsetting(program, tmp_path, monkeypatch):
    monkeypatch.setattr("certificates.pdf_base.harfbuzz_subset_available", lambda: False)

    with pytest.raises(CommandError, match="libharfbuzz-subset0"):
        call_command("export_list", program="honest-2027", format="pdf", out=str(tmp_path / "x.pdf"))
    assert not list(tmp_path.iterdir())
