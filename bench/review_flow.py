"""Drive applications with three reviewers each through the whole review flow and print the throughput.

Run: .venv/bin/python bench/review_flow.py [--sizes 100 1000]
Uses a throw-away SQLite database unless DATABASE_URL is set. For every size it prints applications per second
and SQL queries per application, from submission to granted title; the queries per application must not grow
with the number of applications.
"""

from __future__ import annotations

import argparse
import io
import os
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
from django.test.utils import override_settings  # noqa: E402

from accounts.roles import Role  # noqa: E402
from awards import services  # noqa: E402
from tests.factories import EnterpriseFactory, ProgramFactory, pdf_bytes, staff_user  # noqa: E402
from workflows.demo import Staff, Stager  # noqa: E402


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run(size: int, staff: Staff, stager: Stager, round_number: int) -> tuple[float, float]:
    program = ProgramFactory(slug=f"bench-{round_number}", serial_prefix=f"B{round_number}")
    applications = [
        services.application_start(program=program, enterprise=enterprise, user=enterprise.account)
        for enterprise in EnterpriseFactory.create_batch(size)
    ]
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for application in applications:
            stager.submit(application)
            stager.formal(application, "accept")
            stager.review(application)
            stager.decide(application)
        stager.close_in_the_past(stager.publish(program))
    elapsed = time.perf_counter() - started
    granted = program.certificates.count()
    assert granted == size, f"only {granted} of {size} titles granted"
    return size / elapsed, counter.count / size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    staff = Staff(
        organizer=staff_user("bench-organizer", Role.ORGANIZER),
        reviewers=[staff_user(f"bench-reviewer{i}", Role.REVIEWER) for i in range(3)],
        inspector=staff_user("bench-inspector", Role.INSPECTOR),
        committee=staff_user("bench-committee", Role.COMMITTEE),
    )
    stager = Stager(staff, pdf_bytes())
    print(f"database: {connection.vendor}; each application: submit, formal check, 3 reviews, committee, notice, grant")
    print(f"{'applications':>13}{'apps/second':>14}{'queries/app':>14}")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for number, size in enumerate(args.sizes, start=1):
            rate, queries = run(size, staff, stager, number)
            print(f"{size:>13}{rate:>14.1f}{queries:>14.1f}", flush=True)


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    main()
