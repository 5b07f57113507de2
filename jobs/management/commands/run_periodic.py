from django.core.management.base import BaseCommand

from jobs.periodic import run_periodic_work


class Command(BaseCommand):
    help = (
        "Run the periodic work once now: fire due workflow timers, send due review reminders, recover stale jobs. "
        "The worker does this every PERIODIC_TASK_SECONDS; this command is for cron or for trying it by hand."
    )

    def handle(self, *args, **options):
        for name, outcome in run_periodic_work().items():
            self.stdout.write(f"{name}: {outcome}")
