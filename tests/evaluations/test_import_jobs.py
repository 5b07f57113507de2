"""A large workbook of evidence is imported by a worker, not inside the web request; the organizer follows the job."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from evaluations import import_jobs
from evaluations.models import SupervisionRecord
from evaluations.plan import plan_create
from jobs.models import Job, JobKind, JobStatus
from tests.factories import ApplicationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "类型", "严重程度", "日期", "摘要", "文号"]


@pytest.fixture
def plan(db):
    program = ProgramFactory(mode="evaluation", slug="farm-import-jobs", title="2027年度农资经营单位综合评议")
    return plan_create(program=program, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))


@pytest.fixture
def dealer(plan):
    return ApplicationFactory(program=plan.program, enrolled=True, status="in_review")


@pytest.fixture
def on_the_queue(monkeypatch):
    """Every workbook counts as large, so that a small test file takes the queue's path."""
    monkeypatch.setattr(import_jobs, "IMPORT_IN_REQUEST_MAX_BYTES", 0)


def _workbook(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "监督记录.xlsx"
    return buffer


def _upload(client, olivia, plan, rows, capture):
    client.force_login(olivia)
    with capture(execute=True):
        response = client.post(
            reverse("evaluations:record_import", args=[plan.program.slug]), {"file": _workbook(rows)}
        )
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    return job


def test_a_large_workbook_is_imported_by_a_job_and_its_report_downloads(
    client, olivia, plan, dealer, on_the_queue, django_capture_on_commit_callbacks
):
    rows = [
        [dealer.enterprise.uscc, "消费投诉", "一般", "2026-03-01", f"投诉{n}", f"投诉〔2026〕{n}号"] for n in range(3)
    ]
    job = _upload(client, olivia, plan, rows, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    assert SupervisionRecord.objects.filter(application=dealer).count() == 3
    report = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content).decode()
    assert "3" in report and "监督记录.xlsx" in report


def test_a_workbook_with_errors_fails_its_job_with_the_rows_in_error_and_imports_nothing(
    client, olivia, plan, dealer, on_the_queue, django_capture_on_commit_callbacks
):
    rows = [
        [dealer.enterprise.uscc, "消费投诉", "一般", "2026-03-01", "投诉", "A1"],
        [dealer.enterprise.uscc, "不存在的类型", "一般", "2026-03-01", "投诉", "A2"],
    ]
    job = _upload(client, olivia, plan, rows, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "第 3 行" in job.error and "未导入" in job.error
    assert not SupervisionRecord.objects.exists()


def test_the_stored_workbook_is_removed_once_the_job_is_done(
    client, olivia, plan, dealer, on_the_queue, django_capture_on_commit_callbacks
):
    rows = [[dealer.enterprise.uscc, "消费投诉", "一般", "2026-03-01", "投诉", "B1"]]
    job = _upload(client, olivia, plan, rows, django_capture_on_commit_callbacks)
    assert not default_storage.exists(job.params["workbook"])


def test_a_small_workbook_is_still_checked_at_once_on_the_form(client, olivia, plan, dealer):
    client.force_login(olivia)
    rows = [[dealer.enterprise.uscc, "不存在的类型", "一般", "2026-03-01", "投诉", "C1"]]
    response = client.post(reverse("evaluations:record_import", args=[plan.program.slug]), {"file": _workbook(rows)})
    assert response.status_code == 400 and not Job.objects.exists()


def test_large_paper_questionnaires_take_the_queue_too(client, olivia, plan, on_the_queue):
    client.force_login(olivia)
    response = client.post(reverse("evaluations:survey_paper", args=[plan.program.slug]), {"file": _workbook([])})
    assert response["Location"] == reverse("jobs:detail", args=[Job.objects.get(kind=JobKind.IMPORT).pk])
