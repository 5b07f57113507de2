"""Server time and SQL queries of the applicant's pages, with few and with many applications in the database.

Run: .venv/bin/python bench/applicant_pages.py   (uses a throw-away SQLite database; DATABASE_URL to use another)
The query counts must be the same for both sizes: a page must not do work per application in the database.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_VAR_DIR", tempfile.mkdtemp(prefix="award315-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, complete_draft  # noqa: E402

REPEAT = 20


def _measure(client: Client, method: str, url: str, data: dict | None = None) -> tuple[float, int]:
    timings, queries = [], 0
    for _ in range(REPEAT):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = getattr(client, method)(url, data or {})
            timings.append(time.perf_counter() - start)
        assert response.status_code in (200, 302), (url, response.status_code)
        queries = len(captured)
    return statistics.median(timings) * 1000, queries


def _grow(program, count: int) -> None:
    for _ in range(count):
        ApplicationFactory(program=program)


def main() -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    program = ProgramFactory()
    mine = ApplicationFactory(program=program, enterprise=EnterpriseFactory())
    complete_draft(mine)
    client = Client()
    client.force_login(mine.enterprise.account)
    pages = [
        ("home", "get", reverse("home"), None),
        ("open programmes", "get", reverse("awards:program_list"), None),
        ("application form", "get", reverse("awards:application_edit", args=[mine.pk]), None),
        ("application status", "get", reverse("awards:application_detail", args=[mine.pk]), None),
    ]
    print(f"{'page':<22}{'applications':>14}{'median ms':>12}{'queries':>10}")
    existing = 1
    for target in (100, 1000):
        _grow(program, target - existing)
        existing = target
        for name, method, url, data in pages:
            ms, queries = _measure(client, method, url, data)
            print(f"{name:<22}{target:>14}{ms:>12.1f}{queries:>10}")


if __name__ == "__main__":
    main()
