"""Organizer screens for background jobs: the recent jobs, one job's progress, and its file once it is done."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from jobs.http import content_disposition
from jobs.models import Job, JobStatus

RECENT_JOBS = 50
# While a job runs, its page reloads itself this often (a <meta> refresh: the CSP allows no inline script).
REFRESH_SECONDS = 3

DOWNLOAD_LABELS = {
    "pdf": _("Download the PDF"),
    "xlsx": _("Download the Excel file"),
    "csv": _("Download the CSV file"),
}

organizer_required = requires(ORGANIZE_PROGRAMS)


def download_label(job: Job) -> str:
    return DOWNLOAD_LABELS.get(job.filename.rpartition(".")[2].lower(), _("Download the file"))


@require_GET
@organizer_required
def job_list(request):
    jobs = Job.objects.select_related("program", "requested_by")[:RECENT_JOBS]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@require_GET
@organizer_required
def job_detail(request, pk: int):
    job = get_object_or_404(Job.objects.select_related("program", "requested_by"), pk=pk)
    return render(
        request,
        "jobs/job.html",
        {
            "job": job,
            "refresh": None if job.is_finished else REFRESH_SECONDS,
            "download_label": download_label(job),
        },
    )


@require_GET
@organizer_required
def job_download(request, pk: int):
    job = get_object_or_404(Job, pk=pk)
    # Only a finished job has a whole file: a job still running or failed offers none.
    if job.status != JobStatus.DONE or not job.file:
        raise Http404(_("This job has no file to download."))
    response = FileResponse(job.file.open("rb"), content_type=job.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(job.filename, job.params.get("ascii_filename"))
    response["Cache-Control"] = "private, no-store"  # names and codes of a list not yet published, perhaps
    return response
