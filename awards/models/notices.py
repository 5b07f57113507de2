from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models.applications import Application, attachment_path
from awards.models.programs import Program


class CalendarDay(models.Model):
    """A day that breaks the plain Monday-to-Friday rule: a holiday on a weekday or a make-up working day."""

    day = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.note}"


class NoticeKind(models.TextChoices):
    HONOURS = "honours", _("Recommended list")
    EXPOSURE = "exposure", _("List of serious breaches of trust")


class NoticeQuerySet(models.QuerySet):
    def open(self, now=None) -> NoticeQuerySet:
        now = now or timezone.now()
        return self.filter(published_at__lte=now, closes_at__gt=now)


class Notice(models.Model):
    """A list published for public comment during a period of working days (公示)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="notices", verbose_name=_("programme"))
    kind = models.CharField(_("kind of list"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.HONOURS)
    title = models.CharField(_("title"), max_length=200)
    published_at = models.DateTimeField(_("published"))
    closes_at = models.DateTimeField(_("objections accepted until"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("published_at")), name="notice_period_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        return self.published_at <= (now or timezone.now()) < self.closes_at

    @property
    def published_closes_at(self):
        """The closing time as published, if the notice now closes at another time; else None."""
        changes = self.changes.all()  # oldest first; prefetched on the public page
        if changes and changes[0].previous_closes_at != self.closes_at:
            return changes[0].previous_closes_at
        return None


class NoticeChange(models.Model):
    """A change of a notice's closing time (公示期调整), extended or corrected, with its reason. Append-only."""

    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="changes", verbose_name=_("public notice")
    )
    previous_closes_at = models.DateTimeField(_("closing time before the change"))
    closes_at = models.DateTimeField(_("new closing time"))
    reason = models.TextField(_("reason"), max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("change of a notice period")
        verbose_name_plural = _("changes of notice periods")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="notice_change_has_reason"),
            models.CheckConstraint(
                condition=~Q(closes_at=models.F("previous_closes_at")), name="notice_change_changes_the_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} · {self.changed_at:%Y-%m-%d %H:%M}"


def new_tracking_number() -> str:
    # Unguessable, so that a number reveals only the outcome of its own objection.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "YY" + "".join(secrets.choice(alphabet) for _ in range(10))


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", _("Being verified")
    UPHELD = "upheld", _("Upheld: the candidate is removed")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection against a candidate during a public notice (异议). The objector's identity stays confidential."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    tracking_number = models.CharField(_("tracking number"), max_length=12, unique=True, default=new_tracking_number)
    objector_name = models.CharField(_("your real name"), max_length=50)
    objector_phone = models.CharField(_("your phone"), max_length=20)
    statement = models.TextField(_("statement"), max_length=5000)
    evidence = models.FileField(_("evidence"), upload_to=attachment_path, max_length=200, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("filed"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ObjectionOutcome.choices, default=ObjectionOutcome.PENDING
    )
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ObjectionOutcome.PENDING) | (Q(verified_at__isnull=False) & ~Q(outcome_reason="")),
                name="verified_objection_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_number
