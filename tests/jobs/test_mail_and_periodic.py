"""E-mail retries and the periodic task, on the database queue without a worker: what each enqueues."""

from __future__ import annotations

import datetime

import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from awards.mail import retry_delay, send_email
from jobs.periodic import ensure_scheduled, periodic

pytestmark = pytest.mark.django_db

MESSAGE = {"template": "t", "subject": "主题", "body": "正文", "html": "<p>正文</p>", "recipients": ["a@example.com"]}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)


def _queued(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY))


def test_an_email_the_server_refuses_is_queued_again_for_later(database_queue, smtp_down):
    before = timezone.now()
    assert send_email.call(**MESSAGE) == "retrying"
    (retry,) = _queued(send_email)
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + datetime.timedelta(minutes=1)


def test_an_email_is_given_up_after_the_last_attempt_and_the_failure_is_logged(
    database_queue, smtp_down, settings, caplog
):
    settings.MAIL_MAX_ATTEMPTS = 3
    assert send_email.call(**MESSAGE, attempt=3) == "failed"
    assert _queued(send_email) == []
    assert "giving up after 3 attempts" in caplog.text


def test_retries_wait_longer_each_time_but_never_more_than_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4, 8, 20)] == [1, 2, 4, 8, 60, 60]


def test_a_sent_email_reaches_the_outbox(mailoutbox):
    assert send_email.call(**MESSAGE) == "sent"
    assert [m.subject for m in mailoutbox] == ["主题"]


def test_the_worker_schedules_the_periodic_task_once(database_queue):
    assert ensure_scheduled() is True
    assert ensure_scheduled() is False
    assert len(_queued(periodic)) == 1


def test_the_periodic_task_queues_its_next_run_after_the_configured_interval(database_queue, settings):
    settings.PERIODIC_TASK_SECONDS = 45
    before = timezone.now()
    periodic.call()
    (following,) = _queued(periodic)
    assert before + datetime.timedelta(seconds=45) <= following.run_after <= timezone.now() + datetime.timedelta(
        seconds=45
    )


def test_a_second_chain_of_periodic_runs_ends_by_itself(database_queue):
    ensure_scheduled()
    periodic.call()  # a run of another chain finds one queued and does not queue its own
    assert len(_queued(periodic)) == 1


def test_the_immediate_queue_of_the_tests_never_loops_the_periodic_task():
    assert ensure_scheduled() is False
    periodic.call()
