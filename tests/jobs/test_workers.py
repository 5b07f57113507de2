"""Background work on real worker processes (`manage.py worker`), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.mail import send_after_commit
from awards.models import ApplicationStatus
from certificates.printing import print_job_start
from certificates.services import certificate_grant
from jobs.models import Job, JobPart, JobStatus
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, UserFactory
from tests.jobs.conftest import wait_until
from tests.jobs.sample_tasks import note_run
from workflows.flows import ReviewFlow

SERIAL = re.compile(r"[A-Z]{2,6}-\d{4}-\d{5}")


def _titles(count: int):
    program = ProgramFactory()
    for _ in range(count):
        certificate_grant(
            application=ApplicationFactory(approved=True, program=program, enterprise=EnterpriseFactory())
        )
    return program


def _serials_in(job: Job) -> Counter:
    with job.file.open("rb") as file:
        reader = PdfReader(file)
        return Counter(serial for page in reader.pages for serial in SERIAL.findall(page.extract_text()))


def _job(pk: int) -> Job:
    return Job.objects.get(pk=pk)


def test_a_print_batch_fans_out_and_completes_on_a_worker(workers):
    program = _titles(5)
    with transaction.atomic():
        job = print_job_start(program=program, kind="certificate", user=UserFactory(), chunk_size=2)
    workers.start()
    job = wait_until(lambda: _job(job.pk).is_finished and _job(job.pk), timeout=120, what="the batch", workers=workers)
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 5, 5), job.error
    serials = _serials_in(job)
    assert sorted(serials) == sorted(program.certificates.values_list("serial", flat=True))
    assert set(serials.values()) == {1}
    assert not JobPart.objects.filter(job=job).exists()  # the chunks are gone once joined


def test_a_worker_killed_in_the_middle_of_a_batch_is_recovered_and_every_title_prints_once(workers):
    program = _titles(8)
    with transaction.atomic():
        job = print_job_start(program=program, kind="certificate", user=UserFactory(), chunk_size=2)
    first = workers.start()
    wait_until(
        lambda: (
            JobPart.objects.filter(job=job, status=JobStatus.DONE).exists()
            and JobPart.objects.filter(job=job, status=JobStatus.RUNNING).exists()
        ),
        timeout=120,
        what="one chunk done and the next one running",
        workers=workers,
    )
    workers.kill(first)
    running = JobPart.objects.get(job=job, status=JobStatus.RUNNING)
    workers.start()
    job = wait_until(
        lambda: _job(job.pk).is_finished and _job(job.pk), timeout=120, what="the recovery", workers=workers
    )
    assert job.status == JobStatus.DONE, job.error
    serials = _serials_in(job)
    assert sorted(serials) == sorted(program.certificates.values_list("serial", flat=True))
    assert set(serials.values()) == {1}
    assert len(PdfReader(job.file.open("rb")).pages) == 8
    assert running.attempts == 1  # the chunk the killed worker held was taken up again


def test_a_job_whose_worker_keeps_dying_fails_with_the_reason(db, settings):
    from jobs.engine import recover_stale_jobs

    settings.JOB_MAX_ATTEMPTS = 2
    job = Job.objects.create(
        kind="list", requested_by=UserFactory(), status=JobStatus.RUNNING, attempts=2, heartbeat_at=timezone.now()
    )
    recover_stale_jobs(now=timezone.now() + datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS + 1))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "后台" in job.error and not job.file


@pytest.mark.skipif(connection.vendor != "postgresql", reason="several workers on one queue is a PostgreSQL setup")
def test_two_workers_run_a_thousand_tasks_each_exactly_once(workers, tmp_path):
    runs = tmp_path / "runs.txt"
    for number in range(1000):
        note_run.enqueue(str(runs), number)
    workers.start("one")
    workers.start("two")
    wait_until(
        lambda: (
            not DBTaskResult.objects.filter(task_path=note_run.module_path)
            .exclude(status=TaskResultStatus.SUCCESSFUL)
            .exists()
        ),
        timeout=300,
        what="a thousand tasks",
        workers=workers,
    )
    lines = runs.read_text().split()
    numbers = Counter(int(n) for n in lines[::2])
    assert numbers == Counter(range(1000))
    assert len(set(lines[1::2])) == 2  # both workers took a share
    results = DBTaskResult.objects.filter(task_path=note_run.module_path)
    assert all(len(result.worker_ids) == 1 for result in results)


def test_a_timer_due_while_no_web_request_arrives_fires_on_the_worker(workers, on_notice):
    application = on_notice
    Task.objects.filter(
        process__applicationprocess__application=application,
        flow_task=ReviewFlow.notice_period,
        status=STATUS.SCHEDULED,
    ).update(scheduled=timezone.now() - datetime.timedelta(minutes=1))
    workers.start()
    wait_until(
        lambda: type(application).objects.get(pk=application.pk).status == ApplicationStatus.GRANTED,
        timeout=60,
        what="the notice timer",
        workers=workers,
    )


def test_an_email_is_queued_only_when_its_transaction_commits(transactional_db, reference_data, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = ApplicationFactory()
    with transaction.atomic():
        send_after_commit("result_decided", application, {"result": None}, to=["a@example.com"])
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.filter(task_path="awards.mail.send_email").count() == 1


def test_an_email_of_a_rolled_back_transaction_is_never_queued(transactional_db, reference_data, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = ApplicationFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        send_after_commit("result_decided", application, {"result": None}, to=["a@example.com"])
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()


def test_a_queued_email_is_sent_by_the_worker(transactional_db, reference_data, settings, mailoutbox):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = ApplicationFactory()
    with transaction.atomic():
        send_after_commit("result_decided", application, {"result": None}, to=["a@example.com"])
    assert not mailoutbox
    call_command("db_worker", batch=True, reload=False, verbosity=0)
    assert [m.to for m in mailoutbox] == [["a@example.com"]]
