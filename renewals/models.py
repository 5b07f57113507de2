"""Renewal cycles (复评): the reminders sent before a title expires and the applications that renew a title."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import Application
from certificates.models import Certificate


class ExpiryReminder(models.Model):
    """A reminder sent to a title's holder some days before the title expires; one per title and threshold."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="expiry_reminders", verbose_name=_("title")
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.CharField(_("sent to"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        ordering = ["certificate", "-days_before"]
        constraints = [
            # Two workers running the periodic work at once cannot both send the same reminder.
            models.UniqueConstraint(fields=["certificate", "days_before"], name="one_reminder_per_title_and_threshold"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.days_before}"


class RenewalSource(models.TextChoices):
    APPLICANT = "applicant", _("Started by the holder")
    COHORT = "cohort", _("Enrolled with a cohort by the organizer")


class TitleRenewal(models.Model):
    """An application that renews a title (复评): which title, how it was started, by whom and when."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="renewals", verbose_name=_("title")
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="renewal", verbose_name=_("application")
    )
    prefilled_from = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prefilled from"),
    )
    source = models.CharField(_("started"), max_length=20, choices=RenewalSource.choices)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)

    class Meta:
        verbose_name = _("title renewal")
        verbose_name_plural = _("title renewals")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prefilled_from__isnull=True) | ~Q(prefilled_from=models.F("application")),
                name="renewal_not_prefilled_from_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} → {self.application}"
