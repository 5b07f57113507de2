"""Restore an archive of `manage.py backup` into a fresh instance: `manage.py restore FILE`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into a fresh instance: a new database after "
        "`manage.py migrate` and an empty storage folder. Every row count and every file's sha256 is checked "
        "before the restore is committed."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that is not empty, and the files of the same name.",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        if not archive.is_file():
            raise CommandError(f"There is no archive at {archive}.")
        try:
            summary = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {summary.rows} rows of {summary.models} models and {summary.files} files "
            f"({summary.file_bytes / 1e6:.1f} MB) from {archive} in {summary.seconds:.1f} s; "
            "every row count and checksum matches the archive."
        )
