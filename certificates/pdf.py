"""Certificates and plaques as print-ready PDFs: one page per granted title, many titles in one file.

A batch renders as one WeasyPrint document per chunk of pages, joined afterwards with pypdf: one document for the
whole batch would hold every page's layout in memory at once (768 MB for 1,000 titles), while separate documents per
title are five times slower. See ../shared/notes/weasyprint-cjk.md for the measurements behind these choices.
"""

from __future__ import annotations

import base64
import datetime
import io
import logging
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import IO

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from awards.models import Program, ProgramKind
from certificates.kinds import PrintKind
from certificates.models import Certificate, CertificateStatus
from certificates.pdf_base import SERIF_FONT, html_to_pdf
from credentials import payload

logger = logging.getLogger(__name__)

KINDS = tuple(PrintKind)
# Pages rendered as one WeasyPrint document: about 250 MB at the peak, and joining 200-page parts costs little.
CHUNK_SIZE = 200

# The A4 landscape certificate is the reference design; a plaque scales every length by its size against A4.
A4_LANDSCAPE_MM = (297.0, 210.0)
ROOT_FONT_MM = 3.6  # 1rem on the certificate, about 10 pt
PAGE_MARGIN_MM = 10.0  # printers rarely reach the edge of the sheet
SHEET_PADDING_REM = 8.0  # frame, ornaments and breathing room on each side of the text column
SHEET_BORDER_REM = {PrintKind.CERTIFICATE: 0.25, PrintKind.PLAQUE: 0.5}  # a plaque's heavier frame
FRAME_GAP_REM, FRAME_LINE_REM = 0.6, 0.08  # between the outer border and the inner line; the inner line
# One 回纹 fret in a 20-unit square, for the top left corner; mirrored into the other three.
FRET_PATH = (
    ((1, 19), (1, 1), (19, 1)),
    ((4, 19), (4, 4), (19, 4)),
    ((7, 16), (7, 7), (16, 7), (16, 13), (10, 13), (10, 10), (13, 10)),
)
FRET_SIZE_REM = 5.0
FRET_OFFSET_REM = 0.6

# A seal printed about 40 mm wide needs no more than 800 px (500 dpi); a larger scan only slows every chunk.
SEAL_MAX_PX = 800

# A plaque is read from across the room: its title takes a larger share of the width.
TITLE_LARGEST_REM = {PrintKind.CERTIFICATE: 4.2, PrintKind.PLAQUE: 5.6}

HARFBUZZ_MISSING = _(
    "PDF printing is unavailable: WeasyPrint cannot subset fonts with HarfBuzz. "
    "Install the Debian package libharfbuzz-subset0 (bin/setup does)."
)

HANZI_DIGITS = "〇一二三四五六七八九"


def verification_url(serial: str) -> str:
    """The public page the QR code on a certificate points at."""
    return payload.verification_base(serial)


def chinese_date(date: datetime.date) -> str:
    """The date as written under the seal of an official document: 二〇二七年三月十五日."""
    year = "".join(HANZI_DIGITS[int(d)] for d in str(date.year))
    return f"{year}年{_hanzi_number(date.month)}月{_hanzi_number(date.day)}日"


def numeric_chinese_date(date: datetime.date) -> str:
    """The date in running text: 2030年3月14日."""
    return f"{date.year}年{date.month}月{date.day}日"


def _hanzi_number(n: int) -> str:
    """1–31 in Chinese numerals: 十, 十五, 二十, 三十一."""
    tens, units = divmod(n, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else HANZI_DIGITS[tens] + "十")
    return prefix + (HANZI_DIGITS[units] if units else "")


def text_width_em(text: str) -> float:
    """The width of a line of text in em: hanzi and full-width forms are square, Latin letters and digits narrower."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.6 for c in text)


def fit_font_size(text: str, *, width: float, largest: float, smallest: float, max_lines: int = 3) -> float:
    """The largest size (in the unit of `width`) that sets `text` on as few lines as possible, never above `largest`.

    Below `smallest` on `max_lines` lines, the text stays at `smallest` and simply takes more lines, so the
    longest name still fits the page instead of shrinking to an unreadable size.
    """
    units = max(text_width_em(text), 1.0)
    for lines in range(1, max_lines + 1):
        # Keep some slack: glyph widths are estimates, and a wrapped line rarely fills to the edge
        # (punctuation may not start a line, Latin words stay whole).
        fill = 0.96 if lines == 1 else 0.9
        size = min(largest, width * lines * fill / units)
        if size >= smallest:
            return round(size, 2)
    return smallest


@dataclass(frozen=True)
class Layout:
    """The page of one kind of print, in millimetres, with every other length in rem of `root_mm`."""

    kind: PrintKind
    width_mm: float
    height_mm: float

    @property
    def scale(self) -> float:
        return min(self.width_mm / A4_LANDSCAPE_MM[0], self.height_mm / A4_LANDSCAPE_MM[1])

    @property
    def root_mm(self) -> float:
        return round(ROOT_FONT_MM * self.scale, 3)

    @property
    def margin_mm(self) -> float:
        return round(PAGE_MARGIN_MM * self.scale, 2)

    @property
    def sheet_height_mm(self) -> float:
        # A hair under the page's content height: a sheet of exactly that height may push an empty page after it.
        return round(self.height_mm - 2 * self.margin_mm - 0.5, 2)

    @property
    def sheet_border_rem(self) -> float:
        return SHEET_BORDER_REM[self.kind]

    @property
    def frame_rem(self) -> tuple[float, float]:
        """The inside of the frame (its padding box) in rem: the ornament's coordinate system."""
        inset = 2 * (self.sheet_border_rem + FRAME_GAP_REM + FRAME_LINE_REM)
        return (
            round((self.width_mm - 2 * self.margin_mm) / self.root_mm - inset, 3),
            round(self.sheet_height_mm / self.root_mm - inset, 3),
        )

    @cached_property
    def ornament_path(self) -> str:
        """SVG path data for the four corner frets, drawn inline: an SVG background image would add four PDF
        objects to every page, and joining the chunks costs time per object."""
        width, height = self.frame_rem
        scale = FRET_SIZE_REM / 20
        corners = [(FRET_OFFSET_REM, FRET_OFFSET_REM, 1, 1), (width - FRET_OFFSET_REM, FRET_OFFSET_REM, -1, 1)]
        corners += [(x, height - FRET_OFFSET_REM, sx, -1) for x, _, sx, _ in corners]
        return "".join(
            "M" + "L".join(f"{x + sx * px * scale:.3f} {y + sy * py * scale:.3f}" for px, py in line)
            for x, y, sx, sy in corners
            for line in FRET_PATH
        )

    @property
    def column_rem(self) -> float:
        """The width of the text column in rem: the CSS sets it, and the font sizes of long names are fitted to it."""
        return round((self.width_mm - 2 * self.margin_mm) / self.root_mm - 2 * SHEET_PADDING_REM, 2)


def layout_for(program: Program, kind: PrintKind) -> Layout:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of print: {kind!r}")
    kind = PrintKind(kind)
    if kind == PrintKind.PLAQUE:
        return Layout(kind, float(program.plaque_width_mm), float(program.plaque_height_mm))
    return Layout(kind, *A4_LANDSCAPE_MM)


def qr_svg(url: str) -> SafeString:
    """The QR code as inline vector SVG, for pages and posters with a few codes (certificates use `qr_image`)."""
    import segno

    # The border of two modules is the quiet zone scanners need; the CSS sizes the SVG through its viewBox.
    # Safe to mark safe (hence the bandit exemption): segno draws the URL as path data only, with no title or
    # text element, so nothing from the URL reaches the markup as text.
    svg = segno.make(url, error="m").svg_inline(border=2, omitsize=True, svgclass="qr-code")
    return mark_safe(svg)  # nosec B308 B703


def qr_image(content: str | list) -> str:
    """The QR code as a 1-bit PNG data URI, four pixels a module, for the print templates.

    Drawn with `image-rendering: pixelated`, which WeasyPrint writes as /Interpolate false: every module prints as an
    exact square at any size, as sharp on a 600 mm plaque as vector art. A signed code (version 9 to 12) as inline SVG
    cost WeasyPrint about 50 ms a page, most of the time of a certificate; the image costs under 10 ms.
    """
    import segno

    return segno.make(content, error="m").png_data_uri(scale=4, border=2)


def seal_data_uri(program: Program) -> str:
    """The programme's seal as a PNG data URI, or "" when it has none (the certificate then prints without one)."""
    if not program.seal_image:
        return ""
    from PIL import Image

    with program.seal_image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.thumbnail((SEAL_MAX_PX, SEAL_MAX_PX))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _page_context(certificate: Certificate, layout: Layout) -> dict:
    program = certificate.program
    name = certificate.enterprise_name
    return {
        "serial": certificate.serial,
        "title": certificate.title,
        "enterprise_name": name,
        "is_education_base": program.kind == ProgramKind.EDUCATION_BASE,
        "issuing_body": program.issuing_body,
        "issued_on": chinese_date(program.ceremony_date),
        "valid_until": numeric_chinese_date(certificate.valid_until),
        # The QR code opens the verification page and carries the signed code in its fragment (credentials.payload).
        "qr_image": qr_image(payload.qr_segments(certificate)),
        "name_size": fit_font_size(name, width=layout.column_rem, largest=3.4, smallest=1.6),
        "title_size": fit_font_size(
            certificate.title, width=layout.column_rem, largest=TITLE_LARGEST_REM[layout.kind], smallest=2.0
        ),
    }


def certificate_html(certificates: Iterable[Certificate], *, kind: PrintKind = PrintKind.CERTIFICATE) -> str:
    """The HTML of one page per title, all of one programme (its seal and plaque size apply to every page)."""
    certificates = list(certificates)
    if not certificates:
        raise ValueError("no certificates to render")
    program = certificates[0].program
    layout = layout_for(program, kind)
    context = {
        "layout": layout,
        "font": SERIF_FONT,
        "seal": seal_data_uri(program),
        "pages": [_page_context(c, layout) for c in certificates],
    }
    return render_to_string(f"certificates/pdf/{layout.kind.value}.html", context)


def titles_for_print(program: Program) -> QuerySet[Certificate]:
    """The titles to print for a programme in a stable order: by district code, then serial.

    Only titles in force print: a suspended or revoked title must not leave the office as a fresh certificate.
    """
    return (
        Certificate.objects.filter(program=program, status=CertificateStatus.VALID)
        .select_related("program", "enterprise__district")
        .order_by("enterprise__district__code", "serial")
    )


def _chunks(items: Iterable[Certificate], size: int) -> Iterator[list[Certificate]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def render_titles_pdf(
    certificates: Iterable[Certificate],
    *,
    kind: str,
    target: str | os.PathLike | IO[bytes],
    progress: Callable[[int], object] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Write one PDF with a page per title, in the given order, and return the number of pages written.

    `progress(n)` is called after each chunk with the number of titles that chunk added.
    The seal is read once per chunk, so it may change between two batches but never within a chunk.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    with tempfile.TemporaryDirectory(prefix="award315-print-") as workdir:
        parts: list[Path] = []
        titles = 0
        for number, chunk in enumerate(_chunks(certificates, chunk_size)):
            part = Path(workdir) / f"{number:05d}.pdf"
            html_to_pdf(certificate_html(chunk, kind=kind), target=str(part))
            parts.append(part)
            titles += len(chunk)
            if progress:
                progress(len(chunk))
        if not parts:
            raise ValueError("no certificates to render")
        pages = _join(parts, target)
    if pages != titles:
        # The layout keeps every title on one page; a second page would shift every later sheet in the printer.
        logger.warning("%d titles printed on %d pages", titles, pages)
    return pages


def _join(parts: list[Path], target: str | os.PathLike | IO[bytes]) -> int:
    """Concatenate the chunk files into `target` and return the number of pages; one chunk is copied as it is."""
    from pypdf import PdfReader

    if len(parts) == 1:
        _copy(parts[0], target)
        return len(PdfReader(parts[0]).pages)
    return join_pdfs(parts, target)


def join_pdfs(
    parts: Iterable, target: str | os.PathLike | IO[bytes], after_each: Callable[[], object] | None = None
) -> int:
    """Concatenate PDFs (paths or binary files) in order into `target`; return the number of pages."""
    from pypdf import PdfReader, PdfWriter

    from certificates.pdf_fonts import compact_joined

    # Page by page rather than PdfWriter.append(): no outlines or forms to carry over, and it is measurably faster.
    writer = PdfWriter()
    joined = 0
    for part in parts:
        for page in PdfReader(part).pages:
            writer.add_page(page)
        joined += 1
        if after_each:
            after_each()
    if joined > 1:  # each chunk carries its own font subsets and seal
        compact_joined(writer)
    writer.write(target)
    return len(writer.pages)


def _copy(source: Path, target: str | os.PathLike | IO[bytes]) -> None:
    with open(source, "rb") as chunk:
        if isinstance(target, str | os.PathLike):
            with open(target, "wb") as out:
                shutil.copyfileobj(chunk, out)
        else:
            shutil.copyfileobj(chunk, target)
