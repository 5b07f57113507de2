"""Granting titles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.mail import send_after_commit
from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    EnterpriseRequest,
    EnterpriseRequestKind,
    EnterpriseRequestStatus,
    Statement,
    StatementSubject,
)
from awards.services.applications import ApplicationError, record_event
from awards.services.statements import MAX_WORKING_DAYS, statement_due, statement_open, statement_respond
from awards.transactions import service_atomic
from awards.uploads import CheckedUpload
from certificates.models import (
    CaseDecision,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    RevocationCase,
    SupervisionRecord,
)
from certificates.public_cache import public_pages_changed
from certificates.serials import allocate_serial


def validity_end(valid_from: datetime.date, years: int) -> datetime.date:
    """The last day of validity: the day before the same date `years` later (29 February falls back to the 28th)."""
    try:
        anniversary = valid_from.replace(year=valid_from.year + years)
    except ValueError:
        anniversary = valid_from.replace(year=valid_from.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


@service_atomic
def certificate_grant(*, application: Application, user=None) -> Certificate:
    """Grant the title: a serial without gaps or duplicates, valid from the ceremony for the programme's validity."""
    application = (
        Application.objects.select_for_update(of=("self",))
        # The certificate (if granted already), the district code and the applicant's e-mail read these.
        .select_related("program", "enterprise__district", "enterprise__account", "certificate")
        .get(pk=application.pk)
    )
    if existing := getattr(application, "certificate", None):
        return existing
    enterprise = application.enterprise
    if not enterprise.is_verified:
        # A title vouches for who the enterprise is; an account's unchecked word is not enough for that.
        raise ApplicationError(
            _("%(name)s is not verified: an organizer must check its business licence before a title is granted.")
            % {"name": enterprise.name}
        )
    program = application.program
    serial, sequence = allocate_serial(prefix=program.serial_prefix, year=program.year)
    certificate = Certificate.objects.create(
        application=application,
        program=program,
        enterprise=enterprise,
        enterprise_name=enterprise.name,
        enterprise_uscc=enterprise.uscc,
        serial=serial,
        sequence=sequence,
        year=program.year,
        district_code=enterprise.district.code,
        title=program.official_title,
        valid_from=program.ceremony_date,
        valid_until=validity_end(program.ceremony_date, program.validity_years),
        granted_by=user,
    )
    CertificateEvent.objects.create(certificate=certificate, status=CertificateStatus.VALID, actor=user)
    application.status = ApplicationStatus.GRANTED
    application.save(update_fields=["status", "updated_at"])
    record_event(application, ApplicationEvent.Action.GRANTED, user, serial)
    public_pages_changed()
    send_after_commit(
        "title_granted", application, {"certificate": certificate, "status": certificate.current_status()}
    )
    return certificate


def _name_changes_since_grant(certificate: Certificate):
    return EnterpriseRequest.objects.filter(
        enterprise=certificate.enterprise_id,
        kind=EnterpriseRequestKind.NAME_CHANGE,
        status=EnterpriseRequestStatus.APPROVED,
        decided_at__gte=certificate.granted_at,
    ).order_by("decided_at", "pk")


def holder_renamed_to(certificate: Certificate) -> str:
    """The holder's current name when an approved change of name has given it another since the grant, else ""."""
    change = _name_changes_since_grant(certificate).last()
    if change is None or change.name_on_licence == certificate.enterprise_name:
        return ""
    return change.name_on_licence


@dataclass(frozen=True)
class TitleHistoryEntry:
    at: datetime.datetime
    what: str
    actor: object
    reason: str


def title_history(certificate: Certificate) -> list[TitleHistoryEntry]:
    """Everything that happened to a title: its status changes and the approved changes of its holder's name."""
    entries = [
        TitleHistoryEntry(event.at, event.get_status_display(), event.actor, event.reason)
        for event in certificate.events.select_related("actor")
    ]
    entries += [
        TitleHistoryEntry(
            change.decided_at,
            _("Change of name: “%(old)s” → “%(new)s”") % {"old": change.previous_name, "new": change.name_on_licence},
            change.decided_by,
            change.decision_reason,
        )
        for change in _name_changes_since_grant(certificate).select_related("decided_by")
    ]
    return sorted(entries, key=lambda entry: entry.at)


# After the award: supervision records and revocation cases.

# Working days (陈述申辩), counted on the official calendar: the documented setting STATEMENT_WORKING_DAYS.
CASE_RESPONSE_DAYS = settings.STATEMENT_WORKING_DAYS
APPEAL_DAYS = 15


class CaseError(ApplicationError):
    """A step of a revocation case that the rules refuse."""


def _set_title_status(certificate: Certificate, status: str, actor, reason: str) -> None:
    certificate.status = status
    certificate.save(update_fields=["status"])
    CertificateEvent.objects.create(certificate=certificate, status=status, actor=actor, reason=reason)
    public_pages_changed()


@service_atomic
def supervision_record_add(*, enterprise, user, kind: str, occurred_on: datetime.date, summary: str, source: str = ""):
    """Note a complaint, inspection finding or penalty against an enterprise."""
    if not summary.strip():
        raise CaseError(_("Describe what happened."))
    if occurred_on > timezone.localdate():
        raise CaseError(_("The date cannot lie in the future."))
    return SupervisionRecord.objects.create(
        enterprise=enterprise,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary.strip(),
        source=source.strip(),
        recorded_by=user,
    )


@service_atomic
def _case_open(*, certificate: Certificate, user, grounds: str, records=(), response_days: int = CASE_RESPONSE_DAYS):
    """Open a case against a title: the title is suspended at once and the enterprise is told it may respond.

    The domain half of `workflows.services.case_open`, which also starts the case's process.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    # A title granted but not yet in force can be suspended too: a case may start before the ceremony.
    status = certificate.current_status()
    if status not in (CertificateStatus.VALID, CertificateStatus.PENDING):
        raise CaseError(_("Only a valid title can be suspended; this one is %(status)s.") % {"status": status.label})
    if not grounds.strip():
        raise CaseError(_("State the grounds of the case."))
    if not 1 <= response_days <= MAX_WORKING_DAYS:
        raise CaseError(
            _("Allow between 1 and %(max)d working days for the enterprise's response.") % {"max": MAX_WORKING_DAYS}
        )
    now = timezone.now()
    case = RevocationCase.objects.create(
        certificate=certificate,
        grounds=grounds.strip(),
        opened_by=user,
        opened_at=now,
        response_due=statement_due(now, response_days),
    )
    case.records.set(records)
    # The enterprise's right to be heard has one home for results and cases alike; case_opened is its e-mail.
    statement_open(
        application=certificate.application,
        user=user,
        subject=StatementSubject.REVOCATION,
        case=case,
        proposal=_("Revocation of the title %(serial)s") % {"serial": certificate.serial},
        reasons=grounds,
        working_days=response_days,
        now=now,
        notify=False,
    )
    _set_title_status(certificate, CertificateStatus.SUSPENDED, user, grounds.strip())
    send_after_commit("case_opened", certificate.application, {"case": case, "certificate": certificate})
    return case


def _locked_case(case: RevocationCase) -> RevocationCase:
    return RevocationCase.objects.select_for_update().select_related("certificate__application").get(pk=case.pk)


@service_atomic
def case_respond(
    *,
    case: RevocationCase,
    response: str,
    now: datetime.datetime | None = None,
    user=None,
    evidence: list[CheckedUpload] = (),
) -> RevocationCase:
    """The enterprise states its side, with evidence, before the response deadline and before the decision."""
    now = now or timezone.now()
    case = _locked_case(case)
    if case.decision != CaseDecision.PENDING:
        raise CaseError(_("The committee has already decided this case."))
    if now > case.response_due:
        raise CaseError(_("The time for a response ended on %(due)s.") % {"due": _local(case.response_due)})
    if not response.strip():
        raise CaseError(_("Write your response."))
    if case.responded_at:
        raise CaseError(_("Your response was already filed on %(at)s.") % {"at": _local(case.responded_at)})
    case.response = response.strip()
    case.responded_at = now
    case.save(update_fields=["response", "responded_at"])
    statement = Statement.objects.filter(case=case).first()
    if statement is not None:  # cases opened before statements existed have none
        try:
            statement_respond(statement=statement, user=user, response=response, evidence=evidence, now=now)
        except ApplicationError as error:
            raise CaseError(error.messages[0]) from None
    return case


def case_ready_for_decision(case: RevocationCase, now: datetime.datetime | None = None) -> bool:
    """The committee decides once the enterprise has responded or its time to respond is over."""
    return bool(case.responded_at) or (now or timezone.now()) > case.response_due


@service_atomic
def case_decide(*, case: RevocationCase, user, revoke: bool, reason: str) -> RevocationCase:
    """The committee restores or revokes the title, with its reason; a revocation opens 15 days for an appeal."""
    case = _locked_case(case)
    if case.decision != CaseDecision.PENDING:
        raise CaseError(_("The committee has already decided this case."))
    if not case_ready_for_decision(case):
        raise CaseError(
            _("The enterprise may still respond until %(due)s; decide after its response or that date.")
            % {"due": _local(case.response_due)}
        )
    if not reason.strip():
        raise CaseError(_("Give the reason for the decision."))
    now = timezone.now()
    case.decision = CaseDecision.REVOKE if revoke else CaseDecision.RESTORE
    case.decision_reason = reason.strip()
    case.decided_by = user
    case.decided_at = now
    if revoke:
        case.appeal_due = now + datetime.timedelta(days=APPEAL_DAYS)
    case.save()
    status = CertificateStatus.REVOKED if revoke else CertificateStatus.VALID
    _set_title_status(case.certificate, status, user, reason.strip())
    send_after_commit("case_decided", case.certificate.application, {"case": case, "certificate": case.certificate})
    return case


@service_atomic
def case_appeal(*, case: RevocationCase, appeal: str, now: datetime.datetime | None = None) -> RevocationCase:
    """The enterprise appeals a revocation within 15 days."""
    now = now or timezone.now()
    case = _locked_case(case)
    if case.decision != CaseDecision.REVOKE:
        raise CaseError(_("Only a revocation can be appealed."))
    if case.appealed_at:
        raise CaseError(_("An appeal has already been filed."))
    if now > case.appeal_due:
        raise CaseError(_("The 15 days for an appeal ended on %(due)s.") % {"due": _local(case.appeal_due)})
    if not appeal.strip():
        raise CaseError(_("Write the grounds of your appeal."))
    case.appeal = appeal.strip()
    case.appealed_at = now
    case.save(update_fields=["appeal", "appealed_at"])
    return case


@service_atomic
def appeal_decide(*, case: RevocationCase, user, upheld: bool, reason: str) -> RevocationCase:
    """The committee decides the appeal: upheld restores the title, dismissed confirms the revocation."""
    case = _locked_case(case)
    if not case.appealed_at or case.appeal_decision != CaseDecision.PENDING:
        raise CaseError(_("There is no appeal waiting for a decision."))
    if not reason.strip():
        raise CaseError(_("Give the reason for the decision on the appeal."))
    case.appeal_decision = CaseDecision.RESTORE if upheld else CaseDecision.REVOKE
    case.appeal_reason = reason.strip()
    case.save(update_fields=["appeal_decision", "appeal_reason"])
    if upheld:
        _set_title_status(case.certificate, CertificateStatus.VALID, user, reason.strip())
    else:
        CertificateEvent.objects.create(
            certificate=case.certificate, status=CertificateStatus.REVOKED, actor=user, reason=reason.strip()
        )
        public_pages_changed()  # the verification page shows the reason of the latest revocation
    send_after_commit("appeal_decided", case.certificate.application, {"case": case, "certificate": case.certificate})
    return case


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
