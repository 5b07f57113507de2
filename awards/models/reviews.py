from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models.applications import Application
from awards.models.programs import Criterion, Enterprise


class ConflictOfInterest(models.Model):
    """A reviewer's declaration that they must not review an enterprise."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts", verbose_name=_("reviewer")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="conflicts", verbose_name=_("enterprise")
    )
    reason = models.CharField(_("reason"), max_length=500)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["reviewer", "enterprise"], name="one_conflict_per_pair")]

    def __str__(self) -> str:
        return f"{self.reviewer} ↔ {self.enterprise}"


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    DECLINED = "declined", _("Declined: conflict of interest")
    SUBMITTED = "submitted", _("Submitted")


class ReviewQuerySet(models.QuerySet):
    def open(self) -> ReviewQuerySet:
        return self.filter(status=ReviewStatus.ASSIGNED)

    def overdue(self, now=None) -> ReviewQuerySet:
        return self.open().filter(due_at__lt=now or timezone.now())


class Review(models.Model):
    """One reviewer's independent scoring of one application (评审)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("reviewer")
    )
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer_and_application"),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="submitted_review_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application}"

    def is_overdue(self, now=None) -> bool:
        return self.status == ReviewStatus.ASSIGNED and self.due_at < (now or timezone.now())


class Score(models.Model):
    """A reviewer's points for one criterion, or for a veto item whether it applies."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    veto_applies = models.BooleanField(_("applies"), null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(points__isnull=True) | Q(points__gte=0), name="score_nonnegative"),
            models.CheckConstraint(
                condition=Q(points__isnull=False) | Q(veto_applies__isnull=False), name="score_has_a_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points if self.points is not None else self.veto_applies}"


class Tier(models.TextChoices):
    A = "A", _("A · trustworthy")
    B = "B", _("B · warning")
    C = "C", _("C · untrustworthy")
    D = "D", _("D · seriously untrustworthy")


class ReviewResult(models.Model):
    """The aggregated result of an application, with the trace of how it was reached."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="result")
    final_score = models.DecimalField(_("final score"), max_digits=6, decimal_places=2)
    tier = models.CharField(_("credit tier"), max_length=1, choices=Tier.choices)
    spread_flagged = models.BooleanField(_("spread between reviewers flagged"), default=False)
    veto_fired = models.BooleanField(_("veto item confirmed"), default=False)
    rule_version = models.CharField(_("rule version"), max_length=20)
    explanation = models.JSONField(_("explanation"))
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.CheckConstraint(
                condition=Q(final_score__gte=0) & Q(final_score__lte=100), name="result_score_in_range"
            ),
            models.CheckConstraint(condition=~Q(veto_fired=True) | Q(tier="D"), name="veto_means_tier_d"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.tier} ({self.final_score})"


class Inspection(models.Model):
    """The on-site acceptance inspection of an education base (现场验收)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="inspection")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    inspected_on = models.DateField(_("date of the inspection"))
    passed = models.BooleanField(_("passed"))
    notes = models.TextField(_("findings"), max_length=5000)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("on-site inspection")
        verbose_name_plural = _("on-site inspections")

    def __str__(self) -> str:
        return f"{self.application}: {'✓' if self.passed else '✗'}"
