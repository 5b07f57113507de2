"""Serial numbers: <prefix>-<year>-<5-digit sequence>, without gaps or duplicates."""

from __future__ import annotations

from django.db import transaction

from certificates.models import SerialCounter


def format_serial(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:05d}"


def allocate_serial(*, prefix: str, year: int) -> tuple[str, int]:
    """Take the next sequence number under a row lock, inside the caller's transaction.

    A rolled-back grant rolls the counter back too, so no number is ever skipped.
    """
    # An exception, not an assert, which `python -O` strips: only the caller's transaction holds the row lock
    # until the grant commits and takes the number back if the grant fails.
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("Allocate serials inside the granting transaction.")
    counter = SerialCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is None:  # the first title of its series
        SerialCounter.objects.get_or_create(prefix=prefix, year=year)
        counter = SerialCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_serial(prefix, year, counter.last), counter.last
