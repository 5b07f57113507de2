"""Login identifiers: an e-mail address or a mainland mobile number."""

from __future__ import annotations

import re
import unicodedata

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_login(value: str) -> str:
    """Fold full-width characters, spaces and case so 138 0013 8000 and １３８００１３８０００ match."""
    value = unicodedata.normalize("NFKC", value).strip()
    if "@" in value:
        return value.lower()
    digits = re.sub(r"[\s-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match(value))
