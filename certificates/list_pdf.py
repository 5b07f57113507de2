"""The published list as a print-ready PDF: A4 landscape, grouped by district, every page numbered.

The table renders in chunks of rows, one WeasyPrint document each, joined with pypdf: one document for 10,000 rows
held every page's layout at once (1.4 GB). The chunks render one after the other in this process, and the cyclic
garbage of a chunk's layout is collected before the next one starts, so memory stays near one chunk's worth.
A chunk's last, partly filled page is left out and its rows start the next chunk, so the pages read as one
continuous table. The 「第 X 页 / 共 Y 页」 footer is stamped afterwards from a footer-only document, because no chunk
knows the total number of pages. Measurements: bench/exports.py.
"""

from __future__ import annotations

import datetime
import gc
import io
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone

from awards.models import Program
from certificates.kinds import ListKind
from certificates.lists import ListRow, cells, list_columns, list_title, written_date
from certificates.pdf_base import MONO_FONT, SERIF_FONT, font_config, require_harfbuzz_subset

TEMPLATE = "certificates/pdf/list.html"

# Relative widths of the PDF columns on A4 landscape, in millimetres of its 273 mm table on the honour list (the list
# of revocations has a date instead of the tier and the status): names wrap when they must, codes never do. An
# 18-character code in the monospaced font takes 9 em, 81 pt (28.6 mm) at 9 pt, plus the cell's padding; a serial fits
# on one line up to a prefix of 6 characters (CX-2027-00001 has 2); a title of 13 hanzi and 信用等级 fit on one line.
PDF_WEIGHTS = {
    "number": 11,
    "enterprise": 76,
    "uscc": 32,
    "industry": 44,
    "title": 43,
    "tier": 15,
    "serial": 30,
    "status": 22,
    "revoked_on": 24,
}
# Columns printed in the monospaced font, where a reader compares character by character; the code never wraps
# (a line break inside it would also split it for a text search in the PDF).
PDF_CODE_COLUMNS = ("uscc", "serial")
PDF_NOWRAP_COLUMNS = ("uscc",)

# Rows per WeasyPrint document. Memory grows with the chunk: at 2,000 rows the layout peaks at about 470 MB (RSS).
# Smaller chunks cost more time per row.
PDF_CHUNK_ROWS = 2000

Progress = Callable[..., object]


class PDFRenderError(RuntimeError):
    """The list cannot be split into chunks of pages."""


def write_pdf(
    program: Program,
    rows: Iterable[ListRow],
    target: IO[bytes],
    which: ListKind,
    progress: Progress | None = None,
    *,
    notes: Sequence[str] = (),
    as_of: datetime.date | None = None,
) -> int:
    """Write the list as PDF into `target`, with `notes` under the table; `progress(n)` hears of the rows of each
    chunk once it is rendered. The list of revocations is dated `as_of` (today), the others by the ceremony."""
    require_harfbuzz_subset()
    columns = list_columns(which, grouped=True)
    items, count = _pdf_items(rows, tuple(key for key, _heading in columns))
    context = _pdf_context(program, which, columns)
    context["notes"] = list(notes)
    if which == ListKind.REVOKED:
        context["date"] = written_date(as_of or timezone.localdate())
    chunks, footer = _render(context, items, progress or _ignore)
    _join_and_number(chunks, footer, context, target)
    return count


def _ignore(*args) -> None:
    pass


def _pdf_context(program: Program, which: ListKind, columns: tuple[tuple[str, str], ...]) -> dict[str, Any]:
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
        values = cells(count, row, keys)
        if row.revoked_on is not None:  # the one date among the cells, written as in the body of a notice
            values = tuple(written_date(value) if isinstance(value, datetime.date) else value for value in values)
        items.append({"district": "", "cells": values})
    return items, count


def _render(context: dict[str, Any], items: list[dict[str, Any]], progress: Progress) -> tuple[list[bytes], bytes]:
    """The PDF of each chunk of the table, without a gap or a repeated row between them, and the footer document."""
    chunks: list[bytes] = []
    pages = 0
    start = 0
    while True:
        stop = _chunk_end(start, len(items))
        last = stop == len(items)
        html = render_to_string(
            TEMPLATE, {**context, "items": items[start:stop], "first": start == 0, "last": last, "empty": not items}
        )
        pdf, carried, kept = _render_chunk(html, carry_last_page=not last)
        chunks.append(pdf)
        pages += kept
        progress(sum(1 for item in items[start : stop - carried] if item["cells"]))
        if last:
            break
        if carried >= stop - start:  # cannot happen with chunks of many pages; never loop forever
            raise PDFRenderError("a chunk of the list fits on one page")
        start = stop - carried
    # The number of pages is known once the last chunk is laid out.
    footer, _carried, _kept = _render_chunk(render_to_string(TEMPLATE, {**context, "footer_pages": range(pages)}))
    progress()
    return chunks, footer


def _chunk_end(start: int, total: int) -> int:
    """Split what is left into equal chunks of at most PDF_CHUNK_ROWS: 2,013 rows as 1,007 and 1,006 rather than
    2,000 and 13, so that no chunk is a sliver that costs a document's overhead for a page or two."""
    left = total - start
    chunks = -(-left // PDF_CHUNK_ROWS)  # ceiling division
    return start + -(-left // max(chunks, 1))


def _render_chunk(html: str, *, carry_last_page: bool = False) -> tuple[bytes, int, int]:
    """The chunk's PDF, the rows of its partly filled last page left for the next chunk, and the pages kept.

    The collector is paused while WeasyPrint lays out (its boxes are millions of young objects, and collecting them
    as they come costs a sixth of the time) and run once the chunk's layout is garbage, so the next chunk starts from
    the memory of the last.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _lay_out_and_write(html, carry_last_page)
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def _lay_out_and_write(html: str, carry_last_page: bool) -> tuple[bytes, int, int]:
    from weasyprint import HTML

    document = HTML(string=html).render(font_config=font_config())
    pages = document.pages
    carried = _body_rows(pages[-1]) if carry_last_page and len(pages) > 1 else 0
    if carried:
        document = document.copy(pages[:-1])
    return document.write_pdf(), carried, len(document.pages)


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

    from certificates.pdf_fonts import compact_joined

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
    # The footer document and every chunk embed their own subsets of the same fonts.
    compact_joined(writer)
    writer.write(target)
