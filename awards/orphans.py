"""Uploaded files that no row refers to: left behind when a process died between writing a file and committing.

An upload is written to storage before its row is committed (the storage is not transactional), so a web process
killed in between, or a transaction rolled back after the write, leaves a file nobody can reach. They are removed
once they are old enough that no request still writing them can be in flight.
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# The folders of the default storage that uploads are written to before their row commits.
UPLOAD_FOLDERS = ("attachments", "licences", "visits")
# Far longer than any request may take to upload and commit.
GRACE = datetime.timedelta(hours=1)
SWEEP_EVERY_SECONDS = 3600
BATCH = 500


def _files_under(folder: str):
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _files_under(f"{folder}/{directory}")


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Every file field of every model: a file any of them refers to is kept, whichever folder a new model's
    upload_to chooses (a list kept by hand once missed the hearing minutes and would have swept them away)."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def _referenced(names: list[str], owners) -> set[str]:
    found: set[str] = set()
    for model, field in owners:
        found.update(model.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    return found


def orphan_uploads_remove(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploaded files older than GRACE that no row refers to; return how many were deleted."""
    cutoff = (now or timezone.now()) - GRACE
    removed = 0
    owners = file_fields()
    for folder in UPLOAD_FOLDERS:
        if not default_storage.exists(folder):
            continue
        old = [name for name in _files_under(folder) if default_storage.get_modified_time(name) < cutoff]
        for start in range(0, len(old), BATCH):
            batch = old[start : start + BATCH]
            for name in set(batch) - _referenced(batch, owners):
                default_storage.delete(name)
                logger.warning("removed the orphaned upload %s", name)
                removed += 1
    return removed


def orphan_uploads_sweep() -> int | None:
    """The periodic work: at most once an hour across all workers, as it walks the whole upload folders."""
    if not cache.add("orphan-uploads-swept", True, SWEEP_EVERY_SECONDS):
        return None
    return orphan_uploads_remove()
