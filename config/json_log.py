"""One JSON object per log line, for production: log collectors parse it without guessing at formats."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# gunicorn's access records carry the response headers among their arguments, keyed like this.
_GUNICORN_REQUEST_ID = "{x-request-id}o"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if isinstance(record.args, dict) and record.args.get(_GUNICORN_REQUEST_ID, "-") != "-":
            entry["request_id"] = record.args[_GUNICORN_REQUEST_ID]
        if isinstance(getattr(record, "status_code", None), int):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
