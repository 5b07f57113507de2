from django.core.management.base import BaseCommand

from workflows.middleware import sweep


class Command(BaseCommand):
    help = "Fire due workflow timers (such as the end of a public notice) and send due review reminders. Run from cron."

    def handle(self, *args, **options):
        timers, reminders = sweep()
        self.stdout.write(f"{timers} timer(s) fired, {reminders} review reminder(s) sent")
