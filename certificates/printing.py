"""Print jobs: a batch of certificates or plaques rendered into one PDF on the task queue.

The batch fans out: the titles are split into chunks of CHUNK_SIZE pages, each rendered by whichever worker takes
it (a WeasyPrint document per chunk keeps a worker's memory bounded), and the last step joins the chunks in order.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from awards.models import Program
from certificates.kinds import PrintKind
from certificates.models import Certificate
from certificates.pdf import CHUNK_SIZE, HARFBUZZ_MISSING, KINDS, certificate_html, join_pdfs, titles_for_print
from certificates.pdf_base import PDFUnavailable, html_to_pdf, require_harfbuzz_subset
from jobs.engine import JobError, JobHandler, Progress, job_start
from jobs.models import Job, JobKind, JobPart

JOB_KINDS = {PrintKind.CERTIFICATE: JobKind.CERTIFICATES, PrintKind.PLAQUE: JobKind.PLAQUES}
PRINT_KINDS = {job_kind: kind for kind, job_kind in JOB_KINDS.items()}


def print_job_start(*, program: Program, kind: PrintKind, user, chunk_size: int = CHUNK_SIZE) -> Job:
    """Queue the printing of every title in force of a programme, as certificates or as plaque artwork."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of print: {kind!r}")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    return job_start(
        kind=JOB_KINDS[kind],
        program=program,
        user=user,
        params={"chunk_size": chunk_size},
        filename=f"{program.slug}-{kind}.pdf",
    )


def plan(job: Job, progress: Progress) -> list[dict]:
    """The chunks of the batch, as lists of title ids in print order; fixed now, so that a title granted while the
    batch runs cannot shift a page from one chunk into another."""
    require_harfbuzz_subset()
    ids = list(titles_for_print(job.program).values_list("pk", flat=True))
    if not ids:
        with translation.override(settings.LANGUAGE_CODE):
            raise JobError(_("There are no granted titles to print in this programme."))
    progress.total(len(ids))
    size = job.params.get("chunk_size", CHUNK_SIZE)
    return [{"ids": ids[start : start + size]} for start in range(0, len(ids), size)]


def render_part(job: Job, part: JobPart, target: IO[bytes], progress: Progress) -> None:
    ids = part.params["ids"]
    by_id = {c.pk: c for c in Certificate.objects.filter(pk__in=ids).select_related("program", "enterprise__district")}
    titles = [by_id[pk] for pk in ids if pk in by_id]
    html_to_pdf(certificate_html(titles, kind=PRINT_KINDS[job.kind]), target=target)
    progress(len(titles))


def join(job: Job, parts: list[IO[bytes]], target: IO[bytes], progress: Progress) -> None:
    join_pdfs(parts, target, after_each=lambda: progress())


def failure_message(error: Exception) -> str:
    if isinstance(error, PDFUnavailable):
        return str(HARFBUZZ_MISSING)
    return _("Printing failed: %(error)s. Try again; if it fails again, tell the administrator.") % {"error": error}


HANDLER = JobHandler(
    extension="pdf",
    content_type="application/pdf",
    plan=plan,
    run_part=render_part,
    join=join,
    failure_message=failure_message,
)
