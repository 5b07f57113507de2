"""Enterprise names as a search compares them: one name, however its brackets, spaces and letters were typed.

A business licence writes 杭州某某（集团）有限公司 with full-width brackets; people type (集团), add spaces, or
switch their input method to full-width letters. `name_search_key` folds a name for comparison; `name_contains`
finds the stored names that match a search folded the same way, without slowing the public honour roll down.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.db.models.lookups import IContains

_WHITESPACE = re.compile(r"\s+")
_BRACKETS = re.compile(r"[()]")

# ASCII letters and digits to their full-width forms (Ａ = U+FF21), for names stored in full width.
_FULL_WIDTH = str.maketrans({chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F) if chr(code).isalnum()})


def name_search_key(value: str) -> str:
    """The name folded for comparison: NFKC (full-width brackets, letters and digits become ASCII), no whitespace."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", value or ""))


def name_contains(field: str, value: str) -> Q:
    """Names in `field` that contain `value`, both folded alike; nothing to search for matches every row.

    The database cannot run NFKC, so the search is folded and then tried in the spellings a stored name may have:
    without spaces (licences have none), with the spaces as typed, and in full-width letters and digits. Either
    bracket width is found through `_contains`. Each spelling is a LIKE on the plain column, as fast as before.
    """
    typed = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", value or "")).strip()
    key = typed.replace(" ", "")
    if not key:
        return Q()
    condition = Q()
    for spelling in dict.fromkeys([key, typed, key.translate(_FULL_WIDTH), key.upper().translate(_FULL_WIDTH)]):
        condition |= _contains(field, spelling)
    return condition


def _contains(field: str, text: str) -> Q:
    if not _BRACKETS.search(text):
        return Q(**{f"{field}__icontains": text})
    # Folding the brackets of every stored name would read 100,000 names five times slower: first keep the names
    # that contain the parts between the brackets, then compare those with their brackets folded.
    parts = [Q(**{f"{field}__icontains": part}) for part in _BRACKETS.split(text) if part]
    folded = Replace(Replace(F(field), Value("（"), Value("(")), Value("）"), Value(")"))
    return Q(*parts, IContains(folded, text))
