"""The one public entry of each action that moves a review or revocation process: the domain work, then the flow.

Views, the admin, commands, the demo and the tests call these; the domain halves they call (underscored, in
`awards.services` and `certificates.services`) are theirs alone, so no caller can leave an application without
its task.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards import services
from awards.enrolment import EnrolmentRow
from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    District,
    Enterprise,
    Industry,
    Notice,
    NoticeChange,
    Program,
    ProgramMode,
    Review,
)
from awards.services import ApplicationError
from awards.services.applications import _application_submit
from awards.services.notices import _notice_period_change, _notice_publish
from awards.services.reviews import _review_replace
from awards.transactions import unit_of_work
from certificates import visits
from certificates.services import CASE_RESPONSE_DAYS, _case_open
from evaluations.publication import graded_as_a_whole
from workflows.flows import ReviewFlow
from workflows.models import ApplicationProcess
from workflows.revocation import RevocationFlow
from workflows.tasks import OPEN_TASK_STATUSES


def open_task(application: Application, node) -> Task | None:
    return (
        Task.objects.filter(
            process__applicationprocess__application=application, flow_task=node, status__in=OPEN_TASK_STATUSES
        )
        .order_by("pk")
        .first()
    )


def process_start(*, application: Application) -> ApplicationProcess:
    return ReviewFlow.start.run(application=application)


def application_submit(*, application: Application, user) -> Application:
    """Submit (or resubmit after correction) and move the review process on; a refusal stays in the history."""
    with services.submit_refusal_recorded(application=application, user=user):
        return _submit_and_advance(application, user)


@unit_of_work()
def _submit_and_advance(application: Application, user) -> Application:
    was_returned = application.status == ApplicationStatus.RETURNED
    application = _application_submit(application=application, user=user)
    if was_returned:
        task = open_task(application, ReviewFlow.correction)
        if task is None:  # a process is always waiting here for a returned application
            raise ApplicationError(_("The review process of this application cannot be found; contact the organizer."))
        ReviewFlow.correction.run(task)
    else:
        process_start(application=application)
    return application


@unit_of_work()
def review_replace(*, review: Review, user, new_reviewer_id: int) -> Review:
    """Put another reviewer in the declined one's place by reassigning the same task: the join never waits in vain."""
    task = Task.objects.filter(
        process__applicationprocess__application=review.application_id,
        flow_task=ReviewFlow.review,
        status=STATUS.ASSIGNED,
        data__review_id=review.pk,
    ).first()
    if task is None:
        raise ApplicationError(_("The declined review has no open task to hand over."))
    replacement = _review_replace(review=review, user=user, new_reviewer_id=new_reviewer_id)
    with task.activation() as activation:
        activation.task.data = {
            **activation.task.data,
            "review_id": replacement.pk,
            "reviewer_id": replacement.reviewer_id,
        }
        activation.reassign(user=replacement.reviewer)
    return replacement


@unit_of_work()
def notice_publish(*, program: Program, user, kind: str) -> Notice:
    """Publish the approved list and start every candidate's notice period."""
    if graded_as_a_whole(program):
        # Its entries have no review process: they are concluded together when the notice closes.
        raise ApplicationError(
            _("This evaluation is published as a whole, both lists at once, from its publication page.")
        )
    notice = _notice_publish(program=program, user=user, kind=kind)
    for application in notice.applications.all():
        task = open_task(application, ReviewFlow.await_notice)
        if task is None:
            raise ApplicationError(
                _("%(name)s is not waiting for publication in the review process.") % {"name": application.enterprise}
            )
        ReviewFlow.await_notice.run(task)
    return notice


@unit_of_work()
def notice_period_change(*, notice: Notice, user, closes_at: datetime.datetime, reason: str) -> NoticeChange:
    """Change when a notice closes and move every candidate's notice timer with it, so that they end together.

    The timer keeps its due moment in `Task.scheduled`, set once when the notice period began; the dispatcher
    (`fire_due_timers`) reads nothing else, so that is what moves.
    """
    change = _notice_period_change(notice=notice, user=user, closes_at=closes_at, reason=reason)
    for application in change.notice.applications.filter(status=ApplicationStatus.ON_NOTICE):
        _notice_timer_move(application, change.closes_at)
    return change


def _notice_timer_move(application: Application, due: datetime.datetime) -> None:
    task = Task.objects.filter(
        process__applicationprocess__application=application,
        flow_task=ReviewFlow.notice_period,
        status=STATUS.SCHEDULED,
    ).first()
    if task is None:
        raise services.NoticePeriodError(
            _("%(name)s has no running notice period in the review process.") % {"name": application.enterprise}
        )
    with task.activation() as activation:
        # Re-read under the flow lock: a timer that fired meanwhile must not be rescheduled.
        if activation.task.status != STATUS.SCHEDULED:
            raise services.NoticePeriodError(
                _("The notice period of %(name)s has already ended.") % {"name": application.enterprise}
            )
        activation.task.scheduled = due
        activation.task.save(update_fields=["scheduled"])


@unit_of_work()
def enrolment_import(*, program: Program, user, rows: list[EnrolmentRow]) -> list[Application]:
    """Enrol a whole sector at once: every row or none.

    A programme with an evaluation plan (evaluations.models.EvaluationPlan) is graded as a whole by its grading
    run: its enterprises are enrolled in bulk, a few statements per thousand rows, without a review process each.
    Without a plan, each enterprise enters the review flow at reviewer assignment, as before.
    """
    if program.mode != ProgramMode.EVALUATION:
        raise ApplicationError(_("Only an evaluation programme enrols enterprises."))
    if _has_evaluation_plan(program):
        return _enrol_in_bulk(program=program, user=user, rows=rows)
    districts = {d.code: d for d in District.objects.all()}
    industries = {i.code: i for i in Industry.objects.all()}
    enrolled = []
    for row in rows:
        enterprise, _created = Enterprise.objects.get_or_create(
            uscc=row.uscc,
            defaults={
                "name": row.name,
                "district": districts[row.district_code],
                "industry": industries[row.industry_code],
                "contact_name": row.contact_name,
                "contact_phone": row.contact_phone,
            },
        )
        if Application.objects.filter(program=program, enterprise=enterprise).exists():
            raise ApplicationError(
                _("Row %(row)d: %(name)s is already enrolled in this programme.")
                % {"row": row.row_number, "name": row.name}
            )
        application = Application.objects.create(
            program=program, enterprise=enterprise, status=ApplicationStatus.IN_REVIEW, enrolled=True, created_by=user
        )
        services.record_event(application, ApplicationEvent.Action.ENROLLED, user)
        process_start(application=application)
        enrolled.append(application)
    return enrolled


ENROL_BATCH = 2000  # rows per statement: well under SQLite's limit of variables per statement


def _has_evaluation_plan(program: Program) -> bool:
    from evaluations.models import EvaluationPlan  # evaluations depends on awards, not on workflows

    return EvaluationPlan.objects.filter(program=program).exists()


def _enrol_in_bulk(*, program: Program, user, rows: list[EnrolmentRow]) -> list[Application]:
    """Enterprises, applications and their "enrolled" events in bulk; an enterprise already registered is reused."""
    districts = dict(District.objects.values_list("code", "pk"))
    industries = dict(Industry.objects.values_list("code", "pk"))
    enrolled: list[Application] = []
    for start in range(0, len(rows), ENROL_BATCH):
        batch = rows[start : start + ENROL_BATCH]
        existing = dict(Enterprise.objects.filter(uscc__in=[row.uscc for row in batch]).values_list("uscc", "pk"))
        if existing:
            taken = dict(
                Application.objects.filter(program=program, enterprise_id__in=existing.values()).values_list(
                    "enterprise_id", "pk"
                )
            )
            for row in batch:
                if existing.get(row.uscc) in taken:
                    raise ApplicationError(
                        _("Row %(row)d: %(name)s is already enrolled in this programme.")
                        % {"row": row.row_number, "name": row.name}
                    )
        now = timezone.now()
        new = [
            # Code and name come from the organizer's own register of the sector, not from an account's word: the
            # organizer who enrols them vouches for them, as accepting a formal check does. Enterprises already
            # registered keep their own state.
            Enterprise(
                uscc=row.uscc,
                name=row.name,
                district_id=districts[row.district_code],
                industry_id=industries[row.industry_code],
                contact_name=row.contact_name,
                contact_phone=row.contact_phone,
                verified_at=now,
                verified_by=user,
            )
            for row in batch
            if row.uscc not in existing
        ]
        Enterprise.objects.bulk_create(new)
        if any(enterprise.pk is None for enterprise in new):  # a backend that returns no keys (not ours)
            existing = dict(Enterprise.objects.filter(uscc__in=[row.uscc for row in batch]).values_list("uscc", "pk"))
        else:
            existing.update({enterprise.uscc: enterprise.pk for enterprise in new})
        applications = Application.objects.bulk_create(
            [
                Application(
                    program=program,
                    enterprise_id=existing[row.uscc],
                    status=ApplicationStatus.IN_REVIEW,
                    enrolled=True,
                    created_by=user,
                )
                for row in batch
            ]
        )
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(application=application, action=ApplicationEvent.Action.ENROLLED, actor=user)
                for application in applications
            ]
        )
        enrolled += applications
    return enrolled


@unit_of_work()
def case_open(*, certificate, user, grounds: str, records=(), response_days: int = CASE_RESPONSE_DAYS):
    """Open a revocation case (the title is suspended at once) and start its process."""
    case = _case_open(
        certificate=certificate, user=user, grounds=grounds, records=records, response_days=response_days
    )
    RevocationFlow.start.run(case=case)
    return case


@unit_of_work()
def visit_case_open(*, visit, user, grounds: str | None = None, **case_options):
    """Open a revocation case from a failed follow-up visit: its grounds start from the visit's findings, the case
    links the visit, and the title is suspended at once, as `case_open` does. A passed visit cannot open a case."""
    visit = visits._visit_for_case(visit)
    grounds = visits.visit_case_grounds(visit) if grounds is None else grounds
    case = case_open(certificate=visit.certificate, user=user, grounds=grounds, **case_options)
    visits._visit_case_link(visit, case)
    return case
