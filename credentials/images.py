"""Images of a title for its holder to share: a PNG of the certificate for chat apps, and a small live badge.

WeChat and many phone browsers do not open PDFs, so the holder also gets the certificate as a picture: the PDF page
rasterized at a width that reads well on a phone, then reduced to a palette of at most 256 colours, which keeps it
under 200 KB while the name stays crisp and the QR code still scans from the picture (without dithering, anti-aliased
edges fall on the nearest of the palette's shades instead of being scattered into noise).

The badge is an SVG drawn from the register at every request (through the public pages' cache): a title, the
holder's name as granted and the status of today in the colours of the verification page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from certificates.kinds import PrintKind
from certificates.models import Certificate, CertificateStatus
from certificates.pdf import text_width_em, verification_url

# About 1600 px across: the whole A4 landscape page on a phone screen, and the name readable when zoomed in.
PNG_WIDTH_PX = 1600
PNG_MAX_BYTES = 200_000
# Palettes tried in turn, the richest first: a 50-character name and a scanned seal take about 100 KB at 256
# colours, so the smaller palettes are only a fallback for a seal scan far noisier than a real one.
PNG_COLOURS = (256, 64, 32, 16)


def share_refusal(certificate: Certificate, status: CertificateStatus) -> str:
    """Why no fresh certificate (PDF or picture) of this title may be handed out today, or "" when it may.

    As for printing (`certificates.pdf.titles_for_print`), only a title in force, or granted and not yet in force,
    leaves as a fresh certificate: a suspended, revoked or expired one must not circulate as if it were valid.
    """
    if status == CertificateStatus.SUSPENDED:
        return _(
            "This title is suspended while a case against it is examined: its certificate cannot be downloaded "
            "until the title is restored."
        )
    if status == CertificateStatus.REVOKED:
        return _("This title has been revoked: its certificate can no longer be downloaded.")
    if status == CertificateStatus.EXPIRED:
        return _("This title expired after %(end)s: its certificate can no longer be downloaded.") % {
            "end": date_format(certificate.valid_until, "DATE_FORMAT")
        }
    return ""


def certificate_page_pdf(certificate: Certificate) -> bytes:
    """The certificate of one title as a one-page PDF, as the organizer prints it (unsigned)."""
    from certificates.pdf import render_titles_pdf

    out = io.BytesIO()
    render_titles_pdf([certificate], kind=PrintKind.CERTIFICATE, target=out)
    return out.getvalue()


def certificate_png(certificate: Certificate, *, width: int = PNG_WIDTH_PX, max_bytes: int = PNG_MAX_BYTES) -> bytes:
    """The certificate as a PNG `width` pixels wide and under `max_bytes`, for sharing where a PDF does not open."""
    return pdf_page_png(certificate_page_pdf(certificate), width=width, max_bytes=max_bytes)


def pdf_page_png(pdf: bytes, *, width: int = PNG_WIDTH_PX, max_bytes: int = PNG_MAX_BYTES) -> bytes:
    """The first page of `pdf` as a palette PNG `width` pixels wide: the most colours that stay under `max_bytes`."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width / page.get_width()
        image = page.render(scale=scale, may_draw_forms=False).to_pil().convert("RGB")
    finally:
        document.close()
    for colours in PNG_COLOURS:
        data = _palette_png(image, colours)
        if len(data) < max_bytes:
            return data
    raise ValueError(f"the certificate's picture takes {len(data)} bytes, over {max_bytes}")


def _palette_png(image, colours: int) -> bytes:
    from PIL import Image

    # No dithering: a dithered edge is speckle that costs bytes and blurs the modules of the QR code.
    reduced = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


# The badge: the colours of the verification page's verdict (static/css/site.css and public.css); white on each
# passes WCAG AA.
BADGE_COLOURS = {
    CertificateStatus.VALID: "#1a7f37",
    CertificateStatus.PENDING: "#0550ae",  # as on the verification page: granted, not yet in force
    CertificateStatus.SUSPENDED: "#9a6700",
    CertificateStatus.REVOKED: "#c8102e",
    CertificateStatus.EXPIRED: "#57606a",
}
BADGE_MARKS = {
    CertificateStatus.VALID: "✓",
    CertificateStatus.PENDING: "→",
    CertificateStatus.SUSPENDED: "‖",
    CertificateStatus.REVOKED: "✕",
    CertificateStatus.EXPIRED: "○",
}
UNKNOWN_COLOUR = "#57606a"
# Sizes in px; a line of the name holds at most NAME_LINE_EM em, so the longest names wrap instead of widening.
TITLE_PX, NAME_PX, STATUS_PX, SMALL_PX = 14, 12, 16, 10
NAME_LINE_EM = 18.0
PAD_PX = 10


@dataclass(frozen=True)
class Badge:
    """What the badge's SVG template draws, with every length computed here."""

    title: str
    name_lines: list[str]
    status_label: str
    mark: str
    colour: str
    serial: str
    label: str
    width: int
    height: int
    left_width: int
    right_x: int
    right_width: int

    @property
    def name_y(self) -> list[tuple[str, int]]:
        first = PAD_PX + TITLE_PX + 6 + NAME_PX
        return [(line, first + index * (NAME_PX + 4)) for index, line in enumerate(self.name_lines)]

    @property
    def title_y(self) -> int:
        return PAD_PX + TITLE_PX

    @property
    def status_y(self) -> int:
        return self.height // 2 + (STATUS_PX // 2) - (SMALL_PX // 2) - 1

    @property
    def serial_y(self) -> int:
        return self.status_y + SMALL_PX + 6

    @property
    def square_x(self) -> int:
        return self.left_width - 4

    @property
    def right_middle(self) -> int:
        return self.right_x + self.right_width // 2


def wrap(text: str, width_em: float) -> list[str]:
    """Split `text` into lines of at most `width_em` em (hanzi are 1 em wide, Latin letters about 0.6)."""
    lines, line = [], ""
    for char in text:
        if line and text_width_em(line + char) > width_em:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def _badge(*, title: str, name: str, status_label: str, mark: str, colour: str, serial: str) -> Badge:
    name_lines = wrap(name, NAME_LINE_EM) or [""]
    left_text = max(text_width_em(title) * TITLE_PX, max(text_width_em(line) * NAME_PX for line in name_lines))
    left_width = round(left_text) + 2 * PAD_PX
    # As wide as the widest status, so that the badge keeps its size (and the embedding page its layout) when the
    # title's status changes.
    widest = max([status_label, *(str(label) for label in CertificateStatus.labels)], key=text_width_em)
    right_text = max((1.6 + text_width_em(widest)) * STATUS_PX, text_width_em(serial) * SMALL_PX)
    right_width = round(right_text) + 2 * PAD_PX
    height = PAD_PX + TITLE_PX + 6 + len(name_lines) * (NAME_PX + 4) + PAD_PX
    height = max(height, 2 * PAD_PX + STATUS_PX + SMALL_PX + 6)
    # What a screen reader says of the image, and what shows where images are off.
    label = _("%(title)s · %(name)s · %(status)s · serial number %(serial)s") % {
        "title": title,
        "name": name,
        "status": status_label,
        "serial": serial,
    }
    return Badge(
        title=title,
        name_lines=name_lines,
        status_label=status_label,
        mark=mark,
        colour=colour,
        serial=serial,
        label=label,
        width=left_width + right_width,
        height=height,
        left_width=left_width,
        right_x=left_width,
        right_width=right_width,
    )


def title_badge(certificate: Certificate, status: CertificateStatus) -> Badge:
    status = CertificateStatus(status)
    return _badge(
        title=certificate.title,
        name=certificate.enterprise_name,
        status_label=str(status.label),
        mark=BADGE_MARKS[status],
        colour=BADGE_COLOURS[status],
        serial=certificate.serial,
    )


def unknown_badge(serial: str) -> Badge:
    return _badge(
        title=_("Certificate number not found"),
        name=_("It was never issued."),
        status_label=_("Unknown"),
        mark="?",
        colour=UNKNOWN_COLOUR,
        serial=serial,
    )


def badge_svg(badge: Badge) -> str:
    """The badge as SVG markup (autoescaped: the name is the holder's, the serial the visitor's)."""
    return render_to_string("credentials/badge.svg", {"badge": badge})


def badge_url(serial: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("credential_badge", args=[serial])


def badge_snippet(certificate: Certificate, status: CertificateStatus) -> str:
    """The HTML an enterprise pastes into its own website: the live badge, linked to the verification page."""
    badge = title_badge(certificate, status)
    alt = _("%(name)s: %(title)s. Check it on the verification page.") % {
        "name": certificate.enterprise_name,
        "title": certificate.title,
    }
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" width="{}" height="{}"></a>',
        verification_url(certificate.serial),
        badge_url(certificate.serial),
        alt,
        badge.width,
        badge.height,
    )
