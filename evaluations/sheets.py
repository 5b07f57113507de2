"""Helpers shared by the Excel imports of a sector evaluation: streaming rows, cell text, the row-by-row report.

Every error names the Excel row and the column heading, so that the organizer can find and fix it in the file.
Workbooks are read in openpyxl's read-only (streaming) mode and templates are written in write-only mode.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from awards.uscc import InvalidUSCC, validate_uscc

CODE_HEADING = "统一社会信用代码"
MAX_ERRORS = 500  # reported in full; past these, only counted
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RowError:
    row_number: int  # as Excel shows it; 0 for the file as a whole
    column: str  # the heading, or "" for the whole row or file
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0  # rows checked
    imported: int = 0

    def add(self, row_number: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row_number, column, message))

    def file_error(self, message: str) -> ImportReport:
        self.add(0, "", message)
        return self


class NotAWorkbook(Exception):
    """The upload is not an .xlsx workbook openpyxl can read."""


def not_a_workbook_message() -> str:
    return _(
        "This file is not an Excel workbook (.xlsx). Open it in Excel or WPS, save it as "
        "“Excel Workbook (*.xlsx)” and upload it again."
    )


def rows(file: BinaryIO) -> Iterator[tuple[int, tuple]]:
    """The non-empty rows of the first worksheet with their Excel row numbers, streamed."""
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl reports a damaged or foreign file with many kinds of exception
        raise NotAWorkbook from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(text(cell) for cell in cells):
                yield number, cells
    finally:
        workbook.close()


def text(value: object) -> str:
    """A cell as trimmed text; whole numbers without “.0”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).strip()


def cell(cells: tuple, index: int | None) -> object:
    return cells[index] if index is not None and index < len(cells) else None


def headings_index(header: tuple) -> dict[str, int]:
    """Column heading → index (the first column with that heading)."""
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        found.setdefault(text(value), index)
    return found


def missing_column(report: ImportReport, heading: str) -> None:
    report.file_error(_("The column “%(column)s” is missing. Download the template.") % {"column": heading})


def enterprise_codes(program) -> dict[str, int]:
    """Unified social credit code → application id, for the programme's enrolled enterprises."""
    return dict(
        program.applications.filter(enrolled=True).values_list("enterprise__uscc", "pk").iterator(chunk_size=5000)
    )


def check_code(number: int, raw: object, enterprises: dict[str, int], report: ImportReport) -> int | None:
    """The application id of the code in the row, or None after reporting why it is not one."""
    value = text(raw)
    if not value:
        report.add(number, CODE_HEADING, _("Enter the enterprise's unified social credit code."))
        return None
    try:
        uscc = validate_uscc(value)
    except InvalidUSCC:
        uscc = value.upper()
    if uscc not in enterprises:
        message = _("No enterprise with the code %(code)s is enrolled in this evaluation.")
        report.add(number, CODE_HEADING, message % {"code": value})
        return None
    return enterprises[uscc]


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: object) -> datetime.date | None:
    """A date cell, or text such as 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301; None otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if re.fullmatch(r"\d{8}", raw):
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    match = _DATE.match(raw)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def template_workbook(title: str, headings: list[str], example: list, notes: Iterable[str]) -> bytes:
    """A write-only .xlsx: bold headings, one example row, and a second sheet with filling instructions."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index in range(len(headings)):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index + 1)].width = 22
    bold = []
    for heading in headings:
        heading_cell = WriteOnlyCell(sheet, value=heading)
        heading_cell.font = Font(bold=True)
        bold.append(heading_cell)
    sheet.append(bold)
    sheet.append(example)
    instructions = workbook.create_sheet("填写说明")
    for note in notes:
        instructions.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
