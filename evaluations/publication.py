"""Publication of a sector evaluation: the A list (honours) and the D list (exposure) go on notice together, and
each entry is concluded when its notice closes, without a review process per enterprise.

A province-wide evaluation has tens of thousands of enterprises: it is graded as a whole (evaluations.grading)
and published as a whole. Objections are filed and verified as for any notice (awards.services.notices); an entry
with an objection still pending waits for its verification, one with an upheld objection is removed, and the others
are granted their title (A) or published on the exposure list (D). A title needs a verified enterprise: an A entry
of an enterprise whose licence has not been checked waits, and is granted at the first run after the check.
"""

from __future__ import annotations

import datetime
import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Application,
    ApplicationStatus,
    Notice,
    NoticeKind,
    Objection,
    ObjectionOutcome,
    Program,
    ProgramMode,
)
from awards.services import ApplicationError
from awards.services.notices import _candidates_for, _notice_publish, application_expose, candidate_remove
from awards.services.statements import exposure_hearing_check
from awards.transactions import service_atomic
from certificates.services import certificate_grant
from evaluations.models import EvaluationPlan
from evaluations.repair import exposure_entry_open

logger = logging.getLogger(__name__)


def graded_as_a_whole(program: Program) -> bool:
    """An evaluation programme with a plan: graded, published and concluded as a whole, not one process each."""
    return program.mode == ProgramMode.EVALUATION and EvaluationPlan.objects.filter(program=program).exists()


@service_atomic
def evaluation_lists_publish(*, program: Program, user) -> list[Notice]:
    """Put the A list and the D list of a graded evaluation on public notice together (either may be empty)."""
    if not graded_as_a_whole(program):
        raise ApplicationError(_("Only an evaluation programme with an evaluation plan publishes its lists at once."))
    exposure_hearing_check(program)  # the D list waits until every D entry has been heard (陈述申辩)
    notices = [
        _notice_publish(program=program, user=user, kind=kind)
        for kind in (NoticeKind.HONOURS, NoticeKind.EXPOSURE)
        if _candidates_for(program, kind).exists()
    ]
    if not notices:
        raise ApplicationError(_("No enterprise graded A or D is waiting for publication: run the grading first."))
    return notices


def _pending_objection():
    return Exists(Objection.objects.filter(application=OuterRef("pk"), outcome=ObjectionOutcome.PENDING))


def _upheld_objection():
    return Exists(Objection.objects.filter(application=OuterRef("pk"), outcome=ObjectionOutcome.UPHELD))


def entries_due(now: datetime.datetime | None = None):
    """The entries of closed evaluation notices that can be concluded: no objection is waiting for verification."""
    return (
        Application.objects.filter(
            status=ApplicationStatus.ON_NOTICE,
            notice__closes_at__lte=now or timezone.now(),
            program__mode=ProgramMode.EVALUATION,
            program__evaluation_plan__isnull=False,
        )
        .annotate(pending=_pending_objection(), upheld=_upheld_objection())
        .filter(pending=False)
        # Not granted before its licence is checked; left out here, so that the periodic work does not read it
        # again every minute, and listed for the organizer by entries_awaiting_verification.
        .exclude(notice__kind=NoticeKind.HONOURS, upheld=False, enterprise__verified_at__isnull=True)
        .select_related("notice", "enterprise")
        .order_by("pk")
    )


def entries_awaiting_verification(program: Program):
    """A entries whose notice has closed but whose enterprise's business licence is not checked yet."""
    return Application.objects.filter(
        program=program,
        status=ApplicationStatus.ON_NOTICE,
        notice__kind=NoticeKind.HONOURS,
        notice__closes_at__lte=timezone.now(),
        enterprise__verified_at__isnull=True,
    ).select_related("enterprise")


def entry_conclude(application: Application) -> str:
    """Conclude one entry of entries_due() after its notice: removed, granted or exposed."""
    if application.upheld:
        candidate_remove(application=application)
        return "removed"
    if application.notice.kind == NoticeKind.EXPOSURE:
        exposure_entry_open(application=application_expose(application=application))
        return "exposed"
    certificate_grant(application=application)
    return "granted"


def evaluation_notices_conclude(now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic work: conclude every entry whose evaluation notice has closed; one failure stops no other."""
    outcome = {"removed": 0, "exposed": 0, "granted": 0, "failed": 0}
    for application in entries_due(now).iterator(chunk_size=500):
        try:
            outcome[entry_conclude(application)] += 1
        except ApplicationError:
            logger.exception("could not conclude evaluation entry %s", application.pk)
            outcome["failed"] += 1
    return outcome
