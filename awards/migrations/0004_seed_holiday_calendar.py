from django.db import migrations

SEEDED_YEARS = (2026, 2027)


def seed(apps, schema_editor):
    from awards.holiday_data import entries_for

    CalendarDay = apps.get_model("awards", "CalendarDay")
    for year in SEEDED_YEARS:
        for entry in entries_for(year):
            CalendarDay.objects.get_or_create(
                day=entry.day, defaults={"is_working_day": entry.is_working_day, "note": entry.note}
            )


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_review_notice_and_objections")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
