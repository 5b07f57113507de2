"""Print jobs become background jobs (jobs.Job): each print job is copied over, then the print job table goes."""

from django.db import migrations

JOB_KINDS = {"certificate": "certificates", "plaque": "plaques"}


def copy_print_jobs(apps, schema_editor):
    PrintJob = apps.get_model("certificates", "PrintJob")
    Job = apps.get_model("jobs", "Job")
    jobs = [
        Job(
            kind=JOB_KINDS.get(print_job.kind, "certificates"),
            program_id=print_job.program_id,
            status=print_job.status,
            done=print_job.done,
            total=print_job.total,
            file=print_job.file.name,
            filename=f"{print_job.program.slug}-{print_job.kind}.pdf",
            content_type="application/pdf",
            error=print_job.error,
            requested_by_id=print_job.requested_by_id,
            requested_at=print_job.requested_at,
            finished_at=print_job.finished_at,
        )
        for print_job in PrintJob.objects.select_related("program").order_by("pk")
    ]
    Job.objects.bulk_create(jobs, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_title_vouches_for_the_enterprise_as_granted"),
        ("jobs", "0001_jobs"),
    ]

    operations = [
        migrations.RunPython(copy_print_jobs, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="PrintJob"),
    ]
