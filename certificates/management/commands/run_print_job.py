"""Render one print job; started in its own process by certificates.printing.print_job_start."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.models import PrintJob, PrintJobStatus
from certificates.printing import print_job_run


class Command(BaseCommand):
    help = gettext_lazy("Render a queued print job into its PDF.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("job_id", type=int)

    def handle(self, *, job_id: int, **options) -> None:
        if not PrintJob.objects.filter(pk=job_id).exists():
            raise CommandError(_("There is no print job number %(number)d.") % {"number": job_id})
        print_job_run(job_id)
        job = PrintJob.objects.get(pk=job_id)
        # A non-zero exit status tells a supervisor (or a person at the terminal) that the job did not finish.
        if job.status == PrintJobStatus.FAILED:
            raise CommandError(job.error)
        self.stdout.write(
            _("Print job %(number)d: %(status)s") % {"number": job_id, "status": job.get_status_display()}
        )
