"""Unified social credit code (统一社会信用代码, GB 32100-2015): normalisation and check character.

Pure functions, no Django state. Positions 3–8 are a region code; an outdated region is normal
(districts merge), so it is never rejected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, ...
LENGTH = 18


@dataclass(frozen=True)
class InvalidUSCC(ValueError):
    """Why a code is wrong; `code` is stable for programs, `position` is 1-based where it applies."""

    code: str
    position: int | None = None
    character: str = ""
    length: int = 0


def normalize_uscc(value: str) -> str:
    """Fold full-width characters, drop spaces and hyphens, upper-case."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-‐‑–—]", "", value).upper()


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the normalised code, or raise InvalidUSCC saying precisely what is wrong."""
    code = normalize_uscc(value)
    if not code:
        raise InvalidUSCC("empty")
    if len(code) != LENGTH:
        raise InvalidUSCC("length", length=len(code))
    for position, char in enumerate(code, start=1):
        if char not in ALPHABET:
            raise InvalidUSCC("character", position=position, character=char)
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            raise InvalidUSCC("region", position=position, character=code[position - 1])
    if code[-1] != check_character(code[:17]):
        raise InvalidUSCC("check", position=LENGTH, character=code[-1])
    return code


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except InvalidUSCC:
        return False
    return True
