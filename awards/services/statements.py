"""The right to be heard (陈述申辩): before the committee decides a C or D result or a revocation, the enterprise is
told the proposed outcome and its reasons, and has a set number of working days to respond with evidence."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.mail import send_after_commit
from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    Program,
    Statement,
    StatementSubject,
    Tier,
)
from awards.models.statements import deadline_text
from awards.services.applications import ApplicationError, attachment_store, record_event
from awards.services.notices import notice_closing_time
from awards.transactions import service_atomic
from awards.uploads import CheckedUpload

HEARD_TIERS = ("C", "D")
MAX_WORKING_DAYS = 60


def statement_working_days() -> int:
    """The documented setting STATEMENT_WORKING_DAYS (5 unless configured)."""
    return settings.STATEMENT_WORKING_DAYS


def statement_due(notified_at: datetime.datetime, working_days: int) -> datetime.datetime:
    """The end (24:00, Beijing time) of the N-th working day after the enterprise is told, on the official calendar."""
    return notice_closing_time(notified_at, working_days)


def _local(moment: datetime.datetime) -> str:
    return deadline_text(moment)


def result_reasons(application: Application) -> str:
    """The reasons of a proposed result, from the result's own trace."""
    result = application.result
    reasons = _("The evaluation graded %(name)s %(tier)s with a final score of %(score)s.") % {
        "name": application.enterprise.name,
        "tier": result.get_tier_display(),
        "score": result.final_score,
    }
    if result.veto_fired:
        reasons += " " + _("A veto item (一票否决) was confirmed, which means D whatever the score.")
    return reasons


@service_atomic
def statement_open(
    *,
    application: Application,
    user,
    subject: str,
    proposal: str,
    reasons: str,
    case=None,
    tier: str = "",
    working_days: int | None = None,
    now: datetime.datetime | None = None,
    notify: bool = True,
) -> Statement:
    """Tell the enterprise the proposed outcome and its reasons, and open its time to respond (e-mail too)."""
    now = now or timezone.now()
    working_days = working_days or statement_working_days()
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ApplicationError(
            _("Allow between 1 and %(max)d working days for the enterprise's response.") % {"max": MAX_WORKING_DAYS}
        )
    if not reasons.strip():
        raise ApplicationError(_("State the reasons for the proposed outcome."))
    statement = Statement.objects.create(
        application=application,
        subject=subject,
        case=case,
        proposal=proposal,
        tier=tier,
        reasons=reasons.strip(),
        working_days=working_days,
        notified_by=user,
        notified_at=now,
        due_at=statement_due(now, working_days),
    )
    record_event(
        application,
        ApplicationEvent.Action.STATEMENT_INVITED,
        user,
        _("%(proposal)s; may respond until %(due)s") % {"proposal": proposal, "due": _local(statement.due_at)},
    )
    if notify:
        send_after_commit("statement_invited", application, {"statement": statement})
    return statement


@service_atomic
def statement_respond(
    *,
    statement: Statement,
    user,
    response: str,
    evidence: list[CheckedUpload] = (),
    now: datetime.datetime | None = None,
) -> Statement:
    """The enterprise states its side, with evidence, once and within its working days."""
    now = now or timezone.now()
    statement = Statement.objects.select_for_update().select_related("application").get(pk=statement.pk)
    if statement.responded_at:
        raise ApplicationError(
            _("Your statement was already filed on %(at)s.") % {"at": _local(statement.responded_at)}
        )
    if now >= statement.due_at:
        raise ApplicationError(_("The time for a statement ended on %(due)s.") % {"due": _local(statement.due_at)})
    if not response.strip():
        raise ApplicationError(_("Write your statement."))
    statement.response = response.strip()
    statement.responded_at = now
    statement.responded_by = user
    statement.save(update_fields=["response", "responded_at", "responded_by"])
    for upload in evidence:
        _evidence_add(statement, user, upload)
    record_event(statement.application, ApplicationEvent.Action.STATEMENT_FILED, user, statement.proposal)
    return statement


def _evidence_add(statement: Statement, user, upload: CheckedUpload) -> Attachment:
    attachment = Attachment(
        application=statement.application,
        statement=statement,
        kind=AttachmentKind.STATEMENT_EVIDENCE,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=user,
    )
    return attachment_store(attachment, upload)


# Proposed C and D results.


def result_statement(application: Application) -> Statement | None:
    """The statement on the application's current proposed result, if the enterprise was told of it."""
    result = getattr(application, "result", None)
    if result is None or result.tier not in HEARD_TIERS:
        return None
    return (
        application.statements.filter(subject=StatementSubject.RESULT, tier=result.tier)
        .prefetch_related("evidence")
        .first()
    )


def result_statement_open(*, application: Application, user=None, now=None) -> Statement | None:
    """Tell the enterprise of its proposed C or D result, once per proposal; None for any other result."""
    application = Application.objects.select_related("result", "enterprise__account", "program").get(pk=application.pk)
    result = getattr(application, "result", None)
    if result is None or result.tier not in HEARD_TIERS:
        return None
    existing = result_statement(application)
    if existing:
        return existing
    return statement_open(
        application=application,
        user=user,
        subject=StatementSubject.RESULT,
        proposal=str(Tier(result.tier).label),
        tier=result.tier,
        reasons=result_reasons(application),
        now=now,
    )


def heard_entries(program: Program):
    """The C and D entries of a graded programme, not yet concluded: the ones to be heard before the lists go out."""
    return (
        Application.objects.filter(
            program=program,
            result__tier__in=HEARD_TIERS,
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.GRADED, ApplicationStatus.COMMITTEE],
        )
        .select_related("enterprise", "result")
        .order_by("result__tier", "enterprise__name", "pk")
    )


@service_atomic
def program_statements_open(*, program: Program, user, now: datetime.datetime | None = None) -> int:
    """One action: tell every C and D entry of the programme its proposed result with reasons; how many were told.

    In bulk, for a province-wide sector: a few statements per entry would be tens of thousands of queries.
    """
    now = now or timezone.now()
    working_days = statement_working_days()
    due_at = statement_due(now, working_days)
    told_already = Statement.objects.filter(
        application=OuterRef("pk"), subject=StatementSubject.RESULT, tier=OuterRef("result__tier")
    )
    entries = list(
        heard_entries(program)
        .filter(~Exists(told_already))
        .select_related("enterprise__account", "program")
        .select_for_update(of=("self",))
    )
    statements = Statement.objects.bulk_create(
        Statement(
            application=application,
            subject=StatementSubject.RESULT,
            proposal=str(Tier(application.result.tier).label),
            tier=application.result.tier,
            reasons=result_reasons(application),
            working_days=working_days,
            notified_by=user,
            notified_at=now,
            due_at=due_at,
        )
        for application in entries
    )
    note = _("%(proposal)s; may respond until %(due)s")
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            application=statement.application,
            action=ApplicationEvent.Action.STATEMENT_INVITED,
            actor=user,
            at=now,
            note=note % {"proposal": statement.proposal, "due": _local(due_at)},
        )
        for statement in statements
    )
    for statement in statements:
        send_after_commit("statement_invited", statement.application, {"statement": statement})
    return len(statements)


@dataclass(frozen=True)
class HearingState:
    not_told: int
    within_time: int
    until: datetime.datetime | None

    @property
    def complete(self) -> bool:
        return not self.not_told and not self.within_time


def exposure_hearing_state(program: Program, now: datetime.datetime | None = None) -> HearingState:
    """How far the D entries waiting for the exposure list are from being heard."""
    now = now or timezone.now()
    waiting = Application.objects.filter(program=program, status=ApplicationStatus.APPROVED, result__tier="D")
    statements = Statement.objects.filter(application__in=waiting, subject=StatementSubject.RESULT, tier="D")
    open_ones = statements.within_time(now)
    return HearingState(
        not_told=waiting.exclude(pk__in=statements.values("application")).count(),
        within_time=open_ones.count(),
        until=open_ones.aggregate(until=Max("due_at"))["until"],
    )


def exposure_hearing_check(program: Program, now: datetime.datetime | None = None) -> None:
    """Refuse the D list's notice until every D entry has responded or its time has passed."""
    state = exposure_hearing_state(program, now)
    if state.not_told:
        raise ApplicationError(
            _(
                "%(count)d enterprise(s) graded D have not been told of their proposed result: notify the C and D "
                "entries first, and publish the D list once each has responded or its time has passed."
            )
            % {"count": state.not_told}
        )
    if state.within_time:
        raise ApplicationError(
            _(
                "The D list cannot go on notice yet: %(count)d enterprise(s) are still within their time to respond "
                "(陈述申辩), until %(until)s at the latest."
            )
            % {"count": state.within_time, "until": _local(state.until)}
        )


def result_decision_check(application: Application, now: datetime.datetime | None = None) -> None:
    """Refuse the committee's decision on a proposed C or D while the enterprise may still respond."""
    statement = result_statement(application)
    if statement is not None and not statement.is_ready(now):
        raise ApplicationError(
            _("%(name)s may still respond to the proposed result until %(due)s; decide after its statement or then.")
            % {"name": application.enterprise.name, "due": _local(statement.due_at)}
        )


@dataclass(frozen=True)
class HearingRow:
    application: Application
    statement: Statement | None


def program_hearing(program: Program, limit: int = 500) -> list[HearingRow]:
    """The C and D entries of a programme beside the statement on their proposed result (None: not told yet)."""
    entries = list(heard_entries(program)[:limit])
    statements: dict[tuple[int, str], Statement] = {}
    for statement in (
        Statement.objects.filter(application__in=[e.pk for e in entries], subject=StatementSubject.RESULT)
        .prefetch_related("evidence")
        .order_by("notified_at", "pk")
    ):
        statements[(statement.application_id, statement.tier)] = statement  # the latest one wins
    return [HearingRow(e, statements.get((e.pk, e.result.tier))) for e in entries]
