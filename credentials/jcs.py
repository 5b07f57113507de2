"""The JSON Canonicalization Scheme (JCS, RFC 8785): the one byte string a JSON document signs as.

A signature over JSON must not depend on how a program happened to order keys or escape characters. JCS fixes
both: object members sorted by their names as UTF-16 code units, no whitespace, strings escaped exactly as
ECMAScript's JSON.stringify escapes them, numbers written as ECMAScript writes a double. The output is UTF-8.
"""

from __future__ import annotations

import math
import re

# JSON.stringify escapes the quote, the backslash and the C0 controls, nothing else (not "/", not U+2028, not DEL).
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_TO_ESCAPE = re.compile(r'["\\\x00-\x1f]')


class CanonicalizationError(ValueError):
    """A value JCS cannot represent: a lone surrogate, a number that is no I-JSON double, a non-JSON type."""


def canonicalize(value: object) -> bytes:
    """The canonical UTF-8 bytes of a JSON value made of dicts, lists, str, int, float, bool and None."""
    return _serialize(value).encode("utf-8")


def _serialize(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return _integer(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_serialize(item) for item in value) + "]"
    if isinstance(value, dict):
        for name in value:
            if not isinstance(name, str):
                raise CanonicalizationError(f"An object member name must be a string, not {name!r}.")
        members = sorted(value.items(), key=lambda item: _utf16(item[0]))
        return "{" + ",".join(_string(name) + ":" + _serialize(item) for name, item in members) + "}"
    raise CanonicalizationError(f"{type(value).__name__} is not a JSON value.")


def _utf16(name: str) -> bytes:
    # Big-endian UTF-16 compares bytewise exactly as its code units compare: the order RFC 8785 §3.2.3 asks for,
    # which puts an astral character (a surrogate pair, D800–DFFF) before U+E000–U+FFFF, unlike code point order.
    return name.encode("utf-16-be", "surrogatepass")


def _string(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise CanonicalizationError("A string holds a lone surrogate, which UTF-8 cannot carry.") from None
    return '"' + _TO_ESCAPE.sub(_escape, text) + '"'


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


# I-JSON (RFC 7493): a number must be an IEEE 754 double; an integer beyond 2**53 would lose digits in transit.
_LARGEST_EXACT_INTEGER = 2**53


def _integer(number: int) -> str:
    if abs(number) > _LARGEST_EXACT_INTEGER:
        raise CanonicalizationError(f"{number} is beyond the integers a double holds exactly.")
    return str(number)


def _number(number: float) -> str:
    """ECMAScript's Number.prototype.toString for a finite double (ECMA-262 Number::toString, radix 10)."""
    if math.isnan(number) or math.isinf(number):
        raise CanonicalizationError("NaN and Infinity are not JSON numbers.")
    if number == 0:
        return "0"  # -0 too
    if number < 0:
        return "-" + _number(-number)
    # repr gives the shortest digits that read back as the same double, as ECMAScript requires; only the layout
    # differs. Write them as digits × 10^(point - len(digits)).
    mantissa, _, exponent = repr(number).partition("e")
    whole, _, fraction = mantissa.partition(".")
    significant = (whole + fraction).lstrip("0")
    point = len(whole) - (len(whole + fraction) - len(significant)) + int(exponent or 0)
    digits = significant.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    sign = "+" if n - 1 >= 0 else "-"
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{head}e{sign}{abs(n - 1)}"
