"""A database or shared-cache outage answers 503 with a page that says so, instead of a 500 that says nothing."""

from __future__ import annotations

import sys

import redis.exceptions
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext as _

# Long enough for PostgreSQL to come back after a restart or a fail-over, short enough that nobody gives up.
RETRY_AFTER_SECONDS = 10

_OUTAGE_MARK = "_database_outage"
# The shared cache (Redis) holds sessions, rate limits and the public pages: without it no request can be served.
OUTAGE_ERRORS = (OperationalError, InterfaceError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def _mark_outage(sender, request=None, **kwargs) -> None:
    # Django turns an exception raised anywhere below this middleware (the view, or the session saved on the
    # way out) into a 500 before this middleware sees it; the signal is sent inside that except block, so the
    # exception is still at hand here.
    if request is not None and isinstance(sys.exc_info()[1], OUTAGE_ERRORS):
        setattr(request, _OUTAGE_MARK, True)


class DatabaseOutageMiddleware:
    """Turn a lost database connection into a 503 with Retry-After: the Chinese outage page, or JSON for .json paths.

    The page renders without the request's context processors, none of which may query a database that is down,
    and shows nothing of the error (its text may name hosts and users).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        got_request_exception.connect(_mark_outage, dispatch_uid="config.outage")

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _OUTAGE_MARK, False):
            return outage_response(request)
        return response


def outage_response(request) -> HttpResponse:
    """The 503 answer for a request that met the database down."""
    with translation.override(translation.get_language_from_request(request)):
        if request.path.endswith(".json"):
            response = JsonResponse(
                {"error": "service_unavailable", "message": _("The service is briefly unavailable; try again shortly.")},
                status=503,
                json_dumps_params={"ensure_ascii": False},
            )
        else:
            page = get_template("503.html").render(
                {
                    "retry_after": RETRY_AFTER_SECONDS,
                    "site_organizer": settings.SITE_ORGANIZER_NAME,
                    "site_contact": settings.SITE_CONTACT,
                    "site_icp_number": settings.SITE_ICP_NUMBER,
                    "LANGUAGE_CODE": translation.get_language(),
                }
            )
            response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Never kept by a cache in front: the page is right for seconds only.
    response["Cache-Control"] = "no-store"
    return response
