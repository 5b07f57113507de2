"""The signed code inside a certificate's QR code (format 1), readable without the network.

Scanned with a phone, the QR code opens `SITE_URL/verify/<serial>/` as it always did; the fragment after `#` (which a
browser never sends to the server) carries the signed payload, so a verifier that trusts nothing but the issuer's
public keys can tell a genuine certificate from a look-alike:

    payload = CBOR array || Ed25519 signature (64 bytes) over b"award315/qr/1\\n" + serial + b"\\n" + CBOR array
    array   = [1, kid (4 bytes), USCC, name as granted (GB18030 bytes), kind, year, programme id,
               valid from, valid until (days since 1970-01-01)]
    text    = base43 of the payload: RFC 9285's base45 with the space and % removed, both unsafe in a URL

The serial is signed but written once, in the address (`/verify/<serial>/`), so a verifier reads the whole scanned
text, address and fragment: the fragment alone proves nothing about which certificate it belongs to.

The text uses only characters of the QR code's alphanumeric mode (5.5 bits a character against 8 in byte mode),
and GB18030 spends two bytes on a hanzi where UTF-8 spends three: together they keep a code with a 50-character name
at QR version 12 at error correction M, small enough to scan from a plaque across a counter.

The title is signed as its kind and year (printed as f"{year}年度{name of the kind}", as every title is made), and the
programme as its number: the title's text and the programme's name would take most of the code.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

import cbor2
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from awards.models import ProgramKind
from awards.models.programs import OFFICIAL_TITLE_NAMES
from credentials import keys

FORMAT = 1
SIGNING_CONTEXT = b"award315/qr/1\n"
SIGNATURE_BYTES = 64
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:"
EPOCH = datetime.date(1970, 1, 1)
TEXT_ENCODING = "gb18030"
# Codes of the kinds of title, fixed forever: printed codes carry them. Add new kinds at the end.
KIND_CODES = {ProgramKind.HONEST_BUSINESS: 1, ProgramKind.EDUCATION_BASE: 2}
KINDS_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}
# The QR code stays at version 12 or lower (error correction M) for names up to this length and a SITE_URL up to
# SITE_URL_BUDGET characters; tests/credentials/test_payload.py and the system check hold the code to it.
QR_MAX_VERSION = 12
SITE_URL_BUDGET = 40


class PayloadError(ValueError):
    """The text is not a format-1 payload: damaged, truncated, or something else altogether."""


@dataclass(frozen=True)
class SignedTitle:
    """What the issuer signed about one title: exactly the fields in the code, nothing from the register."""

    kid: str
    serial: str
    code: str
    name: str
    kind: int
    year: int
    programme_id: int
    valid_from: datetime.date
    valid_until: datetime.date

    @property
    def title(self) -> str:
        kind = KINDS_BY_CODE.get(self.kind)
        name = OFFICIAL_TITLE_NAMES[kind] if kind else f"kind {self.kind}"
        return f"{self.year}年度{name}"

    def as_array(self) -> list:
        return [
            FORMAT,
            bytes.fromhex(self.kid),
            self.code,
            self.name.encode(TEXT_ENCODING),
            self.kind,
            self.year,
            self.programme_id,
            (self.valid_from - EPOCH).days,
            (self.valid_until - EPOCH).days,
        ]


@dataclass(frozen=True)
class Verification:
    genuine: bool
    reason: str
    signed: SignedTitle | None = None


def signed_title(certificate, kid: str) -> SignedTitle:
    program = certificate.program
    return SignedTitle(
        kid=kid,
        serial=certificate.serial,
        code=certificate.enterprise_uscc,
        name=certificate.enterprise_name,
        kind=KIND_CODES[ProgramKind(program.kind)],
        year=program.year,
        programme_id=program.pk,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
    )


def encode(certificate, *, key: keys.SigningKey | None = None) -> str:
    """The signed payload of a title as QR-alphanumeric text, signed by the current key unless one is given."""
    key = key or keys.current_key()
    return sign_fields(signed_title(certificate, key.kid), key)


def sign_fields(fields: SignedTitle, key: keys.SigningKey) -> str:
    body = cbor2.dumps(fields.as_array(), canonical=True)
    return b43encode(body + key.sign(signed_message(fields.serial, body)))


def signed_message(serial: str, body: bytes) -> bytes:
    return SIGNING_CONTEXT + serial.encode("utf-8") + b"\n" + body


def verification_base(serial: str) -> str:
    """The public page the QR code opens, without the fragment."""
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    return site.rstrip("/") + f"/verify/{quote(serial)}/"


def qr_url(certificate, *, key: keys.SigningKey | None = None) -> str:
    return verification_base(certificate.serial) + "#" + encode(certificate, key=key)


def qr_segments(certificate, *, key: keys.SigningKey | None = None) -> list[tuple[str, int]]:
    """The QR code's content as segno segments: the address in byte mode, the payload in alphanumeric mode."""
    from segno import consts

    return [
        (verification_base(certificate.serial) + "#", consts.MODE_BYTE),
        (encode(certificate, key=key), consts.MODE_ALPHANUMERIC),
    ]


def b43encode(data: bytes) -> str:
    out = []
    for start in range(0, len(data), 2):
        pair = data[start : start + 2]
        n = int.from_bytes(pair, "big")
        out.append(ALPHABET[n % 43] + ALPHABET[n // 43 % 43])
        if len(pair) == 2:
            out.append(ALPHABET[n // 1849])
    return "".join(out)


def b43decode(text: str) -> bytes:
    if len(text) % 3 == 1:
        raise PayloadError("truncated")
    out = bytearray()
    for start in range(0, len(text), 3):
        chunk = text[start : start + 3]
        try:
            digits = [ALPHABET.index(c) for c in chunk]
        except ValueError:
            raise PayloadError("not base43") from None
        n = sum(d * 43**i for i, d in enumerate(digits))
        if len(chunk) == 3:
            if n > 0xFFFF:
                raise PayloadError("not base43")
            out += n.to_bytes(2, "big")
        else:
            if n > 0xFF:
                raise PayloadError("not base43")
            out.append(n)
    return bytes(out)


def split_scanned(scanned: str) -> tuple[str, str]:
    """The serial (from the address) and the payload text (after `#`) out of what a scanner read."""
    text = scanned.strip()
    if "#" not in text:
        raise PayloadError("no address")
    address, fragment = text.split("#", 1)
    match = re.search(r"/verify/([^/?#]+)/?(?:\?.*)?$", address)
    if not match:
        raise PayloadError("no serial in the address")
    return unquote(match.group(1)), unquote(fragment).strip()


def decode(scanned: str) -> tuple[SignedTitle, bytes, bytes]:
    """The signed fields, the signed message and the signature, or PayloadError if the text is not format 1."""
    serial, text = split_scanned(scanned)
    data = b43decode(text)
    if len(data) <= SIGNATURE_BYTES:
        raise PayloadError("too short")
    body, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    stream = io.BytesIO(body)
    try:
        array = cbor2.CBORDecoder(stream).decode()
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError) as error:
        raise PayloadError("not CBOR") from error
    if stream.tell() != len(body):
        raise PayloadError("trailing bytes")
    if not isinstance(array, list) or len(array) != 9 or array[0] != FORMAT:
        raise PayloadError("not format 1")
    _, kid, code, name, kind, year, programme, valid_from, valid_until = array
    types = (bytes, str, bytes, int, int, int, int, int)
    if not all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(array[1:], types, strict=True)):
        raise PayloadError("wrong field types")
    if len(kid) != keys.KID_BYTES or min(kind, year, programme, valid_from, valid_until) < 0:
        raise PayloadError("wrong field values")
    try:
        fields = SignedTitle(
            kid=kid.hex(),
            serial=serial,
            code=code,
            name=name.decode(TEXT_ENCODING),
            kind=kind,
            year=year,
            programme_id=programme,
            valid_from=EPOCH + datetime.timedelta(days=valid_from),
            valid_until=EPOCH + datetime.timedelta(days=valid_until),
        )
    except (UnicodeDecodeError, OverflowError) as error:
        raise PayloadError("wrong field values") from error
    # Only the one encoding the issuer produces is accepted, so a code has exactly one valid spelling.
    if cbor2.dumps(fields.as_array(), canonical=True) != body:
        raise PayloadError("not canonical")
    return fields, signed_message(serial, body), signature


def verify(scanned: str) -> Verification:
    """Genuine when the payload is well formed and signed by a key of the ring; the reason says why not otherwise."""
    try:
        fields, message, signature = decode(scanned)
    except PayloadError:
        return Verification(False, str(_("This is not a certificate code of this issuer, or it is damaged.")))
    if fields.kid not in keys.public_keys():
        return Verification(False, str(_("The code is signed by a key this issuer never used: it is forged.")), fields)
    if not keys.verify(fields.kid, message, signature):
        return Verification(
            False, str(_("The signature does not match the content: the code was altered or forged.")), fields
        )
    return Verification(True, str(_("The code is signed by the issuer: the fields below are as issued.")), fields)
