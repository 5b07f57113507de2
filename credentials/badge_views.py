"""The embeddable badge of a title: a small SVG with the title, the holder's name and the status of today.

Enterprises put it on their own websites, linked to the verification page, so it is read from the register like that
page (through the public pages' cache, whose version changes with every suspension, restore or revocation) and never
shows a stale "valid": browsers and proxies may store it but must ask again on every view.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from certificates.public_views import (
    _get_certificate,
    _over_limit,
    _too_many_message,
    normalize_serial,
    serve_per_serial,
)
from credentials import images

SVG = "image/svg+xml; charset=utf-8"


def _badge(serial: str) -> tuple[str, int]:
    """The badge's SVG and HTTP status for a serial: 404, with a grey badge saying so, for a serial never issued."""
    certificate = _get_certificate(serial)
    if certificate is None:
        return images.badge_svg(images.unknown_badge(serial[:40])), 404
    badge = images.title_badge(certificate, certificate.current_status(timezone.localdate()))
    return images.badge_svg(badge), 200


def _svg(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, content_type=SVG, status=status)
    # An image for other sites' pages: allowed to load there even under their cross-origin isolation.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_safe
def credential_badge(request: HttpRequest, serial: str) -> HttpResponse:
    serial = normalize_serial(serial)
    # Counted with /verify/ and its JSON: serials are sequential, so an unthrottled badge would list the register.
    if _over_limit(request):
        response = HttpResponse(_too_many_message(), content_type="text/plain; charset=utf-8", status=429)
        response["Retry-After"] = "60"
        patch_cache_control(response, no_cache=True)
        return response
    return serve_per_serial(request, "badge", serial, _badge, lambda found: _svg(*found))
