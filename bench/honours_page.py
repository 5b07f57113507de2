"""Server time and SQL queries of the public honour roll and verification page, with many titles in the database.

Run: .venv/bin/python bench/honours_page.py [--sizes 10000 100000] [--index "CREATE INDEX ..."]
Uses a throw-away SQLite database unless DATABASE_URL is set. For every size it prints the median server time
(django.test.Client, no network; wall clock and CPU time) and the SQL queries of /honours/ (plain, filtered,
searched, deep in the pages) and of /verify/. The query counts must be the same for every size; the target is
under 100 ms at 100,000 titles. --index (repeatable) creates an index first, to try one before proposing it.
DJANGO_DEBUG=0 measures without the debug template engine, as in production.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
THROW_AWAY = "DJANGO_VAR_DIR" not in os.environ and "DATABASE_URL" not in os.environ
os.environ.setdefault("DJANGO_VAR_DIR", tempfile.mkdtemp(prefix="award315-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from awards.demo_data import DISTRICTS  # noqa: E402
from awards.models import Application, District, Enterprise, Industry, Program, ReviewResult  # noqa: E402
from certificates.models import Certificate, CertificateStatus  # noqa: E402
from tests.factories import valid_uscc  # noqa: E402

REPEAT = 21
BATCH = 2000
TRADES = ["商贸", "餐饮", "超市", "电器", "家居", "旅游", "汽车服务", "药房", "物业", "教育培训"]


def _programmes() -> list[Program]:
    """Three award years of both kinds, all granted and still in force today."""
    this_year = timezone.localdate().year
    programmes = []
    for year in range(this_year - 2, this_year + 1):
        for kind, prefix in (("honest_business", "CX"), ("education_base", "JD")):
            programme, _ = Program.objects.get_or_create(
                slug=f"bench-{kind}-{year}",
                defaults={
                    "title": f"{year}年度{'诚信经营示范单位' if kind == 'honest_business' else '消费维权教育基地'}评选",
                    "kind": kind,
                    "year": year,
                    "issuing_body": "杭州市消费者权益保护委员会",
                    "opens_at": timezone.now() - datetime.timedelta(days=800),
                    "closes_at": timezone.now() - datetime.timedelta(days=700),
                    "serial_prefix": prefix,
                    # The validity starts in the past so that today falls inside it.
                    "ceremony_date": min(datetime.date(year, 3, 15), timezone.localdate()),
                },
            )
            programmes.append(programme)
    return programmes


def _grow(start: int, stop: int, programmes: list[Program], districts: list[District], industries: list) -> None:
    """Titles number start..stop-1, written in batches; about one in ten is suspended, revoked or expired."""
    today = timezone.localdate()
    now = timezone.now()
    for offset in range(start, stop, BATCH):
        numbers = range(offset, min(offset + BATCH, stop))
        with transaction.atomic():
            enterprises = Enterprise.objects.bulk_create(
                Enterprise(
                    name=f"杭州{TRADES[n % len(TRADES)]}示范{n}号有限公司",
                    uscc=valid_uscc(n + 10_000_000),
                    legal_representative="张三",
                    address="杭州市西湖区文三路1号",
                    district=districts[n % len(districts)],
                    industry=industries[n % len(industries)],
                    contact_name="李四",
                    contact_phone="13800138000",
                )
                for n in numbers
            )
            applications = Application.objects.bulk_create(
                Application(
                    program=programmes[n % len(programmes)],
                    enterprise=enterprise,
                    status="granted",
                    enrolled=True,
                    submitted_at=now,
                )
                for n, enterprise in zip(numbers, enterprises, strict=True)
            )
            ReviewResult.objects.bulk_create(
                ReviewResult(
                    application=application,
                    final_score=Decimal("95") if n % 7 else Decimal("85"),
                    tier="A" if n % 7 else "B",
                    rule_version="bench",
                    explanation={"totals": [95, 94, 96], "dropped": [], "veto": None},
                )
                for n, application in zip(numbers, applications, strict=True)
            )
            Certificate.objects.bulk_create(
                _certificate(n, application, today) for n, application in zip(numbers, applications, strict=True)
            )


def _certificate(n: int, application: Application, today: datetime.date) -> Certificate:
    programme = application.program
    valid_from = programme.ceremony_date
    valid_until = valid_from.replace(year=valid_from.year + programme.validity_years) - datetime.timedelta(days=1)
    status = CertificateStatus.VALID
    if n % 30 == 1:
        status = CertificateStatus.SUSPENDED
    elif n % 30 == 2:
        status = CertificateStatus.REVOKED
    elif n % 30 == 3:
        valid_until = today - datetime.timedelta(days=1)  # expired without anyone acting
    return Certificate(
        application=application,
        program=programme,
        enterprise=application.enterprise,
        enterprise_name=application.enterprise.name,
        enterprise_uscc=application.enterprise.uscc,
        serial=f"{programme.serial_prefix}-{programme.year}-{n + 1:06d}",
        sequence=n + 1,
        year=programme.year,
        district_code=application.enterprise.district.code,
        title=programme.official_title,
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
    )


def _measure(client: Client, url: str, expected: int = 200) -> tuple[float, float, int]:
    """Median wall-clock and CPU milliseconds, and the queries of one request.

    SQLite runs inside the process, so its CPU time is the server's whole work; unlike the wall clock, it does
    not count the time spent waiting for a core that other programs on a shared machine hold.
    """
    client.get(url)  # warm the template and the database caches
    wall, cpu, queries = [], [], 0
    for _ in range(REPEAT):
        cache.clear()  # the verification rate limit must not stop the benchmark
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        assert response.status_code == expected, (url, response.status_code)
        queries = len(captured)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, queries


def _pages(size: int, programmes: list[Program], districts: list[District]) -> list[tuple[str, str]]:
    honours = reverse("honours")
    this_year = timezone.localdate().year
    serial = Certificate.objects.filter(status=CertificateStatus.VALID).order_by("pk").values_list("serial", flat=True)
    uscc = valid_uscc(10_000_000 + size // 2)
    typed_uscc = f"{uscc[:6].lower()} {uscc[6:12]} {uscc[12:]}"
    return [
        ("honours", honours),
        ("honours, page 100", f"{honours}?page=100"),
        ("honours, last page", f"{honours}?page=999999"),
        ("honours, district+year", f"{honours}?district={districts[2].pk}&year={this_year}"),
        ("honours, programme+tier", f"{honours}?program={programmes[0].slug}&tier=A"),
        ("honours, name search", f"{honours}?q={TRADES[size // 3 % len(TRADES)]}示范{size // 3}号"),
        ("honours, broad search", f"{honours}?q={TRADES[1]}"),
        # Brackets of either width match: the parts between them are searched first, the brackets folded after.
        ("honours, bracket search", f"{honours}?q=示范({size // 3}号)"),
        ("honours, broad brackets", f"{honours}?q={TRADES[1]}(示范)"),
        ("honours, code search", f"{honours}?q={typed_uscc}"),
        ("verify", reverse("verify", args=[serial[0]])),
        ("verify json", reverse("verify_json", args=[serial[0]])),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--index", action="append", default=[], metavar="SQL", help="CREATE INDEX ... to try out")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    for sql in args.index:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    districts = [District.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in DISTRICTS]
    industries = list(Industry.objects.all())
    programmes = _programmes()
    client = Client()
    print(f"database: {connection.vendor}; indexes tried: {args.index or 'none'}")
    print(f"{'page':<26}{'titles':>9}{'wall ms':>9}{'CPU ms':>8}{'queries':>9}")
    existing = 0
    counts: dict[str, set[int]] = {}
    for size in sorted(args.sizes):
        _grow(existing, size, programmes, districts, industries)
        existing = size
        # Start the measurements like a fresh server process: without the garbage and query log of the set-up.
        connection.queries_log.clear()
        gc.collect()
        if connection.vendor == "postgresql":  # as autovacuum would; SQLite is measured as Django leaves it
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name, url in _pages(size, programmes, districts):
            wall, cpu, queries = _measure(client, url)
            counts.setdefault(name, set()).add(queries)
            print(f"{name:<26}{size:>9}{wall:>9.1f}{cpu:>8.1f}{queries:>9}", flush=True)
    growing = sorted(name for name, seen in counts.items() if len(seen) > 1)
    print(f"query counts {'grow with the titles on: ' + ', '.join(growing) if growing else 'equal for every size'}")


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    try:
        main()
    finally:
        if THROW_AWAY:  # 100,000 titles take a few hundred megabytes of disk
            connection.close()
            shutil.rmtree(os.environ["DJANGO_VAR_DIR"], ignore_errors=True)
