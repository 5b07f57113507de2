"""What every PDF of the project shares: the CJK font, HarfBuzz subsetting, one font configuration per process.

Import WeasyPrint lazily (inside the functions): it is heavy, and a worker should import it itself after forking.
"""

from __future__ import annotations

import logging
from functools import cache

from django.core.exceptions import ImproperlyConfigured

# Installed by bin/setup (Debian's fonts-noto-cjk); named explicitly because page margin boxes do not inherit
# the body's font. It covers GB 18030 and CJK Extension B characters such as 𡃁.
SERIF_FONT = "Noto Serif CJK SC"
SANS_FONT = "Noto Sans CJK SC"
# Every character half an em wide (same package): an 18-character code always takes 9 em, whatever its letters.
MONO_FONT = "Noto Sans Mono CJK SC"

logger = logging.getLogger(__name__)


class PDFUnavailable(ImproperlyConfigured):
    pass


def harfbuzz_subset_available() -> bool:
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except (ImportError, OSError, AttributeError):
        return False
    return harfbuzz_subset is not None


def require_harfbuzz_subset() -> None:
    """Refuse to render without HarfBuzz subsetting: the fallback is 27 times slower, silently."""
    if not harfbuzz_subset_available():
        raise PDFUnavailable(
            "HarfBuzz font subsetting is missing: install the Debian package libharfbuzz-subset0 (bin/setup does)."
        )


@cache
def font_config():
    """One FontConfiguration per process: building one per document costs time and memory."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str, *, base_url: str | None = None, target=None) -> bytes | None:
    """Render HTML to PDF bytes (or into `target`, a path or a file object)."""
    require_harfbuzz_subset()
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url)
    return document.write_pdf(target=target, font_config=font_config(), cache={})
