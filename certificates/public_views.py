"""Public pages without login: the honour roll and the verification of a certificate (the QR code's target)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from awards.ratelimit import allow, client_ip, too_many_requests
from certificates import public_cache
from certificates.filters import HonourRollFilter
from certificates.models import Certificate, CertificateStatus
from certificates.services import holder_renamed_to
from credentials import keys

T = TypeVar("T")

HONOURS_PER_PAGE = 50
VERIFICATIONS_PER_MINUTE = 120
SERIAL_MAX_LENGTH = Certificate._meta.get_field("serial").max_length

# Only what the roll shows is read: the enterprise's private contact fields never even leave the database.
HONOUR_ROLL_FIELDS = (
    "serial",
    "title",
    "status",
    "valid_from",
    "valid_until",
    "enterprise_name",
    "enterprise_uscc",
    "enterprise__district__name",
    "enterprise__industry__name",
    "application__result__tier",
)
VERIFY_FIELDS = (
    "serial",
    "title",
    "valid_from",
    "valid_until",
    "status",
    "program__title",
    "program__issuing_body",
    "enterprise_name",
    "enterprise_uscc",
    "enterprise__name",
)

_DASHES = re.compile(r"[‐‑‒–—―−]")


def normalize_serial(value: str) -> str:
    """Read a serial as a phone camera or a hurried hand gives it: any case, spaces, full-width or typographic dashes."""
    value = unicodedata.normalize("NFKC", value)
    return _DASHES.sub("-", re.sub(r"\s+", "", value)).upper()


def _honour_roll(today: datetime.date) -> QuerySet[Certificate]:
    # The titles in force and those granted but not yet in force, in the order of the index honour_roll_order;
    # serial is unique, so the order is total and no title can appear on two pages.
    return Certificate.objects.on_the_honour_roll(today).order_by("-year", "district_code", "serial")


class HonourRollPaginator(Paginator):
    """Pages of a long roll read in the order of its index, with the counts of each filter kept in the cache.

    The keys of a page come from a walk of the index honour_roll_order (no sort), a page in the later half from
    a walk backwards, so no page reads more than half of the roll; the page's rows are then read by key.
    """

    def __init__(self, titles: QuerySet[Certificate], per_page: int, *, count_key: str, today: datetime.date) -> None:
        super().__init__(titles.values_list("pk", flat=True), per_page)
        self.count_key = count_key
        self.today = today

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many titles the roll lists, and how many of them are not yet in force: one query, then the cache."""
        counts = cache.get(self.count_key)
        if counts is None:
            not_yet = Q(valid_from__gt=self.today)
            counts = self.object_list.aggregate(listed=Count("pk"), not_yet_in_force=Count("pk", filter=not_yet))
            cache.set(self.count_key, counts, public_cache.PAGE_TIMEOUT)
        return counts

    @cached_property
    def count(self) -> int:
        return self.counts["listed"]

    @property
    def in_force_count(self) -> int:
        return self.counts["listed"] - self.counts["not_yet_in_force"]

    @property
    def not_yet_in_force_count(self) -> int:
        return self.counts["not_yet_in_force"]

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if self.count - bottom < top:
            keys = list(self.object_list.reverse()[self.count - top : self.count - bottom])[::-1]
        else:
            keys = list(self.object_list[bottom:top])
        rows = (
            Certificate.objects.select_related("enterprise__district", "enterprise__industry", "application__result")
            .only(*HONOUR_ROLL_FIELDS)
            .in_bulk(keys)
        )
        titles = [rows[key] for key in keys]
        for title in titles:
            title.status_today = title.current_status(self.today)
        return self._get_page(titles, number, self)


def _validators(request: HttpRequest, current: str, *parts: str) -> tuple[str, float]:
    """The ETag and Last-Modified of a public page: the version, the day, the language, the address, the reader."""
    # The page around the register's part names the reader (and carries a CSRF token bound to their cookie).
    reader = str(request.user.pk) if request.user.is_authenticated else ""
    tag = public_cache.key(current, "etag", request.get_full_path(), reader, *parts).rsplit(":", 1)[1]
    return f'"{tag}"', public_cache.last_modified(current).timestamp()


def _revalidated(response: HttpResponse, etag: str, modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    # Stored, but asked about again on every visit (an answer of 304 when nothing changed), so that a suspension
    # or a revocation shows at once.
    patch_cache_control(response, no_cache=True)
    return response


def _not_modified(request: HttpRequest, etag: str, modified: float) -> HttpResponse | None:
    return get_conditional_response(request, etag=etag, last_modified=int(modified))


def _filters_of(request: HttpRequest) -> str:
    return urlencode(sorted((key, value) for key, values in request.GET.lists() if key != "page" for value in values))


@require_safe
def honours(request: HttpRequest) -> HttpResponse:
    current = public_cache.version()
    etag, modified = _validators(request, current)
    if response := _not_modified(request, etag, modified):
        return response
    # The register's part of the page, the same for every reader of this address today, comes from the cache.
    body_key = public_cache.key(current, "honours", request.get_full_path())
    body = cache.get(body_key)
    if body is None:
        today = timezone.localdate()
        filterset = HonourRollFilter(request.GET or None, queryset=_honour_roll(today))
        count_key = public_cache.key(current, "honours-counts", _filters_of(request))
        page = HonourRollPaginator(filterset.qs, HONOURS_PER_PAGE, count_key=count_key, today=today).get_page(
            request.GET.get("page")
        )
        context = {"filter": filterset, "page": page}
        body = render_to_string("certificates/public/_honours.html", context, request=request)
        cache.set(body_key, body, public_cache.PAGE_TIMEOUT)
    # The body was rendered by our own template with autoescaping, here or by an earlier request.
    response = render(request, "certificates/public/honours.html", {"body": mark_safe(body)})  # noqa: S308  # nosec B308 B703
    return _revalidated(response, etag, modified)


def _get_certificate(serial: str) -> Certificate | None:
    if len(serial) > SERIAL_MAX_LENGTH:
        return None
    try:
        return Certificate.objects.select_related("program", "enterprise").only(*VERIFY_FIELDS).get(serial=serial)
    except Certificate.DoesNotExist:
        return None


def _latest_reason(certificate: Certificate, status: str) -> str:
    """Why the title is suspended or revoked, as recorded with the latest change to that status."""
    if status not in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        return ""
    event = certificate.events.filter(status=status).order_by("-at", "-pk").only("reason").first()
    return event.reason if event else ""


def _over_limit(request: HttpRequest) -> bool:
    # Serials are sequential, so an unthrottled endpoint would let anyone download the whole register.
    return not allow(f"verify:{client_ip(request)}", limit=VERIFICATIONS_PER_MINUTE, window_seconds=60)


def _too_many_message() -> str:
    return _("Too many verifications from your network. Please wait a minute and try again.")


def _no_cache(response: HttpResponse) -> HttpResponse:
    # Checked again on every visit, so a suspension or a revocation shows at once.
    patch_cache_control(response, no_cache=True)
    return response


def _verification(serial: str) -> dict:
    """What the verification page shows of a serial: its HTTP status, its title and the register's part."""
    certificate = _get_certificate(serial)
    if certificate is None:
        context = {"serial": serial[:SERIAL_MAX_LENGTH]}
        body = render_to_string("certificates/public/_verify_unknown.html", context)
        return {"status": 404, "title": _("Certificate number not found"), "body": body}
    today = timezone.localdate()
    status = certificate.current_status(today)
    context = {
        "certificate": certificate,
        "status": status,
        "status_label": CertificateStatus(status).label,
        "reason": _latest_reason(certificate, status),
        "renamed_to": holder_renamed_to(certificate),
        "today": today,
    }
    title = f"{CertificateStatus(status).label} · {certificate.serial}"
    return {"status": 200, "title": title, "body": render_to_string("certificates/public/_verify.html", context)}


def serve_per_serial(
    request: HttpRequest,
    kind: str,
    serial: str,
    build: Callable[[str], T],
    respond: Callable[[T], HttpResponse],
    *validator_parts: str,
) -> HttpResponse:
    """A public answer about one serial: 304 while nothing changed, else built once per version of the register and
    kept in the shared cache, and asked about again on every visit so that a suspension or a revocation shows at once."""
    current = public_cache.version()
    etag, modified = _validators(request, current, *validator_parts)
    if response := _not_modified(request, etag, modified):
        return response
    key = public_cache.key(current, kind, serial)
    found = cache.get(key)
    if found is None:
        found = build(serial)
        cache.set(key, found, public_cache.PAGE_TIMEOUT)
    return _revalidated(respond(found), etag, modified)


@require_safe
def verify(request: HttpRequest, serial: str) -> HttpResponse:
    serial = normalize_serial(serial)
    if _over_limit(request):
        return too_many_requests(request, _too_many_message(), retry_after=60)

    def respond(page: dict) -> HttpResponse:
        context = {"page_title": page["title"], "body": mark_safe(page["body"])}  # noqa: S308  # nosec B308 B703
        return render(request, "certificates/public/verify.html", context, status=page["status"])

    # The page embeds the public keys that check the printed code in its fragment: a rotation must renew it.
    return serve_per_serial(request, "verify", serial, _verification, respond, keys.ring_state())


def _json(payload: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    # Third-party checkers (marketplaces, other associations) call this from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _verification_json(serial: str) -> tuple[dict, int]:
    certificate = _get_certificate(serial)
    if certificate is None:
        detail = _("This certificate number does not exist: it was never issued.")
        return {"serial": serial[:SERIAL_MAX_LENGTH], "status": "unknown", "detail": detail}, 404
    payload = {
        "serial": certificate.serial,
        "status": str(certificate.current_status(timezone.localdate())),
        "enterprise": certificate.enterprise_name,
        "uscc": certificate.enterprise_uscc,
        "title": certificate.title,
        "program": certificate.program.title,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
    }
    return payload, 200


@require_safe
def verify_json(request: HttpRequest, serial: str) -> HttpResponse:
    serial = normalize_serial(serial)
    if _over_limit(request):
        response = _json({"serial": serial[:SERIAL_MAX_LENGTH], "detail": _too_many_message()}, status=429)
        response["Retry-After"] = "60"
        return _no_cache(response)
    response = serve_per_serial(
        request, "verify-json", serial, _verification_json, lambda found: _json(found[0], status=found[1])
    )
    response["Access-Control-Allow-Origin"] = "*"  # on a 304 too
    return response
