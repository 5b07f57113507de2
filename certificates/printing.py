"""Print jobs: a batch of certificates or plaques rendered into one PDF in a background process."""

from __future__ import annotations

import logging
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import Program
from certificates.models import PrintJob, PrintJobStatus
from certificates.pdf import CHUNK_SIZE, HARFBUZZ_MISSING, KINDS, render_titles_pdf, titles_for_print
from certificates.pdf_base import PDFUnavailable, require_harfbuzz_subset

logger = logging.getLogger(__name__)


class NothingToPrint(Exception):
    pass


def print_job_start(*, program: Program, kind: str, user) -> PrintJob:
    """Queue a print job and start it in its own process once the request's transaction commits.

    A separate process gives WeasyPrint's memory back to the system when the batch ends, and the commit
    comes first so that the new process finds the job in the database.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of print: {kind!r}")
    job = PrintJob.objects.create(program=program, kind=kind, requested_by=user)
    transaction.on_commit(lambda: _launch(job.pk))
    return job


def _launch(job_id: int) -> None:
    manage = Path(settings.BASE_DIR) / "manage.py"
    try:
        # A new session: the batch survives a restart of the web server that started it.
        subprocess.Popen(
            [sys.executable, str(manage), "run_print_job", str(job_id)],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
        )
    except OSError as error:  # e.g. out of processes: say so on the job rather than leave it queued for ever
        logger.exception("could not start print job %s", job_id)
        PrintJob.objects.filter(pk=job_id, status=PrintJobStatus.QUEUED).update(
            status=PrintJobStatus.FAILED, error=_failure_message(error), finished_at=timezone.now()
        )


def print_job_run(job_id: int) -> None:
    """Render a queued job into its PDF; a job already taken by another run is left alone."""
    jobs = PrintJob.objects.filter(pk=job_id)
    # Claiming the job with one conditional UPDATE makes a second launch of the same job harmless.
    if not jobs.filter(status=PrintJobStatus.QUEUED).update(status=PrintJobStatus.RUNNING, done=0, error=""):
        logger.warning("print job %s is not queued; not running it", job_id)
        return
    job = jobs.select_related("program").get()
    try:
        name = _render_into_storage(job, progress=lambda n: jobs.update(done=F("done") + n))
    except Exception as error:  # whatever went wrong, the job must not stay "running" for ever
        logger.exception("print job %s failed", job_id)
        jobs.update(status=PrintJobStatus.FAILED, error=_failure_message(error), finished_at=timezone.now())
        return
    jobs.update(status=PrintJobStatus.DONE, file=name, done=F("total"), finished_at=timezone.now())


def _render_into_storage(job: PrintJob, *, progress) -> str:
    require_harfbuzz_subset()
    titles = titles_for_print(job.program)
    total = titles.count()
    if not total:
        raise NothingToPrint
    PrintJob.objects.filter(pk=job.pk).update(total=total)
    storage = PrintJob._meta.get_field("file").storage
    with tempfile.TemporaryFile(suffix=".pdf") as pdf:
        render_titles_pdf(titles.iterator(chunk_size=CHUNK_SIZE), kind=job.kind, target=pdf, progress=progress)
        pdf.seek(0)
        # A random name: the file is private and served only through a view that checks permission.
        return storage.save(f"print/{secrets.token_urlsafe(16)}.pdf", File(pdf))


def _failure_message(error: Exception) -> str:
    """What the organizer reads on the print screen, in the interface's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(error, NothingToPrint):
            return _("There are no granted titles to print in this programme.")
        if isinstance(error, PDFUnavailable):
            return str(HARFBUZZ_MISSING)
        return _("Printing failed: %(error)s. Try again; if it fails again, tell the administrator.") % {"error": error}
