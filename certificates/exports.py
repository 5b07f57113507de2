"""The published lists (名单) of a programme as files: one entry for every caller, and the export job.

`export_list` writes a list in one of its formats; the command line and the benchmark call it directly, and the
organizer's download runs it as a background job (`list_export_start`) whose page shows progress and then offers the
file. What a list holds is in certificates.lists, the writers in certificates.spreadsheets and certificates.list_pdf.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import IO

from django.utils import timezone

from awards.models import Program
from certificates.kinds import ListFormat, ListKind
from certificates.list_pdf import write_pdf
from certificates.lists import ListRow, ascii_filename, list_filename, list_length, list_notes, list_rows
from certificates.pdf import HARFBUZZ_MISSING
from certificates.pdf_base import PDFUnavailable
from certificates.spreadsheets import write_csv, write_xlsx
from credentials.pdf_signing import REASON_LIST, sign_into
from jobs.engine import JobHandler, Progress, job_start
from jobs.models import Job, JobKind

CONTENT_TYPES = {
    ListFormat.PDF: "application/pdf",
    ListFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ListFormat.CSV: "text/csv; charset=utf-8",
}
_WRITERS = {ListFormat.PDF: write_pdf, ListFormat.XLSX: write_xlsx, ListFormat.CSV: write_csv}


def export_list(
    program: Program,
    *,
    fmt: ListFormat,
    target: IO[bytes],
    which: ListKind = ListKind.HONOURS,
    rows: Iterable[ListRow] | None = None,
    progress: Callable[..., object] | None = None,
    today: datetime.date | None = None,
) -> int:
    """Write the published list of a programme into `target` (a binary file object); return the number of rows.

    Titles carry their status on `today` (the day of printing), and the notes under the table say as of that day
    what the list leaves out. `rows` replaces the database query, for previews and tests; `progress(n)` hears of
    rows written, now and then. A PDF is signed by the programme's issuing body when one is configured
    (credentials.pdf_signing).
    """
    fmt, which = ListFormat(fmt), ListKind(which)
    today = today or timezone.localdate()
    rows = list_rows(program, which, today) if rows is None else rows
    notes = list_notes(program, which, today)
    if fmt == ListFormat.PDF:
        # Every list PDF, downloaded or written by the command, is signed here by the programme's issuing body.
        return sign_into(
            lambda unsigned: write_pdf(program, rows, unsigned, which, progress, notes=notes, as_of=today),
            target,
            program=program,
            reason=REASON_LIST,
        )
    return _WRITERS[fmt](program, rows, target, which, progress, notes=notes)


def list_export_start(*, program: Program, fmt: ListFormat, which: ListKind, user) -> Job:
    """Queue the export of a published list; the job's file downloads under the list's Chinese name."""
    fmt, which = ListFormat(fmt), ListKind(which)
    return job_start(
        kind=JobKind.LIST,
        program=program,
        user=user,
        params={
            "format": fmt.value,
            "list": which.value,
            "ascii_filename": ascii_filename(program, fmt, which),
        },
        filename=list_filename(program, fmt, which),
        content_type=CONTENT_TYPES[fmt],
    )


def _run(job: Job, target: IO[bytes], progress: Progress) -> None:
    which = ListKind(job.params["list"])
    progress.total(list_length(job.program, which))
    export_list(job.program, fmt=job.params["format"], target=target, which=which, progress=progress)


def _failure_message(error: Exception) -> str:
    return str(HARFBUZZ_MISSING) if isinstance(error, PDFUnavailable) else ""


# The content type and the file's extension differ by job: list_export_start gives them.
HANDLER = JobHandler(extension="bin", content_type="application/octet-stream", run=_run, failure_message=_failure_message)
