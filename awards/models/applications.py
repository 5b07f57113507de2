from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import DECIDE_AWARDS, INSPECT_SITES, ORGANIZE_PROGRAMS, REVIEW_APPLICATIONS, has_any
from awards.models.programs import Criterion, Enterprise, Program


class ApplicationStatus(models.TextChoices):
    """Where an application stands. The review workflow moves it; each status names a stage or an outcome."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting the formal check")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Rejected as ineligible")
    IN_REVIEW = "in_review", _("Under expert review")
    GRADED = "graded", _("Graded, not recommended")
    INSPECTION = "inspection", _("Awaiting the on-site inspection")
    FAILED_INSPECTION = "failed_inspection", _("Failed the on-site inspection")
    COMMITTEE = "committee", _("Awaiting the committee's decision")
    NOT_APPROVED = "not_approved", _("Not approved by the committee")
    APPROVED = "approved", _("Approved, awaiting public notice")
    ON_NOTICE = "on_notice", _("On public notice")
    REMOVED = "removed", _("Removed after an upheld objection")
    GRANTED = "granted", _("Title granted")
    EXPOSED = "exposed", _("Published on the list of serious breaches of trust")


EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationQuerySet:
        """Who may read an application: the organizers; the enterprise itself; reviewers assigned to it (not
        after declining); inspectors while it awaits inspection or once they inspected it; the committee once
        it has a result or a statement to decide on."""
        if not user.is_authenticated:
            return self.none()
        if has_any(user, ORGANIZE_PROGRAMS):
            return self
        visible = Q(enterprise__account=user)
        if has_any(user, REVIEW_APPLICATIONS):
            Review = self.model.reviews.rel.related_model
            mine = Review.objects.filter(reviewer=user).exclude(status="declined").values("application_id")
            visible |= Q(pk__in=mine)
        if has_any(user, INSPECT_SITES):
            visible |= Q(status=ApplicationStatus.INSPECTION) | Q(inspection__inspector=user)
        if has_any(user, DECIDE_AWARDS):
            # ...and any enterprise heard (陈述申辩) before a decision of theirs, e.g. on a revocation case.
            visible |= Q(result__isnull=False) | Q(statements__isnull=False)
        return self.filter(visible).distinct()

    def submitted(self) -> ApplicationQuerySet:
        return self.exclude(status=ApplicationStatus.DRAFT)

    def recommended(self) -> ApplicationQuerySet:
        """Waiting for the committee: tier A (and, for education bases, inspection passed)."""
        return self.filter(status=ApplicationStatus.COMMITTEE)


class Application(models.Model):
    """An enterprise's entry in a programme (申报)."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="applications", verbose_name=_("programme")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="applications", verbose_name=_("enterprise")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    summary = models.TextField(
        _("summary of achievements"),
        blank=True,
        max_length=5000,
        help_text=_(
            "What makes the enterprise deserve the title: practices, results, recognitions (up to 5,000 characters)."
        ),
    )
    commitment_accepted = models.BooleanField(_("commitment letter accepted"), default=False)
    commitment_accepted_at = models.DateTimeField(_("commitment accepted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    enrolled = models.BooleanField(
        _("enrolled by the organizer"), default=False, help_text=_("Evaluation mode: graded without applying.")
    )
    notice = models.ForeignKey(
        "awards.Notice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("public notice"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "enterprise"], name="one_application_per_enterprise_and_program"
            ),
            models.CheckConstraint(
                # Enrolled applications (evaluation mode) are graded without applying, so without a commitment.
                condition=Q(status=ApplicationStatus.DRAFT)
                | Q(enrolled=True)
                | (
                    Q(submitted_at__isnull=False)
                    & Q(commitment_accepted=True)
                    & Q(commitment_accepted_at__isnull=False)
                ),
                name="submitted_application_has_commitment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.program}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class SelfAssessment(models.Model):
    """The applicant's own score for one criterion, or for a veto item whether it applies."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="self_assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    veto_applies = models.BooleanField(_("applies"), null=True, blank=True)
    note = models.CharField(_("explanation"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="one_self_assessment_per_criterion"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="self_assessment_points_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.criterion}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the original name is user input and may reveal or collide with anything.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class AttachmentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    COMMITMENT_LETTER = "commitment_letter", _("Signed and sealed commitment letter")
    SUPPORTING = "supporting", _("Supporting document")
    PHOTO = "photo", _("Photo")
    INSPECTION_PHOTO = "inspection_photo", _("On-site inspection photo")
    STATEMENT_EVIDENCE = "statement_evidence", _("Evidence of a statement (陈述申辩)")


APPLICANT_ATTACHMENT_KINDS = [
    (kind.value, kind.label)
    for kind in AttachmentKind
    if kind not in (AttachmentKind.INSPECTION_PHOTO, AttachmentKind.STATEMENT_EVIDENCE)
]


class AttachmentQuerySet(models.QuerySet):
    def current(self) -> AttachmentQuerySet:
        return self.filter(removed_at__isnull=True)


class Attachment(models.Model):
    """An uploaded document of an application. Removing one only marks it, so nothing is lost."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind of document"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Evidence filed with a statement (陈述申辩) belongs to it as well as to the application.
    statement = models.ForeignKey(
        "awards.Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty")]

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """Who did what to an application, when and why. Append-only."""

    class Action(models.TextChoices):
        CREATED = "created", _("Application started")
        ENROLLED = "enrolled", _("Enrolled by the organizer")
        SAVED = "saved", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Resubmitted after correction")
        SUBMIT_REFUSED = "submit_refused", _("Submission refused")
        ATTACHMENT_ADDED = "attachment_added", _("Attachment uploaded")
        ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
        ACCEPTED = "accepted", _("Accepted at the formal check")
        RETURNED = "returned", _("Returned for correction")
        REJECTED = "rejected", _("Rejected as ineligible")
        REVIEWERS_ASSIGNED = "reviewers_assigned", _("Reviewers assigned")
        REVIEWER_DECLINED = "reviewer_declined", _("A reviewer declined (conflict of interest)")
        REVIEWER_REPLACED = "reviewer_replaced", _("A reviewer was replaced")
        REVIEW_SUBMITTED = "review_submitted", _("A review was submitted")
        RESULT_DECIDED = "result_decided", _("Result decided")
        INSPECTED = "inspected", _("On-site inspection recorded")
        COMMITTEE_APPROVED = "committee_approved", _("Approved by the committee")
        COMMITTEE_REJECTED = "committee_rejected", _("Not approved by the committee")
        NOTICE_PUBLISHED = "notice_published", _("Published for public notice")
        NOTICE_PERIOD_CHANGED = "notice_period_changed", _("Notice period changed")
        OBJECTION_UPHELD = "objection_upheld", _("Objection upheld")
        OBJECTION_DISMISSED = "objection_dismissed", _("Objection dismissed")
        GRANTED = "granted", _("Title granted")
        EXPOSED = "exposed", _("Published on the exposure list")
        STATEMENT_INVITED = "statement_invited", _("Told of a proposed outcome and invited to respond")
        STATEMENT_FILED = "statement_filed", _("Statement filed (陈述申辩)")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("reason or detail"), blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
