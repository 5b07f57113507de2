"""The Content-Disposition of a downloaded file, Chinese names included."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote


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
