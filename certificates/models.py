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


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Certificate(models.Model):
    """A granted title (称号) with its serial number and validity."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="certificates")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="certificates")
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # Suspension and revocation are recorded; expiry is derived from the dates, so nobody has to act.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=[c for c in CertificateStatus.choices if c[0] != CertificateStatus.EXPIRED],
        default=CertificateStatus.VALID,
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["serial"]
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
