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
    ApplicationStatus.RETURNED: (0, _("Correct the application as the organizer asks, then submit it again.")),
    ApplicationStatus.SUBMITTED: (2, _("Nothing for now: the organizer is checking the application for completeness.")),
    ApplicationStatus.REJECTED: (2, _("The application was found ineligible; the reason is in the history below.")),
    ApplicationStatus.IN_REVIEW: (3, _("Nothing for now: experts are reviewing the application.")),
    ApplicationStatus.GRADED: (
        3,
        _("The review is complete; the result is shown below. It is not recommended for the title."),
    ),
    ApplicationStatus.INSPECTION: (3, _("Be ready for the on-site inspection; the inspectors will contact you.")),
    ApplicationStatus.FAILED_INSPECTION: (
        3,
        _("The on-site inspection was not passed; the findings are in the history below."),
    ),
    ApplicationStatus.COMMITTEE: (3, _("Nothing for now: the award committee is deciding the recommended list.")),
    ApplicationStatus.NOT_APPROVED: (
        3,
        _("The committee did not approve the application; the reason is in the history below."),
    ),
    ApplicationStatus.APPROVED: (4, _("Approved by the committee; the list will be published for public notice.")),
    ApplicationStatus.ON_NOTICE: (
        4,
        _("The list is on public notice; the title is granted when the notice period ends."),
    ),
    ApplicationStatus.REMOVED: (4, _("An objection was upheld and the enterprise was removed from the list.")),
    ApplicationStatus.EXPOSED: (4, _("The result was published after the notice period.")),
    ApplicationStatus.GRANTED: (5, _("The title is granted. Congratulations!")),
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
