"""Actions on programmes, enterprises and applications, called alike from views, the admin and commands."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    Criterion,
    Enterprise,
    Program,
    SelfAssessment,
)
from awards.rubrics import DEFAULT_RUBRICS
from awards.transactions import service_atomic
from awards.uploads import CheckedUpload

# Refused attempts on what an account may not touch, kept apart from the application log (LOGGING in settings).
security_log = logging.getLogger("awards.security")


class ApplicationError(Exception):
    """An action on an application that the rules refuse; `messages` say why, in the user's language."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class AssessmentInput:
    points: Decimal | None = None
    veto_applies: bool | None = None
    note: str = ""


def rubric_copy_default(*, program: Program) -> list[Criterion]:
    """Give a programme without criteria the default rubric of its kind."""
    if program.criteria.exists():
        return list(program.criteria.all())
    return Criterion.objects.bulk_create(
        Criterion(
            program=program,
            position=position,
            aspect=item.aspect,
            title=item.title,
            guidance=item.guidance,
            max_points=item.max_points,
            is_veto=item.is_veto,
        )
        for position, item in enumerate(DEFAULT_RUBRICS[program.kind], start=1)
    )


def record_event(application: Application, action: str, actor, note: str = "") -> None:
    """Append to the application's history: who did what, when and why."""
    ApplicationEvent.objects.create(application=application, action=action, actor=actor, note=note)


@service_atomic
def application_start(*, program: Program, enterprise: Enterprise, user) -> Application:
    """Start a draft application, or return the one the enterprise already has in this programme."""
    existing = Application.objects.filter(program=program, enterprise=enterprise).first()
    if existing:
        return existing
    # A revoked enterprise may not apply again for a while. Called here, not imported at load: awards does not
    # build on the apps above it.
    from renewals.bans import enterprise_ban

    if ban := enterprise_ban(enterprise):
        raise ApplicationError(ban.message)
    if not program.is_open_for_applications():
        raise ApplicationError(
            _("Applications to “%(program)s” are not open (from %(opens)s to %(closes)s).")
            % {
                "program": program.title,
                "opens": timezone.localtime(program.opens_at).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(program.closes_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    application = Application.objects.create(program=program, enterprise=enterprise, created_by=user)
    record_event(application, ApplicationEvent.Action.CREATED, user)
    return application


def _locked(application: Application) -> Application:
    # One transition, one transaction: lock the row and re-check its state inside the lock.
    return Application.objects.select_for_update().select_related("program").get(pk=application.pk)


def _require_editable(application: Application) -> None:
    if not application.is_editable:
        raise ApplicationError(_("This application has been submitted and can no longer be changed."))


@service_atomic
def application_save_draft(
    *,
    application: Application,
    user,
    summary: str,
    commitment_accepted: bool,
    assessments: dict[int, AssessmentInput],
) -> Application:
    """Keep what the applicant has entered so far; nothing is checked for completeness yet."""
    application = _locked(application)
    _require_editable(application)
    criteria = {criterion.pk: criterion for criterion in application.program.criteria.all()}
    rows = []
    for criterion_id, value in assessments.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ApplicationError(_("A criterion of another programme was sent; reload the page."))
        if value.points is not None and not (0 <= value.points <= criterion.max_points):
            raise ApplicationError(
                _("“%(criterion)s” takes 0 to %(max)s points.")
                % {"criterion": criterion.title, "max": criterion.max_points}
            )
        rows.append(
            SelfAssessment(
                application=application,
                criterion=criterion,
                points=None if criterion.is_veto else value.points,
                veto_applies=value.veto_applies if criterion.is_veto else None,
                note=value.note,
            )
        )
    # One statement for the whole rubric, new rows and changed ones alike (an update_or_create each cost six).
    SelfAssessment.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["application", "criterion"],
        update_fields=["points", "veto_applies", "note"],
    )
    application.summary = summary
    if commitment_accepted and not application.commitment_accepted:
        application.commitment_accepted_at = timezone.now()
    if not commitment_accepted:
        application.commitment_accepted_at = None
    application.commitment_accepted = commitment_accepted
    application.save()
    record_event(application, ApplicationEvent.Action.SAVED, user)
    return application


def submission_problems(application: Application) -> list[str]:
    """What still keeps an application from being submitted, as messages for the applicant."""
    problems = []
    assessed = {
        a.criterion_id: a
        for a in application.self_assessments.all()
        if a.points is not None or a.veto_applies is not None
    }
    missing = [c for c in application.program.criteria.all() if c.pk not in assessed]
    if missing:
        problems.append(
            _("Assess every criterion; still open: %(titles)s.") % {"titles": "、".join(c.title for c in missing)}
        )
    if not application.summary.strip():
        problems.append(_("Describe the enterprise's achievements in the summary."))
    if not application.commitment_accepted:
        problems.append(_("Accept the commitment letter."))
    if not application.attachments.current().filter(kind=AttachmentKind.BUSINESS_LICENCE).exists():
        problems.append(_("Upload the business licence."))
    return problems


@contextmanager
def submit_refusal_recorded(*, application: Application, user) -> Iterator[None]:
    """Keep a refused submission in the history; wrap the whole transaction, or its rollback takes the record along."""
    try:
        yield
    except ApplicationError as error:
        record_event(application, ApplicationEvent.Action.SUBMIT_REFUSED, user, " ".join(error.messages))
        raise


def permission_refusal_record(*, application_pk: int, user, method: str, path: str, client_address: str) -> None:
    """Keep an attempt on an application the account may not change: in the security log, and if it tried to
    change an existing application, in that application's history too (with the actor, as every event)."""
    security_log.warning(
        "Refused for lack of permission: user %s (id %s) from %s, %s %s (application %s)",
        user.get_username(),
        user.pk,
        client_address,
        method,
        path,
        application_pk,
    )
    application = Application.objects.filter(pk=application_pk).first()
    if application is not None and method == "POST":
        # Written for the applicant who reads the history, not in the language of whoever tried.
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Refused for lack of permission: the account does not speak for this enterprise.")
        record_event(application, ApplicationEvent.Action.SUBMIT_REFUSED, user, note)


@service_atomic
def _application_submit(*, application: Application, user) -> Application:
    """Submit a complete draft before the deadline, checked here on the server, or raise ApplicationError and
    leave everything as it was (nothing of the refusal is recorded).

    The domain half of `workflows.services.application_submit`, which also starts or resumes the review process
    and records a refusal.
    """
    application = _locked(application)
    _require_editable(application)
    now = timezone.now()
    resubmission = application.status == ApplicationStatus.RETURNED
    # A correction asked for by the organizer may come after the application deadline.
    if not resubmission and application.program.deadline_passed(now):
        raise ApplicationError(
            _("The deadline passed on %(deadline)s, so the application cannot be submitted. Your draft is kept.")
            % {"deadline": timezone.localtime(application.program.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    if not resubmission and now < application.program.opens_at:
        raise ApplicationError(_("Applications are not open yet."))
    problems = submission_problems(application)
    if problems:
        raise ApplicationError(*problems)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    action = ApplicationEvent.Action.RESUBMITTED if resubmission else ApplicationEvent.Action.SUBMITTED
    record_event(application, action, user)
    return application


def application_route(*, application_id: int, to: str) -> None:
    """Move the application into the stage that the review flow has chosen; the flow is the only caller."""
    Application.objects.filter(pk=application_id).update(status=to, updated_at=timezone.now())


def attachment_store(attachment: Attachment, upload: CheckedUpload) -> Attachment:
    """Write the upload's file and save the attachment's row; the file goes again if the row cannot be saved."""
    attachment.file.save(upload.content.name, upload.content, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # no unreferenced file is left behind
        raise
    return attachment


@service_atomic
def attachment_add(*, application: Application, user, kind: str, upload: CheckedUpload) -> Attachment:
    application = _locked(application)
    _require_editable(application)
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=user,
    )
    attachment_store(attachment, upload)
    record_event(application, ApplicationEvent.Action.ATTACHMENT_ADDED, user, attachment.original_name)
    return attachment


@service_atomic
def attachment_remove(*, attachment: Attachment, user) -> None:
    """Withdraw a document from a draft; the file and its record are kept for the history."""
    application = _locked(attachment.application)
    _require_editable(application)
    Attachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(
        removed_at=timezone.now(), removed_by=user
    )
    record_event(application, ApplicationEvent.Action.ATTACHMENT_REMOVED, user, attachment.original_name)
