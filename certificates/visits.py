"""After the award: a title's published service commitments, and the follow-up visits that check them.

A holder's commitments (服务承诺, e.g. 七日无理由退货, 先行赔付, 明码标价) are recorded with its title, one row per
commitment, and shown on the verification page; the organizer edits the list, and a changed list withdraws (marks)
what it no longer holds and adds what is new, so the history keeps every version. Return visits (回访) and consumer
experience checks (消费体验) are recorded against the commitments in force. A failed visit may open a revocation case:
`workflows.services.visit_case_open`, which uses `_visit_for_case` and `visit_case_grounds` here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import ProgramKind
from awards.transactions import service_atomic
from awards.uploads import check_upload
from certificates import services
from certificates.models import (
    Certificate,
    CertificateStatus,
    FollowUpVisit,
    RevocationCase,
    TitleCommitment,
    VisitAttachment,
    VisitKind,
)
from certificates.public_cache import public_pages_changed
from certificates.services import CaseError, TitleHistoryEntry

COMMITMENT_MAX_LENGTH = 200
MAX_COMMITMENTS = 20
MAX_VISIT_FILES = 10

# What a title's commitments are prefilled with when neither it nor an earlier title of its holder has any: the
# commitments the rubric looks for (公开服务承诺; 先行赔付、无理由退货承诺; 明码标价). Content, not interface text.
STANDARD_COMMITMENTS = {
    ProgramKind.HONEST_BUSINESS: ("七日无理由退货", "先行赔付", "明码标价"),
    ProgramKind.EDUCATION_BASE: ("定期免费向公众开放", "消费维权咨询当场答复"),
}

# A title that is revoked or expired has no commitments left to check or to change.
_ENDED = (CertificateStatus.REVOKED, CertificateStatus.EXPIRED)


class VisitError(CaseError):
    """A commitment or visit the rules refuse; `field` names the form field the message belongs next to."""

    def __init__(self, *messages: str, field: str | None = None) -> None:
        super().__init__(*messages)
        self.field = field


def _refuse_if_ended(certificate: Certificate, today: datetime.date) -> None:
    status = certificate.current_status(today)
    if status in _ENDED:
        raise VisitError(
            _("This title is %(status)s: its commitments are no longer checked or changed.")
            % {"status": CertificateStatus(status).label}
        )


# --- Commitments ---------------------------------------------------------------------------------------------------


def commitments_suggested(certificate: Certificate) -> list[str]:
    """What the commitments form starts with: the title's own; else those of its holder's latest earlier title; else
    the standard commitments of its kind of programme. Nothing is published until the organizer saves."""
    own = list(certificate.commitments.published().values_list("text", flat=True))
    if own:
        return own
    earlier = (
        TitleCommitment.objects.published()
        .filter(certificate__enterprise=certificate.enterprise_id, certificate__granted_at__lt=certificate.granted_at)
        .order_by("-certificate__granted_at")
        .values_list("certificate_id", flat=True)
        .first()
    )
    latest = TitleCommitment.objects.published().filter(certificate=earlier).values_list("text", flat=True)
    return list(latest) or list(STANDARD_COMMITMENTS.get(certificate.program.kind, ()))


def _clean_commitments(texts: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for text in texts:
        text = " ".join(text.split())
        if text and text not in cleaned:
            cleaned.append(text)
    too_long = [text for text in cleaned if len(text) > COMMITMENT_MAX_LENGTH]
    if too_long:
        raise VisitError(
            _("Each commitment may have at most %(max)d characters; shorten “%(text)s…”.")
            % {"max": COMMITMENT_MAX_LENGTH, "text": too_long[0][:20]},
            field="commitments",
        )
    if len(cleaned) > MAX_COMMITMENTS:
        raise VisitError(
            _("At most %(max)d commitments can be published with a title.") % {"max": MAX_COMMITMENTS},
            field="commitments",
        )
    return cleaned


@service_atomic
def commitments_publish(
    *, certificate: Certificate, user, texts: Sequence[str], reason: str = "", today: datetime.date | None = None
) -> list[TitleCommitment]:
    """Publish the title's commitments as listed, one per item: new ones are added, those no longer listed withdrawn.

    A withdrawal is a change the public can see, so it needs a reason. Returns the commitments now published.
    """
    today = today or timezone.localdate()
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _refuse_if_ended(certificate, today)
    wanted = _clean_commitments(texts)
    current = {commitment.text: commitment for commitment in certificate.commitments.published()}
    withdrawn = [commitment for text, commitment in current.items() if text not in wanted]
    added = [text for text in wanted if text not in current]
    if not withdrawn and not added:
        raise VisitError(_("The commitments are unchanged: add, change or remove one, then save."), field="commitments")
    reason = reason.strip()
    if withdrawn and not reason:
        raise VisitError(
            _("Say why “%(text)s” is withdrawn: the verification page stops showing it.") % {"text": withdrawn[0].text},
            field="reason",
        )
    now = timezone.now()
    for commitment in withdrawn:
        commitment.withdrawn_at, commitment.withdrawn_by, commitment.withdrawn_reason = now, user, reason
        commitment.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    TitleCommitment.objects.bulk_create(
        [
            TitleCommitment(certificate=certificate, text=text, added_by=user, added_at=now, added_reason=reason)
            for text in added
        ]
    )
    public_pages_changed()  # the verification page lists the commitments
    return list(certificate.commitments.published())


# --- Visits -------------------------------------------------------------------------------------------------------


@service_atomic
def visit_record(
    *,
    certificate: Certificate,
    user,
    kind: str,
    visited_on: datetime.date,
    commitments: Iterable[TitleCommitment],
    passed: bool,
    findings: str = "",
    files: Sequence = (),
    today: datetime.date | None = None,
) -> FollowUpVisit:
    """Record a return visit or consumer experience check of the commitments checked, with its photos or documents."""
    today = today or timezone.localdate()
    _refuse_if_ended(certificate, today)
    if kind not in VisitKind.values:
        raise VisitError(_("Choose whether this was a return visit or a consumer experience check."), field="kind")
    if visited_on > today:
        raise VisitError(_("The date of the visit cannot lie in the future."), field="visited_on")
    granted_on = timezone.localdate(certificate.granted_at)
    if visited_on < granted_on:
        raise VisitError(
            _("The visit cannot be earlier than the grant of the title, %(day)s.") % {"day": granted_on},
            field="visited_on",
        )
    checked = list(commitments)
    if not certificate.commitments.published().exists():
        raise VisitError(_("Publish the title's service commitments first: a visit checks them."))
    if not checked:
        raise VisitError(_("Choose the commitments the visit checked."), field="commitments")
    published = set(certificate.commitments.published().values_list("pk", flat=True))
    if any(commitment.pk not in published for commitment in checked):
        raise VisitError(_("A visit checks only the commitments this title publishes now."), field="commitments")
    findings = findings.strip()
    if not passed and not findings:
        raise VisitError(_("Describe what failed: the findings may become the grounds of a case."), field="findings")
    if len(files) > MAX_VISIT_FILES:
        raise VisitError(_("Attach at most %(max)d files.") % {"max": MAX_VISIT_FILES}, field="files")
    uploads = []
    for upload in files:
        try:
            uploads.append(check_upload(upload))
        except ValidationError as error:
            raise VisitError(error.messages[0], field="files") from error
    visit = FollowUpVisit.objects.create(
        certificate=certificate,
        kind=kind,
        visited_on=visited_on,
        passed=passed,
        findings=findings,
        recorded_by=user,
    )
    visit.commitments.set(checked)
    for upload in uploads:
        attachment = VisitAttachment(
            visit=visit,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        attachment.file.save(upload.original_name, upload.content, save=False)
        attachment.save()
    return visit


def _visit_for_case(visit: FollowUpVisit) -> FollowUpVisit:
    """The visit, locked, if it may open a case: a failed visit that has not opened one already."""
    visit = FollowUpVisit.objects.select_for_update().select_related("certificate").get(pk=visit.pk)
    if visit.passed:
        raise VisitError(_("A passed visit cannot open a revocation case: only a failed one can."))
    if visit.case_id:
        raise VisitError(_("This visit has already opened a revocation case."))
    return visit


def _visit_case_link(visit: FollowUpVisit, case: RevocationCase) -> None:
    visit.case = case
    visit.save(update_fields=["case"])


def visit_case_grounds(visit: FollowUpVisit) -> str:
    """The grounds a case opened from a failed visit starts with: what was checked, when, and what was found."""
    commitments = "、".join(commitment.text for commitment in visit.commitments.all())
    return _("%(kind)s on %(date)s failed. Commitments checked: %(commitments)s. Findings: %(findings)s") % {
        "kind": visit.get_kind_display(),
        "date": visit.visited_on.isoformat(),
        "commitments": commitments,
        "findings": visit.findings,
    }


# --- History ------------------------------------------------------------------------------------------------------


def title_history(certificate: Certificate) -> list[TitleHistoryEntry]:
    """The title's whole history for the organizer: its status and name changes, commitments and visits, in order."""
    return sorted(services.title_history(certificate) + _visits_history(certificate), key=lambda entry: entry.at)


def _visits_history(certificate: Certificate) -> list[TitleHistoryEntry]:
    entries: list[TitleHistoryEntry] = []
    for commitment in certificate.commitments.select_related("added_by", "withdrawn_by"):
        entries.append(
            TitleHistoryEntry(
                commitment.added_at,
                _("Commitment published: %(text)s") % {"text": commitment.text},
                commitment.added_by,
                commitment.added_reason,
            )
        )
        if commitment.withdrawn_at:
            entries.append(
                TitleHistoryEntry(
                    commitment.withdrawn_at,
                    _("Commitment withdrawn: %(text)s") % {"text": commitment.text},
                    commitment.withdrawn_by,
                    commitment.withdrawn_reason,
                )
            )
    for visit in certificate.visits.select_related("recorded_by"):
        outcome = _("passed") if visit.passed else _("failed")
        entries.append(
            TitleHistoryEntry(
                visit.recorded_at,
                f"{visit.get_kind_display()} {visit.visited_on.isoformat()} · {outcome}",
                visit.recorded_by,
                visit.findings,
            )
        )
    return entries
