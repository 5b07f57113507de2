"""Public pages without login: the honour roll and the verification of a certificate (the QR code's target)."""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from awards.ratelimit import allow, client_ip, too_many_requests
from certificates.filters import HonourRollFilter
from certificates.models import Certificate, CertificateStatus
from certificates.services import holder_renamed_to

HONOURS_PER_PAGE = 50
VERIFICATIONS_PER_MINUTE = 120
SERIAL_MAX_LENGTH = Certificate._meta.get_field("serial").max_length

# Only what the roll shows is read: the enterprise's private contact fields never even leave the database.
HONOUR_ROLL_FIELDS = (
    "serial",
    "title",
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
    # serial is unique, so the order is total and no title can appear on two pages.
    return Certificate.objects.currently_valid(today).order_by("-program__year", "enterprise__district__code", "serial")


class HonourRollPaginator(Paginator):
    """Pages of a long roll that make the database sort as little as possible.

    The roll's order spans three tables, so no index can give it and every page sorts the matching titles.
    The sort carries only the keys (the page's rows are then read by key, 50 at a time, without repeating the
    search), and a page in the later half is read backwards, so the sorter never keeps more than half of the
    roll. The COUNT reads the certificates and only the tables that a filter needs.
    """

    def __init__(self, titles: QuerySet[Certificate], per_page: int) -> None:
        super().__init__(titles.values_list("pk", flat=True), per_page)

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
        return self._get_page([rows[key] for key in keys], number, self)


@require_safe
def honours(request: HttpRequest) -> HttpResponse:
    filterset = HonourRollFilter(request.GET or None, queryset=_honour_roll(timezone.localdate()))
    page = HonourRollPaginator(filterset.qs, HONOURS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "certificates/public/honours.html", {"filter": filterset, "page": page})


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


@require_safe
def verify(request: HttpRequest, serial: str) -> HttpResponse:
    serial = normalize_serial(serial)
    if _over_limit(request):
        return too_many_requests(request, _too_many_message(), retry_after=60)
    certificate = _get_certificate(serial)
    if certificate is None:
        context = {"serial": serial[:SERIAL_MAX_LENGTH]}
        return _no_cache(render(request, "certificates/public/verify_unknown.html", context, status=404))
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
    return _no_cache(render(request, "certificates/public/verify.html", context))


def _json(payload: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    # Third-party checkers (marketplaces, other associations) call this from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    return _no_cache(response)


@require_safe
def verify_json(request: HttpRequest, serial: str) -> JsonResponse:
    serial = normalize_serial(serial)
    if _over_limit(request):
        response = _json({"serial": serial[:SERIAL_MAX_LENGTH], "detail": _too_many_message()}, status=429)
        response["Retry-After"] = "60"
        return response
    certificate = _get_certificate(serial)
    if certificate is None:
        detail = _("This certificate number does not exist: it was never issued.")
        return _json({"serial": serial[:SERIAL_MAX_LENGTH], "status": "unknown", "detail": detail}, status=404)
    return _json(
        {
            "serial": certificate.serial,
            "status": str(certificate.current_status(timezone.localdate())),
            "enterprise": certificate.enterprise_name,
            "uscc": certificate.enterprise_uscc,
            "title": certificate.title,
            "program": certificate.program.title,
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
        }
    )
