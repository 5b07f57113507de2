"""Enrolling a sector from an Excel file: every row checked, every error reported with its row and column."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from awards import enrolment
from awards.enrolment import COLUMNS, EnrolmentRow, RowError, enrolment_template, parse_enrolment_workbook
from awards.models.programs import ENTERPRISE_NAME_MAX_LENGTH
from awards.uscc import InvalidUSCC, check_character, validate_uscc
from awards.validators import uscc_error_message

DISTRICTS = {"330106": "330106", "西湖区": "330106", "330102": "330102", "上城区": "330102"}
INDUSTRIES = {
    "F": "F",
    "批发和零售业": "F",
    "F 批发和零售业": "F",
    "H": "H",
    "住宿和餐饮业": "H",
    "H 住宿和餐饮业": "H",
}
CHINESE = ["企业名称", "统一社会信用代码", "所在区县", "所属行业", "联系人", "联系电话"]
ENGLISH = ["Name", "USCC", "District", "Industry", "Contact", "Phone"]


def uscc(n: int) -> str:
    first17 = f"91330106MA{n:07d}"
    return first17 + check_character(first17)


def enterprise(n: int = 1, **changes) -> list:
    """A valid row in the order of CHINESE; `changes` replace cells by heading."""
    row = dict(zip(CHINESE, [f"杭州第{n}商贸有限公司", uscc(n), "西湖区", "F", "陈建国", "13800138000"], strict=True))
    return list({**row, **changes}.values())


def xlsx(*rows, extra_sheet: list | None = None) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    if extra_sheet:
        workbook.create_sheet("其他").append(extra_sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def with_sheet_xml(file: io.BytesIO, pattern: bytes, replacement: bytes) -> io.BytesIO:
    """The workbook with its first sheet's XML edited, as other programs than openpyxl write it."""
    edited = io.BytesIO()
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(edited, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(pattern, replacement, data)
            target.writestr(item, data)
    edited.seek(0)
    return edited


def parse(file: io.BytesIO) -> tuple[list[EnrolmentRow], list[RowError]]:
    return parse_enrolment_workbook(file, districts=DISTRICTS, industries=INDUSTRIES)


def positions(errors: list[RowError]) -> list[tuple[int, str]]:
    return [(error.row_number, error.column) for error in errors]


def message_for(code: str) -> str:
    with pytest.raises(InvalidUSCC) as error:
        validate_uscc(code)
    return uscc_error_message(error.value)


# Valid files ----------------------------------------------------------------------------------


def test_a_valid_file_with_chinese_headings_is_read_row_by_row():
    rows, errors = parse(xlsx(CHINESE, enterprise(1), enterprise(2, 所在区县="330102", 所属行业="H")))
    assert errors == []
    assert rows == [
        EnrolmentRow(2, "杭州第1商贸有限公司", uscc(1), "330106", "F", "陈建国", "13800138000"),
        EnrolmentRow(3, "杭州第2商贸有限公司", uscc(2), "330102", "H", "陈建国", "13800138000"),
    ]


def test_english_headings_are_recognised_whatever_their_case_and_surrounding_spaces():
    headings = [" name ", "USCC", "District  ", "INDUSTRY", "contact", "Phone"]
    rows, errors = parse(xlsx(headings, enterprise(1)))
    assert errors == []
    assert [row.uscc for row in rows] == [uscc(1)]


@pytest.mark.parametrize("headings", [["单位名称", "信用代码", "区县", "行业", "联系人", "电话"], ENGLISH])
def test_every_recognised_heading_is_accepted(headings):
    assert parse(xlsx(headings, enterprise(1)))[1] == []


def test_columns_may_come_in_any_order_among_others():
    order = [5, 3, 0, 4, 1, 2]
    headings = ["备注"] + [CHINESE[i] for i in order]
    row = enterprise(1)
    rows, errors = parse(xlsx(headings, ["老客户"] + [row[i] for i in order]))
    assert errors == []
    assert rows == [EnrolmentRow(2, "杭州第1商贸有限公司", uscc(1), "330106", "F", "陈建国", "13800138000")]


def test_the_credit_code_is_normalised():
    rows, errors = parse(xlsx(CHINESE, enterprise(1, 统一社会信用代码=f" {uscc(1).lower()[:9]} {uscc(1)[9:]} ")))
    assert errors == []
    assert rows[0].uscc == uscc(1)


@pytest.mark.parametrize("district", ["西湖区", "330106", 330106, " 西湖区 "])
def test_a_district_is_given_by_code_or_name(district):
    rows, errors = parse(xlsx(CHINESE, enterprise(1, 所在区县=district)))
    assert errors == []
    assert rows[0].district_code == "330106"


@pytest.mark.parametrize(
    "industry", ["F", "批发和零售业", "F 批发和零售业", "f", " F  批发和零售业 ", "F\u3000批发和零售业"]
)
def test_an_industry_is_given_by_section_letter_name_or_both(industry):
    rows, errors = parse(xlsx(CHINESE, enterprise(1, 所属行业=industry)))
    assert errors == []
    assert rows[0].industry_code == "F"


@pytest.mark.parametrize("stored", [b"13800138000", b"13800138000.0", b"1.3800138E10"])
def test_a_phone_typed_as_a_number_keeps_its_digits(stored):
    file = with_sheet_xml(
        xlsx(CHINESE, enterprise(1, 联系电话=13800138000)), rb"<v>13800138000</v>", b"<v>%s</v>" % stored
    )
    rows, errors = parse(file)
    assert errors == []
    assert rows[0].contact_phone == "13800138000"


@pytest.mark.parametrize("phone", ["0571-87654321", "+86 138 0013 8000", "(0571) 8765 4321"])
def test_a_phone_may_hold_spaces_plus_hyphens_and_brackets(phone):
    assert parse(xlsx(CHINESE, enterprise(1, 联系电话=phone)))[1] == []


def test_empty_rows_are_skipped_and_row_numbers_stay_those_excel_shows():
    rows, errors = parse(xlsx(CHINESE, [], enterprise(1), [None, " ", ""], [], enterprise(2)))
    assert errors == []
    assert [row.row_number for row in rows] == [3, 6]


def test_only_the_first_worksheet_is_read():
    rows, errors = parse(xlsx(CHINESE, enterprise(1), extra_sheet=["说明", "不是企业"]))
    assert errors == []
    assert len(rows) == 1


def test_rows_are_all_read_even_when_the_file_states_a_wrong_size():
    file = xlsx(CHINESE, enterprise(1), enterprise(2))
    rows, errors = parse(with_sheet_xml(file, rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"'))
    assert errors == []
    assert [row.row_number for row in rows] == [2, 3]


# Errors in rows -------------------------------------------------------------------------------


def test_a_wrong_credit_code_is_explained_precisely_at_its_row():
    _, errors = parse(xlsx(CHINESE, enterprise(1), enterprise(2, 统一社会信用代码="91350100M000100Y44")))
    assert errors == [RowError(3, "统一社会信用代码", message_for("91350100M000100Y44"))]


def test_a_credit_code_that_excel_turned_into_a_number_is_refused():
    _, errors = parse(xlsx(CHINESE, enterprise(1, 统一社会信用代码=913301061234567890)))
    assert positions(errors) == [(2, "统一社会信用代码")]


def test_an_unknown_district_is_named():
    _, errors = parse(xlsx(CHINESE, enterprise(1, 所在区县="东城区")))
    assert positions(errors) == [(2, "所在区县")]
    assert "东城区" in errors[0].message


def test_an_unknown_industry_is_named():
    _, errors = parse(xlsx(CHINESE, enterprise(1, 所属行业="Z 外星贸易")))
    assert positions(errors) == [(2, "所属行业")]
    assert "Z 外星贸易" in errors[0].message


@pytest.mark.parametrize("phone", ["138001", "138-0013-8000 转 8", "x" * 8, "1" * 21])
def test_a_phone_that_is_not_a_phone_number_is_named(phone):
    _, errors = parse(xlsx(CHINESE, enterprise(1, 联系电话=phone)))
    assert positions(errors) == [(2, "联系电话")]
    assert phone in errors[0].message


@pytest.mark.parametrize("heading", CHINESE)
def test_every_column_is_required(heading):
    rows, errors = parse(xlsx(CHINESE, enterprise(1, **{heading: "  "}), enterprise(2)))
    assert positions(errors) == [(2, heading)]
    assert [row.row_number for row in rows] == [3]


def test_a_row_shorter_than_the_headings_lacks_its_last_cells():
    _, errors = parse(xlsx(CHINESE, enterprise(1)[:2]))
    assert positions(errors) == [(2, heading) for heading in CHINESE[2:]]


@pytest.mark.parametrize(("heading", "limit"), [("企业名称", ENTERPRISE_NAME_MAX_LENGTH), ("联系人", 100)])
def test_names_longer_than_the_register_holds_are_refused(heading, limit):
    _, errors = parse(
        xlsx(CHINESE, enterprise(1, **{heading: "甲" * limit}), enterprise(2, **{heading: "甲" * (limit + 1)}))
    )
    assert positions(errors) == [(3, heading)]


def test_the_same_code_twice_is_an_error_on_the_second_naming_the_first():
    again = f" {uscc(1).lower()} "
    rows, errors = parse(xlsx(CHINESE, enterprise(1), enterprise(2), enterprise(3, 统一社会信用代码=again)))
    assert positions(errors) == [(4, "统一社会信用代码")]
    assert "2" in errors[0].message
    assert [row.row_number for row in rows] == [2, 3]


def test_all_errors_are_collected_at_once():
    _, errors = parse(
        xlsx(
            CHINESE,
            enterprise(1, 统一社会信用代码="123", 所在区县="东城区", 联系电话="无"),
            enterprise(2),
            enterprise(3, 企业名称=None, 所属行业="?"),
            enterprise(4, 统一社会信用代码=uscc(2)),
        )
    )
    assert positions(errors) == [
        (2, "统一社会信用代码"),
        (2, "所在区县"),
        (2, "联系电话"),
        (4, "企业名称"),
        (4, "所属行业"),
        (5, "统一社会信用代码"),
    ]
    assert errors[0].message == message_for("123")


# Errors in the file as a whole ----------------------------------------------------------------


def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"hello",
        b"",
        "企业名称,统一社会信用代码\n杭州第1商贸有限公司,91350100M000100Y43\n".encode(),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),  # an old .xls
        _zip_of_text(),
        enrolment_template()[:2000],  # cut off during upload
    ],
    ids=["text", "empty", "csv", "xls", "zip", "truncated"],
)
def test_a_file_that_is_not_an_xlsx_gives_one_file_error(content):
    rows, errors = parse(io.BytesIO(content))
    assert rows == []
    assert positions(errors) == [(0, "")]


@pytest.mark.parametrize("heading", CHINESE)
def test_a_missing_column_is_a_file_error_naming_it(heading):
    index = CHINESE.index(heading)
    headings = CHINESE[:index] + CHINESE[index + 1 :]
    row = enterprise(1)
    rows, errors = parse(xlsx(headings, row[:index] + row[index + 1 :]))
    assert rows == []
    assert positions(errors) == [(0, "")]
    assert heading in errors[0].message


def test_every_missing_column_is_named():
    _, errors = parse(xlsx(["企业名称", "统一社会信用代码", "备注"], ["杭州第1商贸有限公司", uscc(1), ""]))
    assert len(errors) == 4
    assert all(heading in error.message for heading, error in zip(CHINESE[2:], errors, strict=True))


def test_the_same_column_twice_is_a_file_error():
    rows, errors = parse(xlsx([*CHINESE, "单位名称"], [*enterprise(1), "别名"]))
    assert rows == []
    assert positions(errors) == [(0, "单位名称")]


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [["2025年西湖区企业名单"], CHINESE, enterprise(1)],
        [["甲", "乙"], ["1", "2"]],
    ],
    ids=["empty sheet", "title above the headings", "no known heading"],
)
def test_a_file_without_headings_in_its_first_row_gives_one_file_error(rows):
    assert positions(parse(xlsx(*rows))[1]) == [(0, "")]


def test_headings_without_enterprises_are_a_file_error():
    assert positions(parse(xlsx(CHINESE, [], [None] * 6))[1]) == [(0, "")]


def test_more_rows_than_allowed_is_a_file_error(monkeypatch):
    monkeypatch.setattr(enrolment, "MAX_ROWS", 3)
    rows, errors = parse(xlsx(CHINESE, *(enterprise(n) for n in range(1, 5))))
    assert rows == []
    assert positions(errors) == [(0, "")]
    assert "3" in errors[0].message


def test_exactly_as_many_rows_as_allowed_is_fine(monkeypatch):
    monkeypatch.setattr(enrolment, "MAX_ROWS", 3)
    rows, errors = parse(xlsx(CHINESE, *(enterprise(n) for n in range(1, 4)), [], []))
    assert errors == []
    assert len(rows) == 3


# The template ---------------------------------------------------------------------------------


def test_the_template_has_the_chinese_headings_and_an_example_row():
    sheet = openpyxl.load_workbook(io.BytesIO(enrolment_template())).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [headings[0] for headings in COLUMNS.values()]
    assert len(values) == 2


def test_the_template_passes_the_parser_unchanged():
    rows, errors = parse(io.BytesIO(enrolment_template()))
    assert errors == []
    assert rows == [
        EnrolmentRow(2, "杭州西湖示例商贸有限公司", "91350100M000100Y43", "330106", "F", "张三", "13800138000")
    ]
