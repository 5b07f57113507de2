"""Write the database and the private files into one archive: `manage.py backup --out FILE`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write the whole database and every file of the private storage into one gzipped tar archive, "
        "readable by its owner only: it holds personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="The archive to write, e.g. award315.tar.gz.")

    def handle(self, *args, out: Path, **options):
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.")
        try:
            summary = backup_write(out=out)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {summary.rows} rows of {summary.models} models and {summary.files} files "
            f"({summary.file_bytes / 1e6:.1f} MB) to {out} ({out.stat().st_size / 1e6:.1f} MB) "
            f"in {summary.seconds:.1f} s."
        )
