"""A job: background work that staff start and wait for (a print batch, a list export), with its progress and file.

The task queue (django-tasks) runs the work; the job is what a person sees and what survives a worker that dies:
its heartbeat tells the periodic recovery that nobody is working on it any more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobKind(models.TextChoices):
    CERTIFICATES = "certificates", _("Certificates")
    PLAQUES = "plaques", _("Plaque artwork")
    LIST = "list", _("Published list")
    IMPORT = "import", _("Import of a workbook")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", pgettext_lazy("job status", "Failed")  # "Failed" alone is an inspection's 未通过


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    program = models.ForeignKey(
        "awards.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("programme"),
    )
    # What the kind needs to know beyond the programme, e.g. which list in which format.
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # Set only when the job is done: a half-written file is never offered.
    file = models.FileField(upload_to="jobs/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Set by the step that queues the join of a job's parts, so that exactly one join runs.
    join_started_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    requested_at = models.DateTimeField(_("started"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class JobPart(models.Model):
    """One chunk of a job that fans out: any worker may render it; the job joins the parts in order."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    file = models.FileField(upload_to="jobs/parts/", blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="one_part_per_index")]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.index} {self.status}"
