from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import Application, Enterprise, Program
from awards.models.programs import ENTERPRISE_NAME_MAX_LENGTH


class SerialCounter(models.Model):
    """The last sequence number used for a serial prefix and year; locked while a serial is allocated."""

    prefix = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_and_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class CertificateQuerySet(models.QuerySet):
    """The status rule (`title_status`) as filters: each gives exactly the titles the rule gives that status."""

    def with_status(self, status: str, today: datetime.date | None = None) -> CertificateQuerySet:
        """Titles whose status on `today` is `status` (pending, valid, suspended, revoked or expired)."""
        return self.filter(status_condition(status, today or timezone.localdate()))

    def currently_valid(self, today: datetime.date | None = None) -> CertificateQuerySet:
        """Titles in force today: started, neither suspended, revoked nor past their validity."""
        return self.with_status(CertificateStatus.VALID, today)

    def not_yet_in_force(self, today: datetime.date | None = None) -> CertificateQuerySet:
        """Titles granted and not suspended or revoked, whose first day is still ahead."""
        return self.with_status(CertificateStatus.PENDING, today)

    def on_the_honour_roll(self, today: datetime.date | None = None) -> CertificateQuerySet:
        """Titles in force today and titles granted but not yet in force: recorded valid and not past validity."""
        today = today or timezone.localdate()
        return self.filter(status=CertificateStatus.VALID, valid_until__gte=today)


class CertificateStatus(models.TextChoices):
    # Pending (granted, before its first day) and expired are derived from the dates, never recorded.
    PENDING = "pending", _("Not yet in force")
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


DERIVED_STATUSES = frozenset({CertificateStatus.PENDING, CertificateStatus.EXPIRED})
RECORDED_STATUS_CHOICES = [c for c in CertificateStatus.choices if c[0] not in DERIVED_STATUSES]


def title_status(
    recorded: str, valid_from: datetime.date, valid_until: datetime.date, today: datetime.date
) -> CertificateStatus:
    """A title's status on `today`: the one rule behind every page, list, JSON and e-mail.

    A revocation is final and shows whatever the dates; past its last day a title has expired, suspended or not;
    a suspension shows while the case runs, even before the first day; a title recorded valid is not yet in force
    (pending) before its first day and in force (valid) from its first day to its last, both included.
    """
    if recorded == CertificateStatus.REVOKED:
        return CertificateStatus.REVOKED
    if today > valid_until:
        return CertificateStatus.EXPIRED
    if recorded == CertificateStatus.SUSPENDED:
        return CertificateStatus.SUSPENDED
    if today < valid_from:
        return CertificateStatus.PENDING
    return CertificateStatus.VALID


def status_condition(status: str, today: datetime.date) -> Q:
    """The rows to which `title_status` gives `status` on `today`, as a condition for a query."""
    not_ended = Q(valid_until__gte=today)
    return {
        CertificateStatus.PENDING: Q(status=CertificateStatus.VALID, valid_from__gt=today) & not_ended,
        CertificateStatus.VALID: Q(status=CertificateStatus.VALID, valid_from__lte=today) & not_ended,
        CertificateStatus.SUSPENDED: Q(status=CertificateStatus.SUSPENDED) & not_ended,
        CertificateStatus.REVOKED: Q(status=CertificateStatus.REVOKED),
        CertificateStatus.EXPIRED: ~Q(status=CertificateStatus.REVOKED) & Q(valid_until__lt=today),
    }[CertificateStatus(status)]


class Certificate(models.Model):
    """A granted title (称号) with its serial number and validity."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="certificates")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="certificates")
    # What the title vouches for: the enterprise as it was verified at the grant. Nothing the enterprise edits
    # later changes what a printed QR code says; an approved change of name is shown beside it.
    enterprise_name = models.CharField(_("enterprise name as granted"), max_length=ENTERPRISE_NAME_MAX_LENGTH)
    enterprise_uscc = models.CharField(_("unified social credit code as granted"), max_length=18, db_index=True)
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    # The honour roll's sort keys, copied at the grant so that one index gives the roll's order: the programme's
    # year never changes, and the roll lists a title under its holder's district as granted, like its name.
    year = models.PositiveSmallIntegerField(_("year"), default=0)
    district_code = models.CharField(_("district as granted"), max_length=12, blank=True, default="")
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # Suspension and revocation are recorded; expiry is derived from the dates, so nobody has to act.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RECORDED_STATUS_CHOICES,
        default=CertificateStatus.VALID,
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["serial"]
        indexes = [
            # The honour roll walks this index in order (or backwards, for a page in the later half): no sort of
            # the roll per request. Only titles recorded as valid are in it; the dates are checked on the rows.
            models.Index(
                models.F("year").desc(),
                "district_code",
                "serial",
                condition=Q(status="valid"),
                name="honour_roll_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="certificate_validity"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="certificate_sequence_positive"),
        ]

    def __str__(self) -> str:
        return self.serial

    def current_status(self, today: datetime.date | None = None) -> CertificateStatus:
        """The title's status today (or on `today`) by the one rule, `title_status`."""
        return title_status(self.status, self.valid_from, self.valid_until, today or timezone.localdate())


class CertificateEvent(models.Model):
    """A change of a title's status, or of the holder's name by an approved change request: who, when and why.

    Append-only.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=RECORDED_STATUS_CHOICES)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("title status change")
        verbose_name_plural = _("title status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate} → {self.status}"


class SupervisionKind(models.TextChoices):
    COMPLAINT = "complaint", _("Consumer complaint")
    INSPECTION = "inspection", _("Inspection finding")
    PENALTY = "penalty", _("Administrative penalty")


class SupervisionRecord(models.Model):
    """A complaint, inspection finding or penalty noted against an enterprise after the award (日常监督记录)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="supervision_records", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupervisionKind.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("what happened"), max_length=5000)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("E.g. 12315 complaint number."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("supervision record")
        verbose_name_plural = _("supervision records")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.get_kind_display()} {self.occurred_on}"


class CaseDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    RESTORE = "restore", _("Restore the title")
    REVOKE = "revoke", _("Revoke the title")


class RevocationCase(models.Model):
    """A case against a granted title: suspended while it runs, decided by the committee, open to appeal."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="cases")
    grounds = models.TextField(_("grounds"), max_length=5000)
    records = models.ManyToManyField(SupervisionRecord, blank=True, related_name="cases", verbose_name=_("records"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    response_due = models.DateTimeField(_("response due"))
    response = models.TextField(_("the enterprise's response"), blank=True, max_length=5000)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=CaseDecision.choices, default=CaseDecision.PENDING
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    appeal_due = models.DateTimeField(_("appeal due"), null=True, blank=True)
    appeal = models.TextField(_("appeal"), blank=True, max_length=5000)
    appealed_at = models.DateTimeField(_("appealed"), null=True, blank=True)
    appeal_decision = models.CharField(
        _("decision on the appeal"), max_length=20, choices=CaseDecision.choices, default=CaseDecision.PENDING
    )
    appeal_reason = models.TextField(_("reason for the decision on the appeal"), blank=True)

    class Meta:
        verbose_name = _("revocation case")
        verbose_name_plural = _("revocation cases")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=CaseDecision.PENDING) | ~Q(decision_reason=""), name="case_decision_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.opened_at:%Y-%m-%d}"


# After the award: the service commitments a holder publishes with its title, and the visits that check them.


class CommitmentQuerySet(models.QuerySet):
    def published(self) -> CommitmentQuerySet:
        """The commitments in force: recorded with the title and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class TitleCommitment(models.Model):
    """A service commitment (服务承诺) published with a title, e.g. 七日无理由退货.

    Withdrawing one only marks it: the visits that checked it keep what they checked, and the history says who
    published and withdrew what, when and why.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="commitments")
    text = models.CharField(_("commitment"), max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("published"), default=timezone.now)
    added_reason = models.TextField(_("reason"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("service commitment")
        verbose_name_plural = _("service commitments")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "text"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_published_commitment_per_text",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class VisitKind(models.TextChoices):
    RETURN_VISIT = "return_visit", _("Return visit")
    CONSUMER_EXPERIENCE = "consumer_experience", _("Consumer experience check")


class FollowUpVisit(models.Model):
    """A return visit (回访) or a consumer experience check (消费体验) of a title's published commitments."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(_("kind"), max_length=30, choices=VisitKind.choices)
    visited_on = models.DateField(_("date"))
    commitments = models.ManyToManyField(TitleCommitment, related_name="visits", verbose_name=_("commitments checked"))
    passed = models.BooleanField(_("passed"))
    findings = models.TextField(_("findings"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    case = models.ForeignKey(
        RevocationCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("revocation case opened from it"),
    )

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(passed=False), name="only_a_failed_visit_opens_a_case"
            ),
            models.CheckConstraint(condition=Q(passed=True) | ~Q(findings=""), name="a_failed_visit_has_findings"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.get_kind_display()} {self.visited_on}"


def visit_attachment_path(instance: VisitAttachment, filename: str) -> str:
    # A random name: the original name is user input and may reveal or collide with anything.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"visits/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class VisitAttachment(models.Model):
    """A photo or document of a follow-up visit, checked like every upload and kept in the private storage."""

    visit = models.ForeignKey(FollowUpVisit, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=visit_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("visit attachment")
        verbose_name_plural = _("visit attachments")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="visit_attachment_not_empty")]

    def __str__(self) -> str:
        return self.original_name
