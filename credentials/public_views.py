"""Public JSON-LD documents for third-party verifiers: Open Badges credentials, issuer profiles, status lists.

Credentials and status lists are served as `application/vc`, the media type the W3C registered for Verifiable
Credentials (VC Data Model 2.0 §C.1; `application/vc+ld+json` of the drafts was never registered); the issuer
profiles, which are no credentials, as `application/ld+json`. Like the verification JSON they may be read from any
origin, share its rate limit per client address (serials are sequential), and are checked again on every use
(ETag, no-cache), so that a suspension shows at once. Built documents are kept in the shared cache under the
version of the public pages, which every change of a title's status bumps, and under the key ring's state.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from awards.models import Program
from awards.ratelimit import allow, client_ip
from certificates import public_cache
from certificates.models import Certificate
from certificates.public_views import SERIAL_MAX_LENGTH, VERIFICATIONS_PER_MINUTE, normalize_serial
from credentials import badges, keys, status_list

VC_MEDIA_TYPE = "application/vc"
LD_MEDIA_TYPE = "application/ld+json"
ERROR_MEDIA_TYPE = "application/json"

# (HTTP status, body, content type), as kept in the cache.
Document = tuple[int, bytes, str]


def _body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, indent=1).encode()


def _cors(response: HttpResponse) -> HttpResponse:
    # Verifiers (wallets, marketplaces, other associations) fetch these from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _too_many(request: HttpRequest) -> HttpResponse | None:
    # The bucket of /verify/: a serial's credential tells what its verification page tells.
    if allow(f"verify:{client_ip(request)}", limit=VERIFICATIONS_PER_MINUTE, window_seconds=60):
        return None
    detail = _("Too many verifications from your network. Please wait a minute and try again.")
    response = HttpResponse(_body({"detail": detail}), status=429, content_type=ERROR_MEDIA_TYPE)
    response["Retry-After"] = "60"
    patch_cache_control(response, no_cache=True)
    return _cors(response)


def _serve(request: HttpRequest, kind: str, part: str, build: Callable[[], Document]) -> HttpResponse:
    if response := _too_many(request):
        return response
    key = public_cache.key(public_cache.version(), kind, part, keys.ring_state())
    document = cache.get(key)
    if document is None:
        try:
            document = build()
        except keys.NoSigningKey:
            # Nothing can be signed until an operator makes a key (credentials.W001 says so at start-up).
            detail = _("Credentials cannot be issued at the moment. Please try again later.")
            return _no_store(_cors(HttpResponse(_body({"detail": detail}), status=503, content_type=ERROR_MEDIA_TYPE)))
        cache.set(key, document, public_cache.PAGE_TIMEOUT)
    status, body, content_type = document
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, status=status, content_type=content_type
    )
    response["ETag"] = etag
    # Stored, but asked about again on every use (a 304 when nothing changed): a suspension must show at once.
    patch_cache_control(response, no_cache=True)
    return _cors(response)


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, no_store=True)
    return response


def _not_found(payload: dict) -> Document:
    return 404, _body(payload), ERROR_MEDIA_TYPE


@require_safe
def open_badge(request: HttpRequest, serial: str) -> HttpResponse:
    serial = normalize_serial(serial)[: SERIAL_MAX_LENGTH + 1]

    def build() -> Document:
        certificate = Certificate.objects.select_related("program").filter(serial=serial).first()
        if certificate is None:
            detail = _("This certificate number does not exist: it was never issued.")
            return _not_found({"serial": serial[:SERIAL_MAX_LENGTH], "detail": detail})
        return 200, _body(badges.open_badge(certificate)), VC_MEDIA_TYPE

    return _serve(request, "open-badge", serial, build)


@require_safe
def credential_issuer(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> Document:
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            return _not_found({"detail": _("No programme has this short name.")})
        return 200, _body(badges.issuer_profile(program)), LD_MEDIA_TYPE

    return _serve(request, "credential-issuer", slug, build)


@require_safe
def credential_site_issuer(request: HttpRequest) -> HttpResponse:
    return _serve(
        request, "credential-site-issuer", "", lambda: (200, _body(badges.site_issuer_profile()), LD_MEDIA_TYPE)
    )


@require_safe
def credential_status_list(request: HttpRequest, purpose: str) -> HttpResponse:
    def build() -> Document:
        if purpose not in status_list.PURPOSES:
            detail = _("There is no status list for this purpose: the lists are revocation and suspension.")
            return _not_found({"purpose": purpose[:20], "detail": detail})
        return 200, _body(status_list.status_list_credential(purpose)), VC_MEDIA_TYPE

    return _serve(request, "status-list", purpose[:20], build)
