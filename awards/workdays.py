"""Working days on the official Chinese calendar (工作日), for counting public-notice (公示) periods.

Pure functions, no Django state. A day is a working day if it is Monday to Friday, unless the
overrides say otherwise: ``False`` marks a holiday on a weekday, ``True`` a make-up working day
(调休上班) on a weekend. The overrides normally come from the organizers' calendar table, seeded
from ``awards.holiday_data``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

Overrides = Mapping[datetime.date, bool]

# Far longer than any real run of days off; reaching it means the overrides are wrong.
MAX_DAYS_WITHOUT_WORK = 3660

_ONE_DAY = datetime.timedelta(days=1)


def _require_date(value: datetime.date, name: str) -> None:
    # A datetime is a date subclass but never equal to a date key, so overrides would be silently ignored.
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def is_working_day(day: datetime.date, overrides: Overrides) -> bool:
    """Mon–Fri work, Sat–Sun rest, unless the overrides say otherwise."""
    _require_date(day, "day")
    override = overrides.get(day)
    if override is not None:
        return bool(override)
    return day.weekday() < 5


def add_working_days(start: datetime.date, count: int, overrides: Overrides) -> datetime.date:
    """The count-th working day after start; start itself is never counted.

    A notice published on ``start`` for ``count`` working days ends on the returned day.
    """
    _require_date(start, "start")
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    day = start
    days_without_work = 0
    while count:
        day += _ONE_DAY
        if is_working_day(day, overrides):
            count -= 1
            days_without_work = 0
        else:
            days_without_work += 1
            if days_without_work >= MAX_DAYS_WITHOUT_WORK:
                raise ValueError(
                    f"no working day in the {MAX_DAYS_WITHOUT_WORK} days up to {day}; check the calendar overrides"
                )
    return day


def working_days_between(start: datetime.date, end: datetime.date, overrides: Overrides) -> int:
    """How many working days d satisfy start < d <= end; 0 if end is not after start."""
    _require_date(start, "start")
    _require_date(end, "end")
    total = 0
    day = start + _ONE_DAY
    while day <= end:
        total += is_working_day(day, overrides)
        day += _ONE_DAY
    return total
