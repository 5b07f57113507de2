"""The enterprise's right to be heard (陈述申辩) before the committee decides against it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from awards.models.applications import Application


class StatementSubject(models.TextChoices):
    RESULT = "result", _("Proposed result")
    REVOCATION = "revocation", _("Proposed revocation of the title")


class StatementQuerySet(models.QuerySet):
    def ready(self, now: datetime.datetime | None = None) -> StatementQuerySet:
        """Statements the committee may decide on: the enterprise has responded or its time is over."""
        return self.filter(Q(responded_at__isnull=False) | Q(due_at__lte=now or timezone.now()))

    def within_time(self, now: datetime.datetime | None = None) -> StatementQuerySet:
        return self.filter(responded_at__isnull=True, due_at__gt=now or timezone.now())


class Statement(models.Model):
    """One proposed outcome the enterprise was told of, its reasons, and its response with evidence.

    Used for a proposed C or D result and for a revocation case alike; the evidence files are attachments of the
    application that point here. Append-only in effect: the response is written once.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="statements", verbose_name=_("application")
    )
    subject = models.CharField(_("subject"), max_length=20, choices=StatementSubject.choices)
    case = models.OneToOneField(
        "certificates.RevocationCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement",
        verbose_name=_("revocation case"),
    )
    proposal = models.CharField(_("proposed outcome"), max_length=200)
    # The proposed tier of a result (C or D), which the statement is about; empty for a revocation.
    tier = models.CharField(_("proposed tier"), max_length=1, blank=True)
    reasons = models.TextField(_("reasons"), max_length=5000)
    working_days = models.PositiveSmallIntegerField(_("working days to respond"))
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notified_at = models.DateTimeField(_("notified"), default=timezone.now)
    due_at = models.DateTimeField(_("response due"))
    response = models.TextField(_("the enterprise's statement"), blank=True, max_length=5000)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement (right to be heard)")
        verbose_name_plural = _("statements (right to be heard)")
        ordering = ["-notified_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=models.F("notified_at")), name="statement_due_after_notice"),
            models.CheckConstraint(
                condition=Q(subject="result", case__isnull=True) | Q(subject="revocation", case__isnull=False),
                name="statement_case_only_for_revocation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.proposal}"

    @property
    def due_display(self) -> str:
        """The deadline as people write it: its last day "24:00" rather than the next day's "00:00"."""
        return deadline_text(self.due_at, date_format)

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """The enterprise may still respond."""
        return self.responded_at is None and (now or timezone.now()) < self.due_at

    def is_ready(self, now: datetime.datetime | None = None) -> bool:
        return self.responded_at is not None or (now or timezone.now()) >= self.due_at


def deadline_text(moment: datetime.datetime, format_date=None) -> str:
    """A deadline that ends a day (00:00 of the next) as that day's 24:00: 2026-12-07 24:00, not 2026-12-08 00:00."""
    local = timezone.localtime(moment)
    format_date = format_date or (lambda day, _format: day.isoformat())
    if local.time() == datetime.time(0, 0):
        return f"{format_date(local.date() - datetime.timedelta(days=1), 'DATE_FORMAT')} 24:00"
    return f"{format_date(local.date(), 'DATE_FORMAT')} {local:%H:%M}"
