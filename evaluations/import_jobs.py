"""Large workbooks of evidence are imported on the task queue, not inside the web request.

A province's paper questionnaires (hundreds of thousands of rows) or a year's supervision records take a minute or
more to check and insert: longer than a web request may last behind the proxy. A workbook above
IMPORT_IN_REQUEST_MAX_BYTES is therefore stored, imported by a worker as a job (jobs.engine), and the organizer
follows it on the job's page: its report when it is done, or the first rows in error and how many there are, with
nothing imported, when it is not. Smaller workbooks are still checked at once, so that a mistake shows on the form.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import IO

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from evaluations.models import EvaluationPlan
from evaluations.paper_import import paper_import
from evaluations.records import records_import
from jobs.engine import JobError, JobHandler, Progress, job_start
from jobs.models import Job, JobKind

# About 15,000 paper questionnaires or 20,000 records: a few seconds, well inside a request.
IMPORT_IN_REQUEST_MAX_BYTES = 1_000_000
ERRORS_SHOWN = 20

IMPORTERS: dict[str, Callable] = {"paper": paper_import, "records": records_import}


def import_belongs_on_the_queue(upload) -> bool:
    return upload.size > IMPORT_IN_REQUEST_MAX_BYTES


def large_workbook_message() -> str:
    return _("The workbook is large: a worker imports it in the background. Follow it on this page.")


def import_start(*, importer: str, plan: EvaluationPlan, upload, user) -> Job:
    """Keep the workbook in the private storage and queue its import; the job removes the file when it is done."""
    if importer not in IMPORTERS:
        raise ValueError(f"Unknown importer {importer!r}")
    stored = default_storage.save(f"imports/{secrets.token_hex(16)}.xlsx", upload)
    return job_start(
        kind=JobKind.IMPORT,
        program=plan.program,
        user=user,
        params={"importer": importer, "workbook": stored, "original_name": getattr(upload, "name", "")},
        filename=_("import report.txt"),
    )


def _error_summary(report) -> str:
    lines = [
        " ".join(
            part
            for part in (
                _("Row %(row)d") % {"row": error.row_number} if error.row_number else "",
                error.column,
                error.message,
            )
            if part
        )
        for error in report.errors[:ERRORS_SHOWN]
    ]
    more = report.error_count - len(lines)
    if more > 0:
        lines.append(_("… and %(count)d more.") % {"count": more})
    lines.append(_("Nothing was imported: correct the workbook and upload it again."))
    return "\n".join(lines)


def _run(job: Job, target: IO[bytes], progress: Progress) -> None:
    plan = EvaluationPlan.objects.get(program=job.program)
    stored = job.params["workbook"]
    try:
        with default_storage.open(stored, "rb") as workbook:
            report = IMPORTERS[job.params["importer"]](plan=plan, file=workbook, user=job.requested_by)
    finally:
        default_storage.delete(stored)
    if report.error_count:
        raise JobError(_error_summary(report))
    progress.total(report.imported)
    progress(report.imported)
    target.write(
        (
            _("%(name)s: %(rows)d rows checked, %(imported)d imported.")
            % {"name": job.params.get("original_name", ""), "rows": report.rows, "imported": report.imported}
            + "\n"
        ).encode("utf-8")
    )


HANDLER = JobHandler(extension="txt", content_type="text/plain; charset=utf-8", run=_run)
