"""gunicorn settings for the web processes: `.venv/bin/gunicorn config.wsgi` reads this file from the project folder.

Behind nginx (deploy/nginx.conf), which reads slow clients' requests and uploads in full before passing them on and
buffers the answers, so that plain synchronous workers never wait on a slow phone connection.
GUNICORN_BIND (or PORT), WEB_CONCURRENCY and GUNICORN_TIMEOUT change the defaults, which suit one host with nginx in front.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# Only the proxy on this host talks to gunicorn; `PORT` alone (as a Procfile platform sets it) listens everywhere.
bind = os.environ.get("GUNICORN_BIND") or (f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000")
# Requests wait on PostgreSQL, not on the CPU: two workers a core and one more.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Long enough for an upload of UPLOAD_MAX_MB to be checked (a PDF parsed, an image re-encoded) and, without a
# buffering proxy, received from a slow client; a worker stuck longer than this is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
# On SIGTERM (systemctl stop, a deploy) requests in hand get this long to finish.
graceful_timeout = 30
keepalive = 5
# Replace each worker now and then, staggered, so that a slow leak never grows for weeks.
max_requests = 1000
max_requests_jitter = 100
# The proxy on this host may say that the client came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1,::1"
# No gunicornc control socket: nothing here uses it, and its default place is the service user's home.
control_socket_disable = True

# Both logs to stdout; the access log names the request id that Django sends back (config/request_id.py).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s "%(a)s"'

if os.environ.get("DJANGO_ENV") == "production":
    # One JSON object per line, like the application's own log (config/json_log.py).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.json_log.JsonFormatter"}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
        "root": {"level": "WARNING", "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }
