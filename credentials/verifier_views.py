"""The offline checker: a page that, once loaded, tells a genuine signed QR code from a forged one with no network.

The page carries everything the check needs (the issuer's public keys, the names of the kinds of title and the
programmes' names) in data-* attributes; verify-offline.js decodes the code and checks its Ed25519 signature with
WebCrypto. Nothing the person pastes is sent anywhere: the checking happens in their browser.
"""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from awards.models import Program
from awards.models.programs import OFFICIAL_TITLE_NAMES
from credentials import keys, payload

PLACEHOLDER = "SERIAL"


def public_keys() -> dict[str, str]:
    """Every key of the ring, current and retired, as kid -> raw public key in base64url (43 characters)."""
    return {kid: keys.b64url(key.public_raw) for kid, key in keys.public_keys().items()}


def kind_names() -> dict[int, str]:
    """The official name of each kind of title by its code in the payload: the printed title is year + this."""
    return {code: OFFICIAL_TITLE_NAMES[kind] for code, kind in payload.KINDS_BY_CODE.items()}


def programmes() -> dict[int, list[str]]:
    """The programme of every title ever granted, by id: its title and its issuing body."""
    # Only programmes that granted titles: their names are public on the honour roll; a draft's are not.
    rows = Program.objects.filter(certificates__isnull=False).distinct().order_by("pk")
    return {pk: [title, body] for pk, title, body in rows.values_list("pk", "title", "issuing_body")}


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def verifier_data(*, with_programmes: bool) -> dict:
    """The data verify-offline.js reads, as JSON strings for data-* attributes (and the kids, to show them)."""
    ring = public_keys()
    data = {
        "keys": _dumps(ring),
        "kids": sorted(ring),
        "kinds": _dumps(kind_names()),
        # Where the live status is read; the script puts the serial in place of {serial}.
        "online_url": reverse("verify", args=[PLACEHOLDER]).replace(PLACEHOLDER, "{serial}"),
    }
    if with_programmes:
        data["programmes"] = _dumps(programmes())
    return data


@require_safe
def offline_check(request: HttpRequest) -> HttpResponse:
    data = verifier_data(with_programmes=True)
    # The page changes only when a key is added (a rotation) or a programme grants its first titles; the frame
    # names the reader and is in their language.
    reader = str(request.user.pk) if request.user.is_authenticated else ""
    parts = (data["keys"], data["kinds"], data["programmes"], get_language() or "", reader)
    etag = '"' + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest() + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = render(request, "credentials/check.html", {"verifier": data})
    response["ETag"] = etag
    # Stored by the browser, asked about again at each visit (304 while nothing changed), so a new key shows at once.
    patch_cache_control(response, no_cache=True)
    return response
