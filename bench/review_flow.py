"""Drive applications with three reviewers each through the whole review flow and print what each one costs.

Run: .venv/bin/python bench/review_flow.py [--sizes 100 1000]
Uses a throw-away SQLite database unless DATABASE_URL is set. For every size it prints applications per second,
SQL queries per application from submission to granted title, how many of those viewflow spends itself, and the
ratio of the two; the queries per application must not grow with the number of applications.

How viewflow's own share is measured: every statement sent to the database (savepoints included) is attributed by
the call stack at the moment it is sent. Walking from the innermost frame outwards, the first frame that belongs
either to the viewflow package or to this project's code decides: a statement issued by viewflow's code (creating,
saving and finishing task rows, the process row lock and the re-read of the task under it, loading and coercing the
process, the join's check of its sibling tasks, the transactions and savepoints of its own atomic blocks) is
viewflow's inherent cost of walking the path; one issued by project code (the services, the routing predicates, the
owners of tasks, the steps' functions, finding the open task), even when viewflow called that code, is the
project's. Django and other libraries in between are transparent. The inherent figure is thus what this very path
of about 23 tasks costs in viewflow's engine, measured in the same run.
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

import viewflow  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from accounts.roles import Role  # noqa: E402
from awards import services  # noqa: E402
from tests.factories import EnterpriseFactory, ProgramFactory, pdf_bytes, staff_user  # noqa: E402
from workflows.demo import Staff, Stager  # noqa: E402

VIEWFLOW_CODE = str(Path(viewflow.__file__).resolve().parent)
PROJECT_CODE = str(Path(__file__).resolve().parent.parent)
LIBRARIES = str(Path(sys.prefix).resolve())


class QueryCounter:
    """Count the statements sent, and those viewflow's own code sent (see the module docstring)."""

    def __init__(self) -> None:
        self.count = 0
        self.viewflow = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self._sent_by_viewflow():
            self.viewflow += 1
        return execute(sql, params, many, context)

    @staticmethod
    def _sent_by_viewflow() -> bool:
        frame = sys._getframe(2)
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename.startswith(VIEWFLOW_CODE):
                return True
            if filename.startswith(PROJECT_CODE) and not filename.startswith(LIBRARIES):
                return False
            frame = frame.f_back
        return False


def run(size: int, staff: Staff, stager: Stager, round_number: int) -> tuple[float, float, float]:
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
    return size / elapsed, counter.count / size, counter.viewflow / size


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
    print(f"{'applications':>13}{'apps/second':>14}{'queries/app':>14}{'viewflow/app':>14}{'ratio':>8}")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for number, size in enumerate(args.sizes, start=1):
            rate, queries, inherent = run(size, staff, stager, number)
            print(f"{size:>13}{rate:>14.1f}{queries:>14.1f}{inherent:>14.1f}{queries / inherent:>8.2f}", flush=True)


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    main()
