"""The published list from the web: each download is a background job whose page offers the file when it is done."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from awards.models import ApplicationStatus
from certificates.services import certificate_grant
from jobs.http import content_disposition
from jobs.models import Job, JobKind, JobStatus
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(db):
    program = ProgramFactory(title="2027年度诚信经营示范单位评选", slug="honest-2027")
    enterprise = EnterpriseFactory(name="杭州甲商贸有限公司")
    certificate_grant(application=ApplicationFactory(program=program, enterprise=enterprise, approved=True))
    return program


def url(program, fmt: str) -> str:
    return reverse("certificates:export_list", args=[program.slug, fmt])


def export(client, program, fmt: str, capture, **data):
    """Start the export as the organizer's button does; the job runs when the request commits."""
    with capture(execute=True):
        response = client.post(url(program, fmt), data)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    return job


def fetch(client, job):
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_an_export_becomes_a_job_whose_xlsx_downloads_with_its_chinese_name(
    client, olivia, program, django_capture_on_commit_callbacks
):
    client.force_login(olivia)

    job = export(client, program, "xlsx", django_capture_on_commit_callbacks)
    response, data = fetch(client, job)

    assert (job.kind, job.status, job.done, job.total, job.requested_by) == (JobKind.LIST, JobStatus.DONE, 1, 1, olivia)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == content_disposition(
        "2027年度诚信经营示范单位评选_授予称号名单.xlsx", "honest-2027-honours.xlsx"
    )
    assert openpyxl.load_workbook(io.BytesIO(data)).active["C2"].value == "杭州甲商贸有限公司"


def test_the_exposure_list_downloads_as_csv_when_asked(client, olivia, django_capture_on_commit_callbacks):
    program = ProgramFactory(mode="evaluation", slug="catering-2027")
    ApplicationFactory(
        program=program,
        enterprise=EnterpriseFactory(name="杭州丙餐饮有限公司"),
        status=ApplicationStatus.EXPOSED,
        enrolled=True,
    )
    client.force_login(olivia)

    job = export(client, program, "csv", django_capture_on_commit_callbacks, list="exposure")
    response, data = fetch(client, job)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="catering-2027-exposure.csv"' in response["Content-Disposition"]
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1][2] == "杭州丙餐饮有限公司"


def test_the_pdf_list_downloads_from_its_job(client, olivia, program, django_capture_on_commit_callbacks):
    client.force_login(olivia)

    job = export(client, program, "pdf", django_capture_on_commit_callbacks)
    response, data = fetch(client, job)

    assert response["Content-Type"] == "application/pdf"
    assert "杭州甲商贸有限公司" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_the_job_page_offers_the_file_by_its_kind(client, olivia, program, django_capture_on_commit_callbacks):
    client.force_login(olivia)
    job = export(client, program, "xlsx", django_capture_on_commit_callbacks)

    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert "下载 Excel 文件" in page and reverse("jobs:download", args=[job.pk]) in page


def test_a_pdf_export_without_harfbuzz_is_refused_before_it_starts(client, olivia, program, monkeypatch):
    monkeypatch.setattr("certificates.staff_views.harfbuzz_subset_available", lambda: False)
    client.force_login(olivia)

    response = client.post(url(program, "pdf"), follow=True)

    assert "本服务器暂时无法生成 PDF" in response.content.decode()
    assert not Job.objects.exists()


def test_an_export_is_started_by_a_post_only(client, olivia, program):
    client.force_login(olivia)

    assert client.get(url(program, "csv")).status_code == 405
    assert not Job.objects.exists()


@pytest.mark.parametrize(("fmt", "data"), [("doc", {}), ("csv", {"list": "everyone"})])
def test_an_unknown_format_or_list_is_not_found(client, olivia, program, fmt, data):
    client.force_login(olivia)

    assert client.post(url(program, fmt), data).status_code == 404


def test_an_applicant_or_a_reviewer_cannot_export(client, alice, program):
    client.force_login(alice)
    assert client.post(url(program, "csv")).status_code == 403
    client.force_login(staff_user("rita", Role.REVIEWER))
    assert client.post(url(program, "csv")).status_code == 403
    assert not Job.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, program):
    response = client.post(url(program, "csv"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
