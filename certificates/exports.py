"""The published lists (名单) of a programme, grouped by district, as print-ready PDF, xlsx or CSV.

Two lists: the honour roll (every granted title) and, for evaluation programmes, the exposure list (applications
published as serious breaches of trust). Rows come from one query each, streamed with a server-side cursor.

The PDF renders in chunks of rows, each a WeasyPrint document in a forked worker process, joined with pypdf: one
document for 10,000 rows held every page's layout at once (1.4 GB). A chunk's last, partly filled page is left out
and its rows start the next chunk, so the pages read as one continuous table. The 「第 X 页 / 共 Y 页」 footer is
stamped afterwards from a footer-only document, because no chunk knows the total number of pages. Measurements:
bench/exports.py; 10,000 rows take about 35 s on two cores.
"""

from __future__ import annotations

import csv
import datetime
import gc
import io
import multiprocessing
import os
import re
import signal
import time
import traceback
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal
from urllib.parse import quote

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from awards.models import Application, ApplicationStatus, Program
from certificates.models import Certificate
from certificates.pdf_base import MONO_FONT, SERIF_FONT, font_config, require_harfbuzz_subset

Format = Literal["pdf", "xlsx", "csv"]
Which = Literal["honours", "exposure"]
FORMATS: tuple[str, ...] = ("pdf", "xlsx", "csv")
LISTS: tuple[str, ...] = ("honours", "exposure")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

# The columns of every format, in order, with their headings: an official document's wording, hence Chinese.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "序号"),
    ("district", "所在区县"),
    ("enterprise", "企业名称"),
    ("uscc", "统一社会信用代码"),
    ("industry", "所属行业"),
    ("title", "称号"),
    ("tier", "信用等级"),
    ("serial", "证书编号"),
)
# The exposure list grants nothing: no title, no certificate.
_NOT_ON_EXPOSURE = frozenset({"title", "serial"})

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
}
# Relative widths of the PDF columns on A4 landscape, in millimetres of its 273 mm table when every column is there:
# names wrap when they must, codes never do. An 18-character code in the monospaced font takes 9 em, 81 pt (28.6 mm)
# at 9 pt, plus the cell's padding; a serial fits on one line up to a prefix of 6 characters (CX-2027-00001 has 2).
PDF_WEIGHTS = {"number": 11, "enterprise": 88, "uscc": 32, "industry": 54, "title": 43, "tier": 15, "serial": 30}
# Columns printed in the monospaced font, where a reader compares character by character; the code never wraps
# (a line break inside it would also split it for a text search in the PDF).
PDF_CODE_COLUMNS = ("uscc", "serial")
PDF_NOWRAP_COLUMNS = ("uscc",)

# Rows per WeasyPrint document, each in a worker process. Memory grows with the chunk: at 2,000 rows a worker peaks
# at 470 MB (RSS), and the export with its two workers at 700 MB (PSS). Smaller chunks cost more time per row.
PDF_CHUNK_ROWS = 2000

LIST_LABELS = {"honours": "授予称号名单", "exposure": "严重失信企业名单"}


@dataclass(frozen=True, slots=True)
class ListRow:
    """One enterprise on a published list."""

    district: str
    district_code: str
    enterprise: str
    uscc: str
    industry: str
    title: str
    tier: str  # "A".."D", or "" without a result
    serial: str  # "" on the exposure list


# --- rows ---------------------------------------------------------------------------------------------------------

# values_list() instead of model instances: one joined query, and 10,000 rows cost tuples rather than 40,000 objects.
_ENTERPRISE_FIELDS = (
    "enterprise__district__name",
    "enterprise__district__code",
    "enterprise__name",
    "enterprise__uscc",
    "enterprise__industry__name",
)
_FETCH = 2000


# A title vouches for the enterprise as it was at the grant: its own copy of the name and the code.
_TITLE_HOLDER_FIELDS = (
    "enterprise__district__name",
    "enterprise__district__code",
    "enterprise_name",
    "enterprise_uscc",
    "enterprise__industry__name",
)


def honour_roll_rows(program: Program) -> Iterator[ListRow]:
    """Every title granted in the programme, whatever its status since, by district and serial."""
    query = (
        Certificate.objects.filter(program=program)
        .order_by("enterprise__district__code", "serial")
        .values_list(*_TITLE_HOLDER_FIELDS, "title", "application__result__tier", "serial")
    )
    for *enterprise, title, tier, serial in query.iterator(chunk_size=_FETCH):
        yield ListRow(*enterprise, title=title, tier=tier or "", serial=serial)


def exposure_rows(program: Program) -> Iterator[ListRow]:
    """Applications published as serious breaches of trust, by district and name."""
    query = (
        Application.objects.filter(program=program, status=ApplicationStatus.EXPOSED)
        .order_by("enterprise__district__code", "enterprise__name", "pk")
        .values_list(*_ENTERPRISE_FIELDS, "result__tier")
    )
    for *enterprise, tier in query.iterator(chunk_size=_FETCH):
        yield ListRow(*enterprise, title="", tier=tier or "", serial="")


def list_rows(program: Program, which: Which = "honours") -> Iterator[ListRow]:
    _check_choice(which, LISTS)
    return honour_roll_rows(program) if which == "honours" else exposure_rows(program)


def list_columns(which: Which, *, grouped: bool = False) -> tuple[tuple[str, str], ...]:
    """The columns of a list; `grouped` drops the district column where district headings group the rows."""
    return tuple(
        (key, heading)
        for key, heading in COLUMNS
        if not (which == "exposure" and key in _NOT_ON_EXPOSURE) and not (grouped and key == "district")
    )


def _cells(number: int, row: ListRow, keys: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(number if key == "number" else getattr(row, key) for key in keys)


# --- names --------------------------------------------------------------------------------------------------------


def list_title(program: Program, which: Which = "honours") -> str:
    """The heading of the list, e.g. 2027年度诚信经营示范单位名单."""
    if which == "exposure":
        return f"{program.year}年度严重失信企业名单"
    return f"{program.official_title}名单"


def written_date(date: datetime.date) -> str:
    """2027年3月15日, as dates are written in the body of a notice."""
    return f"{date.year}年{date.month}月{date.day}日"


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def list_filename(program: Program, fmt: Format, which: Which = "honours") -> str:
    """A Chinese file name, e.g. 2027年度诚信经营示范单位评选_授予称号名单.pdf."""
    _check_choice(fmt, FORMATS)
    _check_choice(which, LISTS)
    stem = _UNSAFE_IN_FILE_NAMES.sub("_", f"{program.title}_{LIST_LABELS[which]}").strip(" .")
    return f"{stem}.{fmt}"


def ascii_filename(program: Program, fmt: Format, which: Which = "honours") -> str:
    """The file name for clients that ignore filename*: the programme's short name is ASCII already."""
    return f"{program.slug}-{which}.{fmt}"


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """`attachment` with an ASCII fallback name and the real name percent-encoded in UTF-8 (RFC 6266)."""
    fallback = _ascii_fallback(fallback or filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _ascii_fallback(filename: str) -> str:
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    # Quotes and backslashes would end or escape the quoted string; keep a conservative set of characters.
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_stem).strip("._") or "download"
    ascii_extension = re.sub(r"[^A-Za-z0-9]", "", extension)
    return f"{ascii_stem}.{ascii_extension}" if ascii_extension else ascii_stem


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


def _check_choice(value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{value!r} is not one of {', '.join(choices)}")


# --- export -------------------------------------------------------------------------------------------------------


def export_list(
    program: Program, *, fmt: Format, target: IO[bytes], which: Which = "honours", rows: Iterable[ListRow] | None = None
) -> int:
    """Write the published list of a programme into `target` (a binary file object); return the number of rows.

    `rows` replaces the database query, for previews and tests.
    """
    _check_choice(fmt, FORMATS)
    rows = list_rows(program, which) if rows is None else rows
    writer = {"pdf": _write_pdf, "xlsx": _write_xlsx, "csv": _write_csv}[fmt]
    return writer(program, rows, target, which)


def _write_csv(program: Program, rows: Iterable[ListRow], target: IO[bytes], which: Which) -> int:
    columns = list_columns(which)
    keys = tuple(key for key, _heading in columns)
    # utf-8-sig writes the BOM without which Excel on Chinese Windows reads the file as GBK.
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow([heading for _key, heading in columns])
        count = 0
        for count, row in enumerate(rows, start=1):
            writer.writerow([safe_cell(value) for value in _cells(count, row, keys)])
    finally:
        text.flush()
        text.detach()  # the caller owns the target: leave it open
    return count


def _write_xlsx(program: Program, rows: Iterable[ListRow], target: IO[bytes], which: Which) -> int:
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
        sheet.append([_xlsx_value(sheet, value) for value in _cells(count, row, keys)])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{count + 1}"
    workbook.save(target)
    return count


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


# --- PDF ---------------------------------------------------------------------------------------------------------

TEMPLATE = "certificates/pdf/list.html"


# A chunk takes a few seconds; a worker silent for this long is stuck.
WORKER_TIMEOUT = 600


class PDFRenderError(RuntimeError):
    """A chunk of the list could not be rendered; the message carries the worker's traceback."""


def _write_pdf(program: Program, rows: Iterable[ListRow], target: IO[bytes], which: Which) -> int:
    require_harfbuzz_subset()
    import weasyprint  # noqa: F401  imported once here rather than in every worker (0.7 s each)

    columns = list_columns(which, grouped=True)
    items, count = _pdf_items(rows, tuple(key for key, _heading in columns))
    context = _pdf_context(program, which, columns)
    chunks, footer = _render(context, items)
    _join_and_number(chunks, footer, context, target)
    return count


def _pdf_context(program: Program, which: Which, columns: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    total = sum(PDF_WEIGHTS[key] for key, _heading in columns)
    keys = [key for key, _heading in columns]
    return {
        "font": SERIF_FONT,
        "mono_font": MONO_FONT,
        # 1-based, for td:nth-child(): the rows stay plain <td>s without classes (see the template).
        "code_columns": [keys.index(key) + 1 for key in PDF_CODE_COLUMNS if key in keys],
        "nowrap_columns": [keys.index(key) + 1 for key in PDF_NOWRAP_COLUMNS if key in keys],
        "title": list_title(program, which),
        "program": program,
        "issuing_body": program.issuing_body,
        "date": written_date(program.ceremony_date),
        "columns": [(heading, f"{100 * PDF_WEIGHTS[key] / total:.2f}%") for key, heading in columns],
        "span": len(columns),
    }


def _pdf_items(rows: Iterable[ListRow], keys: tuple[str, ...]) -> tuple[list[dict[str, Any]], int]:
    """Table rows for the template: a heading row where the district changes, then its enterprises.

    Dicts with both keys, because the template engine resolves a dict key at the first try and anything else through
    exceptions, which would add seconds on 10,000 rows.
    """
    items: list[dict[str, Any]] = []
    district_code = None
    count = 0
    for count, row in enumerate(rows, start=1):
        if row.district_code != district_code:
            district_code = row.district_code
            items.append({"district": row.district or row.district_code, "cells": ()})
        items.append({"district": "", "cells": _cells(count, row, keys)})
    return items, count


def _render(context: dict[str, Any], items: list[dict[str, Any]]) -> tuple[list[bytes], bytes]:
    """The PDF of each chunk of the table, without a gap or a repeated row between them, and the footer document.

    Each chunk renders in a worker process of its own, forked from this one: its memory goes back to the system when
    it ends, instead of a collection of its cyclic garbage (a sixth of the time), and while one worker writes its
    PDF the next one already lays out its pages, on the second core. At most two workers run at a time; any still
    running after an error is ended.
    """
    workers: list[_Worker] = []
    try:
        chunks: list[bytes] = []
        pages = 0
        start = 0
        while True:
            stop = _chunk_end(start, len(items))
            last = stop == len(items)
            html = render_to_string(
                TEMPLATE, {**context, "items": items[start:stop], "first": start == 0, "empty": not items}
            )
            workers.append(_Worker.start(html, carry_last_page=not last))
            if len(workers) > 1:
                chunks.append(workers[-2].pdf())
            carried, kept = workers[-1].laid_out()
            pages += kept
            if last:
                break
            if carried >= stop - start:  # cannot happen with chunks of many pages; never loop forever
                raise PDFRenderError("a chunk of the list fits on one page")
            start = stop - carried
        # The number of pages is known once the last chunk is laid out: number them while it writes.
        workers.append(_Worker.start(render_to_string(TEMPLATE, {**context, "footer_pages": range(pages)})))
        chunks.append(workers[-2].pdf())
        return chunks, workers[-1].pdf()
    finally:
        for worker in workers:
            worker.close()


def _chunk_end(start: int, total: int) -> int:
    """Split what is left into equal chunks of at most PDF_CHUNK_ROWS: 2,013 rows as 1,007 and 1,006 rather than
    2,000 and 13, so that the two workers overlap."""
    left = total - start
    chunks = -(-left // PDF_CHUNK_ROWS)  # ceiling division
    return start + -(-left // max(chunks, 1))


class _Worker:
    """A forked process rendering one HTML document. It reports how many rows it leaves for the next chunk as soon
    as its pages are laid out, then sends the PDF.

    os.fork() rather than multiprocessing: a multiprocessing pool's daemonic workers may not start processes, and a
    forked worker needs neither Django set up nor WeasyPrint imported again.
    """

    def __init__(self, pid: int, connection) -> None:
        self.pid = pid
        self.connection = connection
        self.exit_code: int | None = None
        self._layout: tuple[int, int] | None = None

    @classmethod
    def start(cls, html: str, *, carry_last_page: bool = False) -> _Worker:
        ours, theirs = multiprocessing.Pipe(duplex=False)
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                ours.close()
                _render_in_worker(theirs, html, carry_last_page)
            finally:
                os._exit(0)  # no atexit handlers, no database connections closed under the parent's feet
        theirs.close()
        return cls(pid, ours)

    def laid_out(self) -> tuple[int, int]:
        """The rows left for the next chunk, and the pages kept."""
        if self._layout is None:
            self._layout = self._receive("laid_out")
        return self._layout

    def pdf(self) -> bytes:
        try:
            self.laid_out()
            return self._receive("pdf")
        finally:
            self.close()

    def close(self) -> None:
        """Wait for the worker to end; end it if it still runs, after an error elsewhere."""
        self.connection.close()
        deadline = time.monotonic() + 2
        while self.exit_code is None and time.monotonic() < deadline:
            self._reap(os.WNOHANG)
            time.sleep(0.01)
        if self.exit_code is None:
            os.kill(self.pid, signal.SIGKILL)
            self._reap(0)

    def _reap(self, options: int) -> None:
        if self.exit_code is None:
            pid, status = os.waitpid(self.pid, options)
            if pid:
                self.exit_code = os.waitstatus_to_exitcode(status)

    def _receive(self, expected: str) -> Any:
        # A worker forked while another thread held a lock (fontconfig's, say) could wait forever: give up instead.
        if not self.connection.poll(WORKER_TIMEOUT):
            raise PDFRenderError(f"the PDF worker sent nothing for {WORKER_TIMEOUT} seconds")
        try:
            kind, value = self.connection.recv()
        except EOFError:
            self._reap(0)
            raise PDFRenderError(f"the PDF worker ended with exit code {self.exit_code}") from None
        if kind == "error":
            raise PDFRenderError(value)
        if kind != expected:
            raise PDFRenderError(f"the PDF worker sent {kind} instead of {expected}")
        return value


def _render_in_worker(connection, html: str, carry_last_page: bool) -> None:
    """In the worker: lay out, report the rows of a partly filled last page when asked to leave it out, write."""
    try:
        # The process ends after this one document: collecting its cyclic garbage would only cost time.
        gc.disable()
        from weasyprint import HTML

        document = HTML(string=html).render(font_config=font_config())
        pages = document.pages
        carried = _body_rows(pages[-1]) if carry_last_page and len(pages) > 1 else 0
        if carried:
            document = document.copy(pages[:-1])
        connection.send(("laid_out", (carried, len(document.pages))))
        connection.send(("pdf", document.write_pdf()))
    except BaseException:
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def _body_rows(page) -> int:
    """How many rows of the table body a laid-out page holds (the repeated heading row is a header group)."""
    from weasyprint.formatting_structure.boxes import TableRowGroupBox

    return sum(
        len(box.children)
        for box in page._page_box.descendants()
        if isinstance(box, TableRowGroupBox) and not box.is_header and not box.is_footer
    )


def _join_and_number(chunks: list[bytes], footer: bytes, context: dict[str, Any], target: IO[bytes]) -> None:
    """Join the chunks and stamp 「第 X 页 / 共 Y 页」 on every page from the footer-only document."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for chunk in chunks:
        writer.append(PdfReader(io.BytesIO(chunk)))
    stamps = PdfReader(io.BytesIO(footer)).pages
    for page, stamp in zip(writer.pages, stamps, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging decompresses the content: 6 times the size otherwise
    writer.add_metadata(
        {"/Title": context["title"], "/Author": context["issuing_body"], "/Subject": str(context["program"])}
    )
    # Joining drops the document's language, which screen readers and text extraction use to read the hanzi.
    writer.root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    writer.write(target)
