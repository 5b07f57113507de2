"""A province-scale sector evaluation: enrol, fill with evidence, grade, and print what each stage costs.

Run: .venv/bin/python bench/evaluation.py [--enterprises 50000] [--responses 30]
Uses a throw-away SQLite database unless DATABASE_URL is set (then an empty database you created). It writes the
enrolment workbook with openpyxl's write_only mode, imports it as the organizer's upload does (streamed parse with
the row-by-row checks, then the bulk enrolment), bulk-inserts the evidence (questionnaire answers for every
enterprise, hearing scores for a share, supervision records for another share, some of them vetoes), runs the
grading, tells the C and D entries their proposed result (陈述申辩), publishes both lists, concludes them after the notice and writes them as xlsx, csv and PDF, and prints
seconds, SQL queries per enterprise and the process's peak memory (ru_maxrss) after each stage.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_VAR_DIR", tempfile.mkdtemp(prefix="award315-bench-evaluation-"))

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.roles import Role  # noqa: E402
from awards.enrolment import COLUMNS, parse_enrolment_workbook  # noqa: E402
from awards.models import Application, District, Industry  # noqa: E402
from awards.services.statements import program_statements_open  # noqa: E402
from certificates.exports import export_list  # noqa: E402
from certificates.kinds import ListFormat, ListKind  # noqa: E402
from evaluations.grading import grading_run  # noqa: E402
from evaluations.models import (  # noqa: E402
    HearingPanelist,
    HearingScore,
    HearingSession,
    SupervisionRecord,
    SurveyResponse,
)
from evaluations.plan import plan_create  # noqa: E402
from evaluations.publication import evaluation_lists_publish, evaluation_notices_conclude  # noqa: E402
from tests.factories import ProgramFactory, staff_user, valid_uscc  # noqa: E402
from workflows.services import enrolment_import  # noqa: E402

DISTRICTS = {
    "330102": "上城区",
    "330105": "拱墅区",
    "330106": "西湖区",
    "330108": "滨江区",
    "330109": "萧山区",
    "330110": "余杭区",
    "330111": "富阳区",
    "330112": "临安区",
    "330113": "临平区",
    "330114": "钱塘区",
    "330122": "桐庐县",
    "330127": "淳安县",
}
INDUSTRIES = ("F", "H", "C", "O")
PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
BATCH = 5000


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def stage(name: str, started: float, queries: int | None = None, per: int | None = None) -> None:
    seconds = time.perf_counter() - started
    line = f"{name:<38} {seconds:8.1f} s"
    if queries is not None:
        line += f"   {queries:6d} queries"
        if per:
            line += f" ({queries / per:.4f} per enterprise)"
    print(f"{line}   peak {peak_mb():7.0f} MB", flush=True)


def write_workbook(path: Path, n: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("企业名单")
    sheet.append([headings[0] for headings in COLUMNS.values()])
    codes = list(DISTRICTS)
    for i in range(n):
        sheet.append(
            [
                f"浙江第{i + 1}号农资经营部",
                valid_uscc(100_000 + i, codes[i % len(codes)]),
                DISTRICTS[codes[i % len(codes)]],
                INDUSTRIES[i % len(INDUSTRIES)],
                "联系人",
                f"138{i:08d}",
            ]
        )
    book.save(path)


def lookups() -> tuple[dict[str, str], dict[str, str]]:
    districts = {}
    for code, name in District.objects.values_list("code", "name"):
        districts.update({code: code, name: code})
    industries = {}
    for code, name in Industry.objects.values_list("code", "name"):
        industries.update({code: code, name: code, f"{code} {name}": code})
    return districts, industries


def evidence(program, plan, organizer, responses: int, rng: random.Random) -> None:
    """Questionnaires for every enterprise, hearing scores for one in ten, records for one in five (1 % vetoes)."""
    ids = list(Application.objects.filter(program=program).values_list("pk", flat=True))
    rows = []
    for pk in ids:
        quality = rng.uniform(30, 100)
        for _n in range(responses):
            score = Decimal(min(100, max(0, rng.gauss(quality, 8)))).quantize(Decimal("0.01"))
            rows.append(SurveyResponse(application_id=pk, channel="web", answers={}, aspect_scores={}, score=score))
            if len(rows) >= BATCH:
                SurveyResponse.objects.bulk_create(rows)
                rows = []
    SurveyResponse.objects.bulk_create(rows)
    session = HearingSession.objects.create(
        program=program, held_on=PERIOD[0] + datetime.timedelta(days=90), place="省消保委听证室", created_by=organizer
    )
    panel = HearingPanelist.objects.bulk_create(
        [HearingPanelist(session=session, name=f"消费者代表{n}", role="consumer") for n in range(5)]
    )
    aspects = list(plan.aspects.values_list("pk", flat=True))
    scores = [
        HearingScore(panelist=p, application_id=pk, aspect_id=a, points=Decimal(rng.randint(40, 100)))
        for pk in ids[::10]
        for p in panel
        for a in aspects
    ]
    HearingScore.objects.bulk_create(scores, batch_size=BATCH)
    kinds = [("complaint", "minor"), ("complaint", "general"), ("inspection", "general"), ("follow_up", "minor")]
    records = []
    for n, pk in enumerate(ids[::5]):
        kind, severity = ("penalty", "serious") if n % 20 == 0 else kinds[n % len(kinds)]
        records.append(
            SupervisionRecord(
                application_id=pk,
                kind=kind,
                severity=severity,
                occurred_on=PERIOD[0] + datetime.timedelta(days=n % 300),
                summary="日常监督记录",
                recorded_by=organizer,
            )
        )
    SupervisionRecord.objects.bulk_create(records, batch_size=BATCH)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--responses", type=int, default=30, help="questionnaire answers per enterprise")
    args = parser.parse_args()
    n = args.enterprises
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {n:,} enterprises, {args.responses} answers each", flush=True)
    for code, name in DISTRICTS.items():
        District.objects.get_or_create(code=code, defaults={"name": name})
    organizer = staff_user(f"bench-organizer-{time.time_ns()}", Role.ORGANIZER)
    program = ProgramFactory(mode="evaluation", slug=f"bench-eval-{time.time_ns()}", serial_prefix="BE")
    plan = plan_create(program=program, period_start=PERIOD[0], period_end=PERIOD[1])

    path = Path(tempfile.mkdtemp(prefix="award315-bench-xlsx-")) / "sector.xlsx"
    started = total_started = time.perf_counter()
    write_workbook(path, n)
    stage(f"write workbook ({path.stat().st_size / 1e6:.1f} MB)", started)

    districts, industries = lookups()
    started = time.perf_counter()
    with path.open("rb") as file:
        rows, errors = parse_enrolment_workbook(file, districts=districts, industries=industries)
    assert not errors, errors[:5]
    stage("parse and check every row", started)

    counter = Counter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        enrolment_import(program=program, user=organizer, rows=rows)
    stage("enrolment import (bulk)", started, counter.count, n)
    del rows

    started = time.perf_counter()
    evidence(program, plan, organizer, args.responses, random.Random(315))
    stage("evidence (bulk insert)", started)

    for label in ("grading run", "grading run again (replaces)"):
        counter = Counter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            run = grading_run(program, organizer)
        stage(label, started, counter.count, n)
    print("tiers:", {key: run.counts[key] for key in ("A", "B", "C", "D", "flagged", "ungraded", "total")})
    publish(program, organizer, n)
    print(f"total from the workbook to both published lists: {time.perf_counter() - total_started:.0f} s")


def publish(program, organizer, n: int) -> None:
    """The C and D entries told (陈述申辩) and their time run out, both lists on notice, the notice run out (the
    conclusion's `now` seam), and both lists written as files."""
    counter = Counter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        told = program_statements_open(program=program, user=organizer, now=timezone.now() - datetime.timedelta(30))
    stage(f"tell {told:,} C and D entries their proposed result", started, counter.count, n)
    counter = Counter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        notices = evaluation_lists_publish(program=program, user=organizer)
    stage("publish the A and D lists for notice", started, counter.count, n)
    counter = Counter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        outcome = evaluation_notices_conclude(now=max(notice.closes_at for notice in notices) + datetime.timedelta(1))
    stage("after the notice: grant A, expose D", started, counter.count, n)
    print("concluded:", outcome)
    for which in (ListKind.HONOURS, ListKind.EXPOSURE):
        for fmt in (ListFormat.XLSX, ListFormat.CSV, ListFormat.PDF):
            started = time.perf_counter()
            with tempfile.TemporaryFile() as target:
                rows = export_list(program, fmt=fmt, target=target, which=which)
                size = target.tell()
            stage(f"{which.label} as {fmt.value}: {rows:,} rows, {size / 1e6:.1f} MB", started)


if __name__ == "__main__":
    main()
