"""Renewing titles: the holder's renewal application prefilled from the last one, and a cohort enrolled at once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    Program,
    ProgramMode,
    SelfAssessment,
)
from awards.services import ApplicationError, application_start, record_event
from awards.transactions import service_atomic, unit_of_work
from certificates.models import Certificate, CertificateStatus
from renewals.bans import Ban, enterprise_ban
from renewals.models import RenewalSource, TitleRenewal
from workflows.services import process_start

# Carried into the renewal: the enterprise's documents, not the commitment letter it signed for the last round.
CARRIED_ATTACHMENTS = (AttachmentKind.BUSINESS_LICENCE, AttachmentKind.SUPPORTING, AttachmentKind.PHOTO)


def renewal_window_opens(certificate: Certificate) -> datetime.date:
    return certificate.valid_until - datetime.timedelta(days=settings.RENEWAL_WINDOW_DAYS)


def in_renewal_window(certificate: Certificate, today: datetime.date | None = None) -> bool:
    """A title in force whose expiry is at most RENEWAL_WINDOW_DAYS away may be renewed."""
    today = today or timezone.localdate()
    return certificate.current_status(today) == CertificateStatus.VALID and renewal_window_opens(certificate) <= today


def renewal_programs(certificate: Certificate, now: datetime.datetime | None = None):
    """The programmes open for applications now that renew a title of this kind."""
    return (
        Program.objects.open_for_applications(now)
        .filter(kind=certificate.program.kind)
        .exclude(pk=certificate.program_id)
        .order_by("closes_at")
    )


@dataclass
class RenewalOffer:
    """What the holder's “My titles” page says about renewing one title."""

    certificate: Certificate
    days_left: int
    in_window: bool
    window_opens: datetime.date
    programs: list[Program] = field(default_factory=list)  # open, and not applied to yet
    renewals: list[TitleRenewal] = field(default_factory=list)
    ban: Ban | None = None


def renewal_offer(certificate: Certificate, *, today: datetime.date | None = None, now=None) -> RenewalOffer:
    today = today or timezone.localdate()
    renewals = list(certificate.renewals.select_related("application__program"))
    offer = RenewalOffer(
        certificate=certificate,
        days_left=(certificate.valid_until - today).days,
        in_window=in_renewal_window(certificate, today),
        window_opens=renewal_window_opens(certificate),
        renewals=renewals,
    )
    if offer.in_window:
        offer.ban = enterprise_ban(certificate.enterprise_id, today)
        applied = set(
            Application.objects.filter(enterprise=certificate.enterprise_id).values_list("program", flat=True)
        )
        offer.programs = [p for p in renewal_programs(certificate, now) if p.pk not in applied]
    return offer


def previous_application(application: Application) -> Application | None:
    """The enterprise's last application of the same kind before this one, submitted ones first."""
    earlier = (
        Application.objects.filter(enterprise=application.enterprise_id, program__kind=application.program.kind)
        .exclude(pk=application.pk)
        .select_related("program")
    )
    return (
        earlier.exclude(status=ApplicationStatus.DRAFT).order_by("-submitted_at", "-created_at", "-pk").first()
        or earlier.order_by("-created_at", "-pk").first()
    )


def _criterion_key(criterion) -> tuple[str, str, bool]:
    return (criterion.aspect.strip(), criterion.title.strip(), criterion.is_veto)


def application_prefill(*, application: Application, source: Application) -> int:
    """Copy the summary, the self-assessment of every criterion that matches (same aspect, title and kind of item,
    points within the new maximum) and the enterprise's documents; the commitment is for the applicant to accept
    again. Returns how many criteria were carried over."""
    criteria = {_criterion_key(c): c for c in application.program.criteria.all()}
    rows = []
    for old in source.self_assessments.select_related("criterion"):
        criterion = criteria.get(_criterion_key(old.criterion))
        if criterion is None:
            continue
        points = old.points if old.points is not None and old.points <= criterion.max_points else None
        rows.append(
            SelfAssessment(
                application=application,
                criterion=criterion,
                points=None if criterion.is_veto else points,
                veto_applies=old.veto_applies if criterion.is_veto else None,
                note=old.note,
            )
        )
    SelfAssessment.objects.bulk_create(rows)
    application.summary = source.summary
    application.save(update_fields=["summary", "updated_at"])
    Attachment.objects.bulk_create(
        # The stored file is shared, not copied: files are never deleted, only marked removed.
        Attachment(
            application=application,
            kind=attachment.kind,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            uploaded_by=attachment.uploaded_by,
        )
        for attachment in source.attachments.current().filter(kind__in=CARRIED_ATTACHMENTS)
    )
    return len(rows)


def _link(certificate, application, user, source: str) -> TitleRenewal:
    prefilled_from = previous_application(application)
    if prefilled_from is not None:
        application_prefill(application=application, source=prefilled_from)
    return TitleRenewal.objects.create(
        certificate=certificate,
        application=application,
        prefilled_from=prefilled_from,
        source=source,
        started_by=user,
    )


def _refuse_if_banned(enterprise, today: datetime.date) -> None:
    if ban := enterprise_ban(enterprise, today):
        raise ApplicationError(ban.message)


@service_atomic
def renewal_start(
    *, certificate: Certificate, program: Program, user, today: datetime.date | None = None, now=None
) -> Application:
    """The holder applies to renew its title (申请复评): a draft in the programme, prefilled from its last one."""
    today = today or timezone.localdate()
    certificate = Certificate.objects.select_for_update().select_related("program").get(pk=certificate.pk)
    if existing := TitleRenewal.objects.filter(certificate=certificate, application__program=program).first():
        return existing.application
    if not in_renewal_window(certificate, today):
        raise ApplicationError(
            _("This title can be renewed from %(opens)s while it is valid.")
            % {"opens": date_format(renewal_window_opens(certificate), "DATE_FORMAT")}
        )
    if program.kind != certificate.program.kind or program.mode != ProgramMode.APPLICATION:
        raise ApplicationError(_("“%(program)s” does not renew this kind of title.") % {"program": program.title})
    if Application.objects.filter(program=program, enterprise=certificate.enterprise_id).exists():
        raise ApplicationError(
            _("Your enterprise has already applied to “%(program)s”; continue that application.")
            % {"program": program.title}
        )
    _refuse_if_banned(certificate.enterprise_id, today)
    application = application_start(program=program, enterprise=certificate.enterprise, user=user)
    renewal = _link(certificate, application, user, RenewalSource.APPLICANT)
    record_event(application, ApplicationEvent.Action.SAVED, user, _renewal_note(renewal))
    return application


def _renewal_note(renewal: TitleRenewal) -> str:
    if renewal.prefilled_from is None:
        return _("Renewal of the title %(serial)s.") % {"serial": renewal.certificate.serial}
    return _("Renewal of the title %(serial)s, prefilled from the application to “%(program)s”.") % {
        "serial": renewal.certificate.serial,
        "program": renewal.prefilled_from.program.title,
    }


# The organizer's cohort ----------------------------------------------------------------------------------------


class CohortOutcome:
    ENROLLED = "enrolled"
    ALREADY_THERE = "already_there"
    NOT_ELIGIBLE = "not_eligible"
    BANNED = "banned"


@dataclass(frozen=True)
class CohortResult:
    certificate: Certificate
    outcome: str
    detail: str
    application: Application | None = None


def cohort_titles(*, expiring_from: datetime.date, expiring_until: datetime.date, program: Program | None = None):
    """The titles expiring within the window, of one programme or all, whatever their status."""
    titles = Certificate.objects.filter(valid_until__gte=expiring_from, valid_until__lte=expiring_until)
    if program is not None:
        titles = titles.filter(program=program)
    return titles.select_related("program", "enterprise").order_by("valid_until", "serial")


def cohort_programs(today: datetime.date | None = None):
    """The programmes a cohort may be enrolled into: application mode, this year or later."""
    today = today or timezone.localdate()
    return Program.objects.filter(mode=ProgramMode.APPLICATION, year__gte=today.year).order_by("-year", "title")


@unit_of_work()
def cohort_enrol(*, certificates, program: Program, user, today: datetime.date | None = None) -> list[CohortResult]:
    """Enrol the holders of a cohort of titles into the programme: their review starts at reviewer assignment,
    without a formal check, prefilled from their last application. Every title gets its outcome."""
    today = today or timezone.localdate()
    if program.mode != ProgramMode.APPLICATION:
        raise ApplicationError(_("A cohort is enrolled into a programme in application mode."))
    results = []
    for certificate in certificates:
        results.append(_cohort_enrol_one(certificate, program, user, today))
    return results


def _cohort_enrol_one(certificate: Certificate, program: Program, user, today: datetime.date) -> CohortResult:
    status = certificate.current_status(today)
    if status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        return CohortResult(
            certificate,
            CohortOutcome.NOT_ELIGIBLE,
            _("The title is %(status)s.") % {"status": CertificateStatus(status).label},
        )
    if certificate.program.kind != program.kind:
        return CohortResult(certificate, CohortOutcome.NOT_ELIGIBLE, _("A title of another kind."))
    if existing := Application.objects.filter(program=program, enterprise=certificate.enterprise_id).first():
        return CohortResult(
            certificate,
            CohortOutcome.ALREADY_THERE,
            _("Already in the programme: %(status)s.") % {"status": existing.get_status_display()},
            existing,
        )
    if ban := enterprise_ban(certificate.enterprise_id, today):
        return CohortResult(certificate, CohortOutcome.BANNED, ban.message)
    application = Application.objects.create(
        program=program,
        enterprise=certificate.enterprise,
        status=ApplicationStatus.IN_REVIEW,
        enrolled=True,
        created_by=user,
    )
    renewal = _link(certificate, application, user, RenewalSource.COHORT)
    record_event(application, ApplicationEvent.Action.ENROLLED, user, _renewal_note(renewal))
    process_start(application=application)
    return CohortResult(certificate, CohortOutcome.ENROLLED, _("Enrolled; waiting for reviewers."), application)
