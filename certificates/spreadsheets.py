"""The published list as a spreadsheet: CSV for Excel on Chinese Windows, and xlsx; neither runs a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from awards.models import Program
from certificates.kinds import ListKind
from certificates.lists import LIST_LABELS, ListRow, cells, list_columns, list_title

# Column widths in Excel's character units (a hanzi counts about two).
XLSX_WIDTHS = {
    "number": 7,
    "district": 12,
    "enterprise": 42,
    "uscc": 22,
    "industry": 28,
    "title": 30,
    "tier": 10,
    "serial": 16,
    "status": 24,
    "revoked_on": 12,
}

# Rows between two reports of progress: often enough for a job's heartbeat, rarely enough to cost nothing.
PROGRESS_ROWS = 1000

Progress = Callable[[int], object]


# --- formula injection --------------------------------------------------------------------------------------------

# A spreadsheet runs text starting with one of these as a formula (OWASP "CSV injection"): =HYPERLINK(...) exfiltrates
# data at a click, and +86 … or -… turn into arithmetic or #NAME? errors.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def looks_like_formula(value: object) -> bool:
    """Text a spreadsheet would evaluate; a real number, even a negative one, is just a number."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)


def safe_cell(value: object) -> object:
    """The value to write into a text spreadsheet (CSV): formula-like text gets a leading apostrophe, which Excel and
    WPS read as "this is text" and which a reader sees for what it is."""
    return f"'{value}" if looks_like_formula(value) else value


# --- writers ------------------------------------------------------------------------------------------------------


def write_csv(
    program: Program,
    rows: Iterable[ListRow],
    target: IO[bytes],
    which: ListKind,
    progress: Progress | None = None,
    *,
    notes: Sequence[str] = (),
) -> int:
    columns = list_columns(which)
    keys = tuple(key for key, _heading in columns)
    # utf-8-sig writes the BOM without which Excel on Chinese Windows reads the file as GBK.
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow([heading for _key, heading in columns])
        count = 0
        for count, row in enumerate(rows, start=1):
            writer.writerow([safe_cell(value) for value in cells(count, row, keys)])
            _report(progress, count)
        if notes:  # under the table after an empty row, as a printed list has them under its last line
            writer.writerow([])
            writer.writerows([safe_cell(note)] for note in notes)
    finally:
        text.flush()
        text.detach()  # the caller owns the target: leave it open
    return count


def write_xlsx(
    program: Program,
    rows: Iterable[ListRow],
    target: IO[bytes],
    which: ListKind,
    progress: Progress | None = None,
    *,
    notes: Sequence[str] = (),
) -> int:
    # write_only streams rows to a temporary file: memory stays flat however long the list is.
    workbook = Workbook(write_only=True)
    workbook.properties.title = list_title(program, which)
    workbook.properties.creator = program.issuing_body
    sheet = workbook.create_sheet(title=LIST_LABELS[which])
    columns = list_columns(which)
    keys = tuple(key for key, _heading in columns)
    _set_up_sheet(sheet, keys)
    bold = Font(bold=True)
    sheet.append([_styled(sheet, heading, font=bold) for _key, heading in columns])
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append([_xlsx_value(sheet, value) for value in cells(count, row, keys)])
        _report(progress, count)
    if notes:  # under the table after an empty row, outside the filter's range
        sheet.append([])
        for note in notes:
            sheet.append([_xlsx_value(sheet, note)])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{count + 1}"
    workbook.save(target)
    return count


def _report(progress: Progress | None, count: int) -> None:
    if progress is not None and count % PROGRESS_ROWS == 0:
        progress(PROGRESS_ROWS)


def _set_up_sheet(sheet, keys: tuple[str, ...]) -> None:
    """Widths, a frozen heading and print settings; write-only sheets take them before the first row."""
    for index, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS[key]
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _xlsx_value(sheet, value: object) -> object:
    """Formula-like text stays exactly as written but typed as text, with Excel's own "text" flag (quotePrefix) so
    that editing the cell keeps it text; openpyxl would otherwise store any string starting with = as a formula."""
    if looks_like_formula(value):
        return _styled(sheet, value, quote_prefix=True)
    return value


def _styled(sheet, value: object, *, font: Font | None = None, quote_prefix: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f", whatever the text starts with
    if font is not None:
        cell.font = font
    if quote_prefix:
        cell.quotePrefix = True
    return cell
