"""The pages of a background job: progress while it runs, the error when it failed, the file only once it is done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from jobs.http import content_disposition
from tests.factories import JobFactory, staff_user

pytestmark = pytest.mark.django_db


def page(client, job) -> str:
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def download(client, job):
    return client.get(reverse("jobs:download", args=[job.pk]))


def test_it_shows_the_progress_of_a_running_job_and_follows_it(client, olivia):
    job = JobFactory(status="running", done=30, total=120)
    client.force_login(olivia)

    html = page(client, job)

    assert "进行中" in html
    assert 'value="25"' in html and "30 / 120" not in html and "已完成 30 项，共 120 项。" in html
    assert "data-job-refresh" in html and "js/job.js" in html
    assert reverse("jobs:download", args=[job.pk]) not in html


def test_it_says_a_queued_job_waits_for_a_worker(client, olivia):
    client.force_login(olivia)

    html = page(client, JobFactory())

    assert "正在排队，等待后台进程处理" in html and "data-job-refresh" in html


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_it_offers_no_file_until_the_job_is_done(client, olivia, status):
    client.force_login(olivia)

    assert download(client, JobFactory(status=status)).status_code == 404


def test_it_shows_the_error_of_a_failed_job_and_stops_following_it(client, olivia):
    job = JobFactory(status="failed", error="本评选活动尚无可打印的称号。")
    client.force_login(olivia)

    html = page(client, job)

    assert "失败" in html and "本评选活动尚无可打印的称号。" in html
    assert "data-job-refresh" not in html
    assert reverse("jobs:download", args=[job.pk]) not in html


def test_a_finished_job_offers_its_file_under_its_name_and_type(client, olivia):
    job = JobFactory(finished=b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7\r\n", params={"ascii_filename": "honest-2027-honours.csv"})
    client.force_login(olivia)

    html = page(client, job)
    response = download(client, job)

    assert "下载 CSV 文件" in html and reverse("jobs:download", args=[job.pk]) in html
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == content_disposition(job.filename, "honest-2027-honours.csv")
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_the_list_of_jobs_shows_kind_starter_progress_state_file_and_error(client, olivia):
    starter = staff_user("organizer2", Role.ORGANIZER)
    starter.first_name = "欧阳"
    starter.save()
    done = JobFactory(requested_by=starter, finished=b"x")
    failed = JobFactory(kind="certificates", status="failed", error="打印失败：字体缺失。", done=3, total=12)
    client.force_login(olivia)

    html = client.get(reverse("jobs:list")).content.decode()

    assert "名单" in html and "证书" in html
    assert "欧阳" in html
    assert "25%" in html and "(3/12)" in html
    assert "已完成" in html and "失败" in html
    assert reverse("jobs:download", args=[done.pk]) in html
    assert "打印失败：字体缺失。" in html and reverse("jobs:detail", args=[failed.pk]) in html


@pytest.mark.parametrize("name", ["jobs:list", "jobs:detail", "jobs:download"])
def test_only_organizers_see_jobs(client, alice, name):
    job = JobFactory(finished=b"x")
    kwargs = {} if name == "jobs:list" else {"pk": job.pk}
    client.force_login(alice)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    client.force_login(staff_user("rita", Role.REVIEWER))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
