"""Where an application stands, as the applicant's step indicator shows it."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awards.models import Application, ApplicationStatus

STEPS: tuple[Promise, ...] = (
    _("Fill in"),
    _("Submit"),
    _("Formal check"),
    _("Review"),
    _("Public notice"),
    _("Award"),
)

# The step an application has reached, and what is expected of the applicant there.
_CURRENT_STEP = {
    ApplicationStatus.DRAFT: (0, _("Complete the form, upload the business licence and submit before the deadline.")),
    ApplicationStatus.SUBMITTED: (2, _("Nothing for now: the organizer is checking the application for completeness.")),
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Progress:
    steps: list[Step]
    expected: str
    deadline: datetime.datetime | None
    days_left: int | None


def days_until(moment: datetime.datetime, now: datetime.datetime | None = None) -> int:
    """Whole days left, counting part of a day as a day: 0 once the moment has passed."""
    seconds = (moment - (now or timezone.now())).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def application_progress(application: Application, now: datetime.datetime | None = None) -> Progress:
    index, expected = _CURRENT_STEP[ApplicationStatus(application.status)]
    steps = [
        Step(str(label), "done" if position < index else "current" if position == index else "todo")
        for position, label in enumerate(STEPS)
    ]
    deadline = application.program.closes_at if application.is_editable else None
    return Progress(
        steps=steps,
        expected=str(expected),
        deadline=deadline,
        days_left=days_until(deadline, now) if deadline else None,
    )
