"""Running jobs on the task queue: claim, progress and heartbeat, fan-out into parts, join, failure, recovery.

Every step claims its row with one conditional UPDATE, so a task that runs twice (a re-enqueue after a worker was
thought dead) does nothing the second time. A step that works keeps the job's heartbeat fresh; the periodic recovery
(`recover_stale_jobs`) re-enqueues a step whose heartbeat stopped, at most JOB_MAX_ATTEMPTS times, then fails the
job with the reason.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from jobs.models import Job, JobKind, JobPart, JobStatus
from jobs.queue import enqueue_on_commit

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A job cannot be done, for a reason the person who started it can act on; the message is shown as it is."""


class Progress:
    """Counts work done and keeps the heartbeat fresh; a step calls it at least once per lease."""

    def __init__(self, job_id: int, part_id: int | None = None) -> None:
        self.job_id = job_id
        self.part_id = part_id

    def __call__(self, done: int = 0) -> None:
        now = timezone.now()
        changes = {"heartbeat_at": now}
        if done:
            changes["done"] = F("done") + done
        Job.objects.filter(pk=self.job_id).update(**changes)
        if self.part_id is not None:
            JobPart.objects.filter(pk=self.part_id).update(heartbeat_at=now)

    def total(self, total: int) -> None:
        Job.objects.filter(pk=self.job_id).update(total=total, heartbeat_at=timezone.now())


@dataclass(frozen=True)
class JobHandler:
    """What one kind of job does.

    Either `run` writes the whole file, or `plan` splits the work into parts (a list of JSON-able params, and it
    reports the total), `run_part` writes one part's file, and `join` writes the finished file from the parts'
    files, in order.
    """

    extension: str
    content_type: str
    run: Callable[[Job, IO[bytes], Progress], None] | None = None
    plan: Callable[[Job, Progress], list[dict]] | None = None
    run_part: Callable[[Job, JobPart, IO[bytes], Progress], None] | None = None
    join: Callable[[Job, list[IO[bytes]], IO[bytes], Progress], None] | None = None
    # The message for an error that is not a JobError, in the interface's language.
    failure_message: Callable[[Exception], str] | None = None


HANDLERS: dict[str, JobHandler] = {}


def register(kind: JobKind, handler: JobHandler) -> None:
    """Called by the app that owns the kind, from its AppConfig.ready(), so that web processes and workers agree."""
    if (handler.run is None) == (handler.plan is None):
        raise ValueError("a job handler has either run, or plan with run_part and join")
    HANDLERS[kind] = handler


def handler_for(kind: str) -> JobHandler:
    try:
        return HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler registered for jobs of kind {kind!r}") from None


def job_start(
    *,
    kind: JobKind,
    user,
    program=None,
    params: dict | None = None,
    filename: str = "",
    content_type: str = "",
) -> Job:
    """Record the job and queue its first step once the request's transaction commits.

    `content_type` replaces the handler's for a kind whose files differ by job, such as a list in one of three formats.
    """
    handler = handler_for(kind)
    job = Job.objects.create(
        kind=kind,
        program=program,
        params=params or {},
        requested_by=user,
        filename=filename,
        content_type=content_type or handler.content_type,
    )
    enqueue_on_commit(run_job, job.pk)
    return job


# --- steps ---------------------------------------------------------------------------------------------------------


@task()
def run_job(job_id: int) -> None:
    """The first step: the whole job, or its plan and the fan-out of its parts."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        started_at=Coalesce("started_at", now),
        done=0,
        error="",
    )
    if not claimed:
        logger.info("job %s is not queued; nothing to do", job_id)
        return
    job = Job.objects.select_related("program").get(pk=job_id)
    handler = handler_for(job.kind)
    progress = Progress(job.pk)
    try:
        if handler.run is not None:
            name = _write(job, handler, lambda target: handler.run(job, target, progress))
            _finish(job, name)
            return
        _discard_parts(job)
        plans = handler.plan(job, progress)
        if not plans:
            raise JobError(_("There is nothing to do."))
        parts = JobPart.objects.bulk_create(
            JobPart(job=job, index=index, params=params) for index, params in enumerate(plans)
        )
    except Exception as error:
        _fail(job_id, handler, error)
        return
    for part in parts:
        run_part.enqueue(part.pk)


@task()
def run_part(part_id: int) -> None:
    now = timezone.now()
    claimed = JobPart.objects.filter(pk=part_id, status=JobStatus.QUEUED, job__status=JobStatus.RUNNING).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now
    )
    if not claimed:
        return
    part = JobPart.objects.select_related("job__program").get(pk=part_id)
    job = part.job
    handler = handler_for(job.kind)
    progress = Progress(job.pk, part.pk)
    try:
        name = _write(job, handler, lambda target: handler.run_part(job, part, target, progress), folder="jobs/parts")
    except Exception as error:
        JobPart.objects.filter(pk=part_id).update(status=JobStatus.FAILED)
        _fail(job.pk, handler, error)
        return
    JobPart.objects.filter(pk=part_id, status=JobStatus.RUNNING).update(status=JobStatus.DONE, file=name)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    _join_when_complete(job.pk)


def _join_when_complete(job_id: int) -> None:
    """The step that completes the last part queues the join; the conditional update makes it one join only."""
    if JobPart.objects.filter(job_id=job_id).exclude(status=JobStatus.DONE).exists():
        return
    if Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, join_started_at__isnull=True).update(
        join_started_at=timezone.now(), heartbeat_at=timezone.now()
    ):
        join_job.enqueue(job_id)


@task()
def join_job(job_id: int) -> None:
    job = Job.objects.select_related("program").filter(pk=job_id, status=JobStatus.RUNNING).first()
    if job is None:
        return
    handler = handler_for(job.kind)
    progress = Progress(job.pk)
    parts = list(job.parts.order_by("index"))
    try:
        if any(part.status != JobStatus.DONE for part in parts):
            raise RuntimeError("a part of the job is not done")
        files = [part.file.open("rb") for part in parts]
        try:
            name = _write(job, handler, lambda target: handler.join(job, files, target, progress))
        finally:
            for file in files:
                file.close()
    except Exception as error:
        _fail(job_id, handler, error)
        return
    _finish(job, name)


# --- outcome -------------------------------------------------------------------------------------------------------


def _write(job: Job, handler: JobHandler, write: Callable[[IO[bytes]], None], folder: str = "jobs") -> str:
    """Write into a temporary file, then store it under a random name: the file is private, and served only
    through a view that checks permission."""
    storage = Job._meta.get_field("file").storage
    # The extension of the name the download gives, for a kind whose files differ by job; the handler's otherwise.
    suffix = job.filename.rpartition(".")[2] if "." in job.filename else ""
    extension = suffix if suffix.isascii() and suffix.isalnum() else handler.extension
    with tempfile.TemporaryFile() as target:
        write(target)
        target.seek(0)
        return storage.save(f"{folder}/{secrets.token_urlsafe(16)}.{extension}", File(target))


def _finish(job: Job, name: str) -> None:
    finished = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE, file=name, done=F("total"), finished_at=timezone.now(), heartbeat_at=timezone.now()
    )
    if not finished:  # failed or finished by another run meanwhile: keep theirs, drop ours
        Job._meta.get_field("file").storage.delete(name)
    _discard_parts(job)


def _fail(job_id: int, handler: JobHandler, error: Exception) -> None:
    if not isinstance(error, JobError):
        logger.error("job %s failed", job_id, exc_info=error)
    fail_job(job_id, failure_message(handler, error))


def fail_job(job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now()
    )
    job = Job.objects.filter(pk=job_id).first()
    if job is not None:
        _discard_parts(job)


def failure_message(handler: JobHandler, error: Exception) -> str:
    """What the person who started the job reads, in the interface's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(error, JobError):
            return str(error)
        if handler.failure_message is not None:
            message = handler.failure_message(error)
            if message:
                return str(message)
        return _("The job failed: %(error)s. Try again; if it fails again, tell the administrator.") % {"error": error}


def _discard_parts(job: Job) -> None:
    storage = JobPart._meta.get_field("file").storage
    for name in job.parts.exclude(file="").values_list("file", flat=True):
        storage.delete(name)
    job.parts.all().delete()


# --- recovery ------------------------------------------------------------------------------------------------------


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def recover_stale_jobs(now: datetime.datetime | None = None) -> int:
    """Re-enqueue every step whose worker stopped beating (killed, or its machine gone); fail a job that has been
    tried JOB_MAX_ATTEMPTS times. Returns the number of steps re-enqueued or failed."""
    now = now or timezone.now()
    stale = Q(heartbeat_at__lt=now - lease()) | Q(heartbeat_at__isnull=True)
    handled = 0
    for part in JobPart.objects.filter(stale, status=JobStatus.RUNNING, job__status=JobStatus.RUNNING):
        handled += _retry(part.job_id, part.attempts, lambda part=part: _requeue_part(part.pk))
    for job in Job.objects.filter(stale, status=JobStatus.RUNNING):
        parts = list(job.parts.values_list("pk", "status"))
        if not parts:
            handled += _retry(job.pk, job.attempts, lambda job=job: _requeue_job(job.pk))
        elif all(status == JobStatus.DONE for _pk, status in parts):
            handled += _retry(job.pk, job.attempts, lambda job=job: _requeue_join(job.pk))
        else:
            # Queued parts whose task was lost with a dead worker: queueing them again is harmless, a part runs once.
            for pk, status in parts:
                if status == JobStatus.QUEUED:
                    run_part.enqueue(pk)
                    handled += 1
            Job.objects.filter(pk=job.pk).update(heartbeat_at=now)
    return handled


def _retry(job_id: int, attempts: int, requeue: Callable[[], None]) -> int:
    if attempts >= settings.JOB_MAX_ATTEMPTS:
        with translation.override(settings.LANGUAGE_CODE):
            message = _(
                "The background worker stopped while working on this job, %(n)d times. Try again later; if it "
                "happens again, tell the administrator."
            ) % {"n": attempts}
        fail_job(job_id, message)
        return 1
    with transaction.atomic():
        requeue()
    return 1


def _requeue_job(job_id: int) -> None:
    if Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(status=JobStatus.QUEUED):
        enqueue_on_commit(run_job, job_id)


def _requeue_part(part_id: int) -> None:
    if JobPart.objects.filter(pk=part_id, status=JobStatus.RUNNING).update(status=JobStatus.QUEUED):
        enqueue_on_commit(run_part, part_id)


def _requeue_join(job_id: int) -> None:
    Job.objects.filter(pk=job_id).update(
        attempts=F("attempts") + 1, join_started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    enqueue_on_commit(join_job, job_id)
