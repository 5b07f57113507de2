from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import Application, Enterprise, Program


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
    def currently_valid(self, today: datetime.date | None = None) -> CertificateQuerySet:
        """Titles in force today: neither suspended, revoked nor past their validity."""
        today = today or timezone.localdate()
        return self.filter(status=CertificateStatus.VALID, valid_from__lte=today, valid_until__gte=today)


class CertificateStatus(models.TextChoices):
    # Pending (granted, before its first day) and expired are derived from the dates, never recorded.
    PENDING = "pending", _("Not yet in force")
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


DERIVED_STATUSES = frozenset({CertificateStatus.PENDING, CertificateStatus.EXPIRED})
RECORDED_STATUS_CHOICES = [c for c in CertificateStatus.choices if c[0] not in DERIVED_STATUSES]


class Certificate(models.Model):
    """A granted title (称号) with its serial number and validity."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="certificates")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="certificates")
    # What the title vouches for: the enterprise as it was verified at the grant. Nothing the enterprise edits
    # later changes what a printed QR code says; an approved change of name is shown beside it.
    enterprise_name = models.CharField(_("enterprise name as granted"), max_length=200)
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

    def current_status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.status == CertificateStatus.VALID and today > self.valid_until:
            return CertificateStatus.EXPIRED
        return self.status


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
