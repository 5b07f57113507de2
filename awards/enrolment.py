"""Enrolling a whole sector from an Excel workbook: parsing and validation only, no database writes.

The first worksheet lists one enterprise per row under a row of column headings. Every problem is
reported with its Excel row number and column heading, and all of them are collected, so that the
organizer can correct the file in one go; the caller imports only a file without any error.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import BinaryIO

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from awards.models.programs import ENTERPRISE_NAME_MAX_LENGTH
from awards.uscc import InvalidUSCC, validate_uscc
from awards.validators import uscc_error_message


@dataclass(frozen=True)
class EnrolmentRow:
    row_number: int  # as Excel shows it; the headings are row 1
    name: str
    uscc: str  # normalised
    district_code: str
    industry_code: str
    contact_name: str
    contact_phone: str


@dataclass(frozen=True)
class RowError:
    row_number: int  # 0 for a problem with the file as a whole
    column: str  # the column heading as in the file, or "" for the whole row or file
    message: str


# The recognised headings of each column; the first is the one the template uses.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "单位名称", "name"),
    "uscc": ("统一社会信用代码", "信用代码", "code", "uscc"),
    "district": ("所在区县", "区县", "district"),
    "industry": ("所属行业", "行业", "industry"),
    "contact_name": ("联系人", "contact"),
    "contact_phone": ("联系电话", "电话", "phone"),
}
MAX_ROWS = 200_000  # a province-wide sector; the workbook is streamed (read_only)
MAX_LENGTHS = {"name": ENTERPRISE_NAME_MAX_LENGTH, "contact_name": 100}  # as in the Enterprise model
PHONE = re.compile(r"[0-9+\-() ]{7,20}")
TEMPLATE_EXAMPLE = ("杭州西湖示例商贸有限公司", "91350100M000100Y43", "西湖区", "F 批发和零售业", "张三", "13800138000")

_FIELD_BY_HEADING = {heading.casefold(): field for field, headings in COLUMNS.items() for heading in headings}

Cells = tuple[object, ...]


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Maps:
    districts: Mapping[str, str]
    industries: Mapping[str, str]


def parse_enrolment_workbook(
    file: BinaryIO, *, districts: Mapping[str, str], industries: Mapping[str, str]
) -> tuple[list[EnrolmentRow], list[RowError]]:
    """Return the enterprises of a valid file, and every error found; import only when there is none."""
    try:
        rows = _read_rows(file)
    except Exception:  # openpyxl reports a damaged or foreign file with many kinds of exception
        return [], [_file_error(_not_xlsx())]
    columns, errors = _match_header(rows[0][1] if rows else ())
    if errors:
        return [], errors
    data = rows[1:]
    if len(data) > MAX_ROWS:
        return [], [_file_error(_too_many_rows())]
    if not data:
        return [], [_file_error(_no_enterprises())]
    return _check_rows(data, columns, _Maps(districts, industries))


def enrolment_template() -> bytes:
    """An .xlsx with the Chinese headings and one example row, for organizers to download and fill in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "企业名单"
    sheet.append([headings[0] for headings in COLUMNS.values()])
    sheet.append(TEMPLATE_EXAMPLE)
    sheet.freeze_panes = "A2"
    for cell, width in zip(sheet[1], (36, 24, 14, 24, 12, 18), strict=True):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
        sheet.column_dimensions[cell.column_letter].number_format = "@"  # Text: keeps codes and phones intact
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading the file ------------------------------------------------------------------------------


def _read_rows(file: BinaryIO) -> list[tuple[int, Cells]]:
    """The non-empty rows of the first worksheet with their row numbers; past MAX_ROWS data rows, one more."""
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size, which would cut rows off
        numbered = enumerate(sheet.iter_rows(values_only=True), start=1)
        non_empty = ((number, cells) for number, cells in numbered if any(_text(cell) for cell in cells))
        return list(itertools.islice(non_empty, MAX_ROWS + 2))
    finally:
        workbook.close()


def _text(value: object) -> str:
    """A cell as text: a number typed into a cell, such as a phone number, keeps no “.0”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _match_header(header: Cells) -> tuple[dict[str, tuple[int, str]], list[RowError]]:
    """Each field's column index and heading as written in the file, or the errors in the headings."""
    columns: dict[str, tuple[int, str]] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(header):
        heading = _text(cell)
        field = _FIELD_BY_HEADING.get(heading.casefold())
        if field in columns:
            message = _("The columns “%(first)s” and “%(second)s” hold the same information. Delete one of them.")
            errors.append(RowError(0, heading, message % {"first": columns[field][1], "second": heading}))
        elif field:
            columns[field] = (index, heading)
    if not columns:
        return {}, [_file_error(_no_header())]
    missing = [field for field in COLUMNS if field not in columns]
    errors += [_file_error(_missing_column(field)) for field in missing]
    return columns, errors


def _no_header() -> str:
    return _(
        "The first row of the first worksheet must hold the column headings, such as “%(name)s” and “%(uscc)s”. "
        "Download the template to see them all."
    ) % {"name": COLUMNS["name"][0], "uscc": COLUMNS["uscc"][0]}


def _missing_column(field: str) -> str:
    return _(
        "The column “%(column)s” is missing. Add it to the first row (the template has every column) "
        "and fill it in for each enterprise."
    ) % {"column": COLUMNS[field][0]}


def _file_error(message: str) -> RowError:
    return RowError(0, "", message)


def _not_xlsx() -> str:
    return _(
        "This file is not an Excel workbook (.xlsx). Open it in Excel or WPS, save it as "
        "“Excel Workbook (*.xlsx)” and upload it again."
    )


def _too_many_rows() -> str:
    return _(
        "The file lists more than %(limit)d enterprises. Split it into files of at most %(limit)d rows "
        "and upload them one at a time."
    ) % {"limit": MAX_ROWS}


def _no_enterprises() -> str:
    return _("The file has column headings but no enterprises. Enter one enterprise per row below the headings.")


# Checking the rows -----------------------------------------------------------------------------


def _check_rows(
    rows: list[tuple[int, Cells]], columns: dict[str, tuple[int, str]], maps: _Maps
) -> tuple[list[EnrolmentRow], list[RowError]]:
    enrolled: list[EnrolmentRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}  # USCC → the row where it first appears
    for number, cells in rows:
        values, row_errors = _check_row(number, cells, columns, maps)
        uscc = values.get("uscc")
        if uscc in first_row_of:
            message = _("This code already appears in row %(row)d. List each enterprise only once.") % {
                "row": first_row_of[uscc]
            }
            row_errors.append(RowError(number, columns["uscc"][1], message))
        elif uscc:
            first_row_of[uscc] = number
        errors += row_errors
        if not row_errors:
            enrolled.append(_enrolment_row(number, values))
    return enrolled, errors


def _check_row(
    number: int, cells: Cells, columns: dict[str, tuple[int, str]], maps: _Maps
) -> tuple[dict[str, str], list[RowError]]:
    values: dict[str, str] = {}
    errors: list[RowError] = []
    for field, (index, heading) in columns.items():
        raw = cells[index] if index < len(cells) else None
        try:
            values[field] = _check_cell(field, raw, heading, maps)
        except _Invalid as invalid:
            errors.append(RowError(number, heading, invalid.message))
    return values, errors


def _check_cell(field: str, raw: object, heading: str, maps: _Maps) -> str:
    text = _text(raw)
    if not text:
        raise _Invalid(
            _("This cell is empty, but every enterprise needs its “%(column)s”. Fill it in.") % {"column": heading}
        )
    return _CHECKS[field](text, raw, maps)


def _enrolment_row(number: int, values: dict[str, str]) -> EnrolmentRow:
    return EnrolmentRow(
        row_number=number,
        name=values["name"],
        uscc=values["uscc"],
        district_code=values["district"],
        industry_code=values["industry"],
        contact_name=values["contact_name"],
        contact_phone=values["contact_phone"],
    )


def _check_length(field: str) -> Callable[[str, object, _Maps], str]:
    def check(text: str, raw: object, maps: _Maps) -> str:
        if len(text) > MAX_LENGTHS[field]:
            message = _("This cell has %(length)d characters; at most %(limit)d are allowed. Shorten it.")
            raise _Invalid(message % {"length": len(text), "limit": MAX_LENGTHS[field]})
        return text

    return check


def _check_uscc(text: str, raw: object, maps: _Maps) -> str:
    if isinstance(raw, int | float):  # Excel keeps 15 significant digits: the code is already damaged
        raise _Invalid(
            _(
                "Excel has stored this code as a number, which loses its last digits. Format the column as Text, "
                "then type the code again from the business licence."
            )
        )
    try:
        return validate_uscc(text)
    except InvalidUSCC as error:
        raise _Invalid(uscc_error_message(error)) from None


def _check_district(text: str, raw: object, maps: _Maps) -> str:
    if code := _resolve(maps.districts, text):
        return code
    raise _Invalid(
        _(
            "“%(value)s” is not a known district. Enter the six-digit administrative division code "
            "or the full name of the district or county."
        )
        % {"value": text}
    )


def _check_industry(text: str, raw: object, maps: _Maps) -> str:
    if code := _resolve(maps.industries, text):
        return code
    raise _Invalid(
        _(
            "“%(value)s” is not a known industry. Enter a GB/T 4754 section letter or name, "
            "such as “F” or “批发和零售业”."
        )
        % {"value": text}
    )


def _resolve(mapping: Mapping[str, str], text: str) -> str | None:
    """Look a code or name up, tolerating doubled or full-width spaces and a lower-case section letter."""
    key = " ".join(text.split())
    return mapping.get(key) or mapping.get(key.upper())


def _check_phone(text: str, raw: object, maps: _Maps) -> str:
    if not PHONE.fullmatch(text):
        raise _Invalid(
            _(
                "“%(value)s” is not a phone number. Use 7 to 20 digits, spaces and the characters + - ( ), "
                "e.g. 13800138000 or 0571-87654321."
            )
            % {"value": text}
        )
    return text


_CHECKS: dict[str, Callable[[str, object, _Maps], str]] = {
    "name": _check_length("name"),
    "uscc": _check_uscc,
    "district": _check_district,
    "industry": _check_industry,
    "contact_name": _check_length("contact_name"),
    "contact_phone": _check_phone,
}
