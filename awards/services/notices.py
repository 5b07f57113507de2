"""Public notice (公示) of the approved list, and objections against candidates."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.mail import send_after_commit
from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CalendarDay,
    Notice,
    NoticeChange,
    NoticeKind,
    Objection,
    ObjectionOutcome,
    Program,
)
from awards.services.applications import ApplicationError, record_event
from awards.transactions import service_atomic
from awards.uploads import CheckedUpload
from awards.workdays import add_working_days

PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")


def calendar_overrides() -> dict[datetime.date, bool]:
    return dict(CalendarDay.objects.values_list("day", "is_working_day"))


def notice_closing_time(published_at: datetime.datetime, working_days: int) -> datetime.datetime:
    """Objections are accepted until the end (24:00, Beijing time) of the N-th working day after publication."""
    published_on = timezone.localtime(published_at).date()
    last_day = add_working_days(published_on, working_days, calendar_overrides())
    midnight = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight)


class NoticePeriodError(ApplicationError):
    """A refused change of a notice's closing time; `field` names the argument at fault, if one is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def notice_minimum_closing_time(notice: Notice) -> datetime.datetime:
    """The earliest a notice may close: the programme's working-day minimum, counted from publication."""
    return notice_closing_time(notice.published_at, notice.program.notice_working_days)


@service_atomic
def _notice_period_change(
    *,
    notice: Notice,
    user,
    closes_at: datetime.datetime,
    reason: str,
    now: datetime.datetime | None = None,
) -> NoticeChange:
    """Extend an open notice, or correct its closing time (earlier too), with the reason on record.

    The domain half of `workflows.services.notice_period_change`, which also moves the notice timers.
    """
    now = now or timezone.now()
    notice = Notice.objects.select_for_update().select_related("program").get(pk=notice.pk)
    if not notice.is_open(now):
        raise NoticePeriodError(
            _("This notice closed on %(end)s; its period can no longer be changed.") % {"end": _local(notice.closes_at)}
        )
    reason = reason.strip()
    if not reason:
        raise NoticePeriodError(_("Give the reason for the change; it stays on the notice's record."), field="reason")
    earliest = notice_minimum_closing_time(notice)
    if closes_at < earliest:
        raise NoticePeriodError(
            _(
                "The notice must stay open for at least %(days)d working days from its publication: "
                "choose %(earliest)s or later."
            )
            % {"days": notice.program.notice_working_days, "earliest": _local(earliest)},
            field="closes_at",
        )
    if closes_at <= now:
        raise NoticePeriodError(_("Choose a closing time in the future."), field="closes_at")
    if closes_at == notice.closes_at:
        raise NoticePeriodError(
            _("The notice already closes at %(end)s; choose a different time.") % {"end": _local(closes_at)},
            field="closes_at",
        )
    change = NoticeChange.objects.create(
        notice=notice,
        previous_closes_at=notice.closes_at,
        closes_at=closes_at,
        reason=reason,
        changed_by=user,
        changed_at=now,
    )
    notice.closes_at = closes_at
    notice.save(update_fields=["closes_at"])
    note = _("Objections now accepted until %(end)s instead of %(before)s. Reason: %(reason)s") % {
        "end": _local(change.closes_at),
        "before": _local(change.previous_closes_at),
        "reason": reason,
    }
    for application in notice.applications.filter(status=ApplicationStatus.ON_NOTICE):
        record_event(application, ApplicationEvent.Action.NOTICE_PERIOD_CHANGED, user, note)
        send_after_commit("notice_period_changed", application, {"notice": notice, "change": change})
    return change


def _candidates_for(program: Program, kind: str):
    tier = "A" if kind == NoticeKind.HONOURS else "D"
    return Application.objects.filter(program=program, status=ApplicationStatus.APPROVED, result__tier=tier)


@service_atomic
def _notice_publish(*, program: Program, user, kind: str = NoticeKind.HONOURS) -> Notice:
    """Publish every approved candidate of a programme on one list, open for objections for the notice period.

    The domain half of `workflows.services.notice_publish`, which also starts every candidate's notice period.
    """
    candidates = list(
        _candidates_for(program, kind)
        .select_for_update(of=("self",))
        .select_related("program", "enterprise__account")  # the e-mail to each candidate reads these
    )
    if not candidates:
        raise ApplicationError(_("No approved application is waiting to be published."))
    now = timezone.now()
    # A programme may publish several batches of one kind; the number tells their notices apart.
    batch = Notice.objects.filter(program=program, kind=kind).count() + 1
    title = (
        _("Public notice of the recommended list: %(program)s, batch %(batch)d")
        if kind == NoticeKind.HONOURS
        else _("Public notice of the list of serious breaches of trust: %(program)s, batch %(batch)d")
    ) % {"program": program.title, "batch": batch}
    notice = Notice.objects.create(
        program=program,
        kind=kind,
        title=title,
        published_at=now,
        closes_at=notice_closing_time(now, program.notice_working_days),
        working_days=program.notice_working_days,
        published_by=user,
    )
    # A list holds hundreds of candidates: one statement for all of them, not one per candidate.
    Application.objects.filter(pk__in=[application.pk for application in candidates]).update(
        status=ApplicationStatus.ON_NOTICE, notice=notice, updated_at=now
    )
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            application=application, action=ApplicationEvent.Action.NOTICE_PUBLISHED, actor=user, note=notice.title
        )
        for application in candidates
    )
    for application in candidates:
        application.status, application.notice, application.updated_at = ApplicationStatus.ON_NOTICE, notice, now
        send_after_commit("notice_published", application, {"notice": notice})
    return notice


@service_atomic
def objection_file(
    *,
    notice: Notice,
    application: Application,
    name: str,
    phone: str,
    statement: str,
    evidence: CheckedUpload | None = None,
    now: datetime.datetime | None = None,
) -> Objection:
    """Accept an objection in real name with a contact, during the notice period only."""
    now = now or timezone.now()
    if not notice.is_open(now):
        raise ApplicationError(
            _("The notice period ended on %(end)s; objections can no longer be filed.")
            % {"end": timezone.localtime(notice.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    if application.notice_id != notice.pk:
        raise ApplicationError(_("This enterprise is not on this notice."))
    problems = []
    if len(name.strip()) < 2:
        problems.append(_("Give your real name; anonymous objections are not accepted."))
    if not PHONE_RE.match(phone.strip()):
        problems.append(_("Give a phone number where the organizer can reach you, e.g. 13800138000."))
    if len(statement.strip()) < 10:
        problems.append(_("Describe the facts of your objection (at least 10 characters)."))
    if problems:
        raise ApplicationError(*problems)
    objection = Objection(
        notice=notice,
        application=application,
        objector_name=name.strip(),
        objector_phone=phone.strip(),
        statement=statement.strip(),
        submitted_at=now,
    )
    if evidence is not None:
        objection.evidence.save(evidence.content.name, evidence.content, save=False)
        objection.evidence_name = evidence.original_name
    objection.save()
    return objection


def objection_lookup(tracking_number: str) -> Objection | None:
    number = re.sub(r"\s", "", tracking_number or "").upper()
    return Objection.objects.select_related("application__enterprise", "notice").filter(tracking_number=number).first()


@service_atomic
def objection_verify(*, objection: Objection, user, upheld: bool, reason: str) -> Objection:
    """Record the organizer's finding on an objection, with its reason."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.outcome != ObjectionOutcome.PENDING:
        raise ApplicationError(_("This objection has already been verified."))
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the outcome; the objector will read it."))
    objection.outcome = ObjectionOutcome.UPHELD if upheld else ObjectionOutcome.DISMISSED
    objection.outcome_reason = reason.strip()
    objection.verified_by = user
    objection.verified_at = timezone.now()
    objection.save()
    action = ApplicationEvent.Action.OBJECTION_UPHELD if upheld else ApplicationEvent.Action.OBJECTION_DISMISSED
    record_event(objection.application, action, user, reason.strip())
    return objection


@service_atomic
def candidate_remove(*, application: Application) -> Application:
    """An upheld objection removes the candidate, with the objection's reason in the history."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.status = ApplicationStatus.REMOVED
    application.save(update_fields=["status", "updated_at"])
    reasons = "；".join(
        application.objections.filter(outcome=ObjectionOutcome.UPHELD).values_list("outcome_reason", flat=True)
    )
    send_after_commit("candidate_removed", application, {"reason": reasons})
    return application


@service_atomic
def application_expose(*, application: Application) -> Application:
    """After the notice, a D-tier result of an evaluation programme joins the published exposure list."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.status = ApplicationStatus.EXPOSED
    application.save(update_fields=["status", "updated_at"])
    record_event(application, ApplicationEvent.Action.EXPOSED, None)
    return application
