"""Give every application already on the exposure list its entry, counted from the day it was exposed."""

from django.db import migrations
from django.utils import timezone

from evaluations import credit_rules


def forwards(apps, schema_editor):
    Application = apps.get_model("awards", "Application")
    ApplicationEvent = apps.get_model("awards", "ApplicationEvent")
    ExposureEntry = apps.get_model("evaluations", "ExposureEntry")
    ExposureEvent = apps.get_model("evaluations", "ExposureEvent")
    exposed = Application.objects.filter(status="exposed", exposure_entry__isnull=True).select_related("result")
    for application in exposed.iterator():
        event = ApplicationEvent.objects.filter(application=application, action="exposed").order_by("at").first()
        start = timezone.localdate(event.at if event else application.updated_at)
        tier = getattr(getattr(application, "result", None), "tier", "D")
        credit_class = credit_rules.default_class(tier)
        months = credit_rules.CLASS_RULES[credit_class].default_months
        entry = ExposureEntry.objects.create(
            application=application,
            credit_class=credit_class,
            display_months=months,
            display_from=start,
            display_until=credit_rules.last_display_day(start, months),
            repair_from=credit_rules.earliest_repair_day(start, credit_class),
        )
        ExposureEvent.objects.create(
            entry=entry,
            action="listed",
            at=event.at if event else application.updated_at,
            note="信用修复规则施行前已公示，按默认类别和公示期限补录",
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_exposure_entries_and_repair")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
