"""A request id on every log line written while a request is served, and on the response.

The reverse proxy (deploy/nginx.conf) sends its own id in X-Request-ID, so that its access log, ours and the
client's error report name the same request. An id that does not look like one is replaced, not trusted: it is
written into every log line and must not be able to forge lines or fill the logs.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

HEADER = "X-Request-ID"
NO_REQUEST = "-"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    return _current.get()


def _forget(**kwargs) -> None:
    # Reset when the response is closed, not when the middleware returns: Django logs 4xx and 5xx answers after the
    # middleware chain, and those lines belong to the request too.
    _current.set(NO_REQUEST)


request_finished.connect(_forget, dispatch_uid="config.request_id.forget")


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID when well-formed, else make one; log with it and send it back."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        _current.set(request_id)
        response = self.get_response(request)
        response.headers[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request being served ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
