"""A sector evaluation (综合评议): its plan, and the evidence that grades every enrolled enterprise.

Each enrolled enterprise is an `awards.Application` of an evaluation programme (enrolled=True); the evidence here
points at it. The plan says which sources count and how much; `evaluations.rule` turns the figures into a score
and a tier; the result is an `awards.ReviewResult` like any other, with the whole trace in its explanation.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import Application, Program, attachment_path

# The six aspects associations assess a dealer on; an organizer may rename, add or remove them.
DEFAULT_ASPECTS = (
    "主体资格",
    "经营行为",
    "商品质量",
    "服务质量",
    "消费维权",
    "社会评价",
)


class EvaluationPlan(models.Model):
    """评议方案: the period, the sources with their weights, the minimum questionnaire sample and the tier rule."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="evaluation_plan", verbose_name=_("programme")
    )
    period_start = models.DateField(_("evaluation period from"))
    period_end = models.DateField(_("evaluation period until"))
    questionnaire_weight = models.PositiveSmallIntegerField(
        _("weight of the questionnaire survey (%)"), default=40, validators=[MaxValueValidator(100)]
    )
    hearing_weight = models.PositiveSmallIntegerField(
        _("weight of the hearings (%)"), default=40, validators=[MaxValueValidator(100)]
    )
    review_weight = models.PositiveSmallIntegerField(
        _("weight of the reviewers' scores (%)"), default=20, validators=[MaxValueValidator(100)]
    )
    min_sample = models.PositiveSmallIntegerField(
        _("minimum questionnaire sample"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Below this many answers the questionnaire does not count and the enterprise is flagged."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation plan")
        verbose_name_plural = _("evaluation plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_ordered",
                violation_error_message=_("The evaluation period must end on or after its first day."),
            ),
            models.CheckConstraint(
                condition=Q(
                    questionnaire_weight__lte=100,
                    hearing_weight__lte=100,
                    review_weight__lte=100,
                ),
                name="plan_weights_at_most_100",
                violation_error_message=_("No source may weigh more than 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.program)


class Aspect(models.Model):
    """One aspect enterprises are assessed on; questionnaire questions and hearing scores belong to one."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="aspects")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("aspect"), max_length=100)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1)], help_text=_("Relative to the other aspects.")
    )

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="aspect_position_unique"),
            models.UniqueConstraint(fields=["plan", "title"], name="aspect_title_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="aspect_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    """A question of the public questionnaire, answered on a five-point scale (1 very poor … 5 very good)."""

    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="questions", verbose_name=_("aspect"))
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["aspect__position", "position"]
        verbose_name = _("questionnaire question")
        verbose_name_plural = _("questionnaire questions")
        constraints = [models.UniqueConstraint(fields=["aspect", "position"], name="question_position_unique")]

    def __str__(self) -> str:
        return self.text


class SurveyChannel(models.TextChoices):
    WEB = "web", _("Online (QR code or link)")
    PAPER = "paper", _("Paper questionnaire entered by the organizer")


class SurveyResponse(models.Model):
    """One filled-in questionnaire about one enterprise.

    `score` (0–100) is the answers' aspect-weighted mean, fixed when the answer is stored, so that grading a whole
    sector is one aggregate query; `answers` keeps every answer for the breakdown. Online answers carry keyed
    hashes of the device and the phone number: one answer per device and per number and enterprise, without
    keeping the number itself.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("enterprise")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=SurveyChannel.choices)
    answers = models.JSONField(_("answers"))  # {question id: 1..5}
    aspect_scores = models.JSONField(_("aspect scores"))  # {aspect id: "0.00".."100.00"}
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    device_hash = models.CharField(max_length=64, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    paper_reference = models.CharField(_("paper questionnaire number"), max_length=50, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "device_hash"],
                condition=~Q(device_hash=""),
                name="one_answer_per_device",
                violation_error_message=_("This device has already answered the questionnaire for this enterprise."),
            ),
            models.UniqueConstraint(
                fields=["application", "phone_hash"],
                condition=~Q(phone_hash=""),
                name="one_answer_per_phone",
                violation_error_message=_("This phone number has already answered for this enterprise."),
            ),
            models.UniqueConstraint(
                fields=["application", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="one_entry_per_paper_questionnaire",
                violation_error_message=_("This paper questionnaire has already been entered."),
            ),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="survey_score_in_range"),
        ]
        indexes = [models.Index(fields=["application", "created_at"], name="survey_by_application")]

    def __str__(self) -> str:
        return f"{self.application} {self.score}"


class HearingSession(models.Model):
    """听证评议: a hearing on a date and at a place, its panel and the enterprises heard."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField(_("date of the hearing"))
    place = models.CharField(_("place"), max_length=200)
    minutes = models.FileField(_("minutes"), upload_to=attachment_path, max_length=200, blank=True)
    minutes_name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


class PanelRole(models.TextChoices):
    CONSUMER = "consumer", _("Consumer representative")
    DEPUTY = "deputy", _("People's congress deputy or CPPCC member")
    EXPERT = "expert", _("Expert")
    REGULATOR = "regulator", _("Regulator")
    ASSOCIATION = "association", _("Trade association")


class HearingPanelist(models.Model):
    session = models.ForeignKey(HearingSession, on_delete=models.CASCADE, related_name="panelists")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=PanelRole.choices)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [models.UniqueConstraint(fields=["session", "name"], name="panelist_unique_in_session")]

    def __str__(self) -> str:
        return self.name


class HearingScore(models.Model):
    """One panel member's score (0–100) of one aspect of one enterprise heard."""

    panelist = models.ForeignKey(HearingPanelist, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="hearing_scores")
    aspect = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="hearing_scores")
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("hearing score")
        verbose_name_plural = _("hearing scores")
        constraints = [
            models.UniqueConstraint(
                fields=["panelist", "application", "aspect"],
                name="hearing_score_once",
                violation_error_message=_("This panel member has already scored this aspect of this enterprise."),
            ),
            models.CheckConstraint(condition=Q(points__gte=0) & Q(points__lte=100), name="hearing_points_in_range"),
        ]
        indexes = [models.Index(fields=["application"], name="hearing_score_by_application")]

    def __str__(self) -> str:
        return f"{self.panelist}: {self.aspect} {self.points}"


class RecordKind(models.TextChoices):
    COMPLAINT = "complaint", _("Consumer complaint")
    INSPECTION = "inspection", _("Inspection finding")
    PENALTY = "penalty", _("Administrative penalty")
    FOLLOW_UP = "follow_up", _("Follow-up visit (回访)")
    MYSTERY_SHOPPING = "mystery_shopping", _("Consumer experience check (消费体验)")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")


class DeductionRule(models.Model):
    """How many points a supervision record of a kind and severity deducts, or whether it vetoes (tier D)."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="deduction_rules")
    kind = models.CharField(_("kind of record"), max_length=20, choices=RecordKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    points = models.DecimalField(
        _("points deducted"), max_digits=5, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    is_veto = models.BooleanField(_("veto: tier D whatever the score"), default=False)

    class Meta:
        ordering = ["plan", "kind", "severity"]
        verbose_name = _("deduction rule")
        verbose_name_plural = _("deduction rules")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "severity"], name="deduction_rule_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="deduction_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_severity_display()}"


class SupervisionRecord(models.Model):
    """日常监督记录: a complaint, finding, penalty, follow-up visit or experience check about one enterprise."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="supervision_records")
    kind = models.CharField(_("kind of record"), max_length=20, choices=RecordKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=500)
    reference = models.CharField(_("file number"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["application", "occurred_on", "pk"]
        verbose_name = _("supervision record")
        verbose_name_plural = _("supervision records")
        indexes = [models.Index(fields=["application", "occurred_on"], name="record_by_application")]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "reference"],
                condition=~Q(reference=""),
                name="record_reference_unique",
                violation_error_message=_("A record with this file number has already been entered."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class GradingRun(models.Model):
    """One grading of the whole sector: when, by whom, and how many enterprises fell in each tier or were flagged."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="grading_runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rule_version = models.CharField(_("rule version"), max_length=20)
    counts = models.JSONField(_("enterprises per tier"), default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("grading run")
        verbose_name_plural = _("grading runs")

    def __str__(self) -> str:
        return f"{self.program} {self.started_at:%Y-%m-%d %H:%M}"


# --- exposure-list entries and their credit repair (信用修复) ------------------------------------------------------


class CreditClass(models.TextChoices):
    """The class of a breach of trust under the credit-repair rules; evaluations.credit_rules holds its periods."""

    MINOR = "minor", _("Minor (轻微)")
    GENERAL = "general", _("General (一般)")
    SERIOUS = "serious", _("Serious (严重)")


def displayed_on(today=None) -> Q:
    """An exposure entry is on the public list on `today`: within its display period and not repaired.

    The same rule as ExposureEntry.is_displayed and evaluations.credit_rules.is_displayed, as a query condition.
    """
    today = today or timezone.localdate()
    return Q(repaired_at__isnull=True, display_from__lte=today, display_until__gte=today)


class ExposureEntryQuerySet(models.QuerySet):
    def displayed(self, today=None) -> ExposureEntryQuerySet:
        """Entries on the public list on `today`."""
        return self.filter(displayed_on(today))


class ExposureEntry(models.Model):
    """One enterprise's entry on the exposure list (失信名单): its class, its display period, and its repair.

    Created when the application is exposed (evaluations.repair.exposure_entry_open); never deleted. It leaves the
    public list when it is repaired or when its last display day has passed, whoever reads it first.
    """

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="exposure_entry", verbose_name=_("enterprise")
    )
    credit_class = models.CharField(_("class of breach"), max_length=10, choices=CreditClass.choices)
    display_months = models.PositiveSmallIntegerField(_("display period (months)"))
    display_from = models.DateField(_("displayed from"))
    display_until = models.DateField(_("displayed until"))
    repair_from = models.DateField(_("repair may be asked for from"))
    repaired_at = models.DateTimeField(_("repaired"), null=True, blank=True)
    display_ended_at = models.DateTimeField(_("end of display recorded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ExposureEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-display_from", "pk"]
        verbose_name = _("exposure-list entry")
        verbose_name_plural = _("exposure-list entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(display_until__gte=models.F("display_from")), name="exposure_display_ordered"
            ),
            models.CheckConstraint(condition=Q(display_months__gte=1), name="exposure_display_months_positive"),
        ]
        indexes = [models.Index(fields=["display_until", "repaired_at"], name="exposure_by_display_end")]

    def __str__(self) -> str:
        return str(self.application.enterprise)

    def is_displayed(self, today=None) -> bool:
        from evaluations.credit_rules import is_displayed

        today = today or timezone.localdate()
        return is_displayed(self.display_from, self.display_until, self.repaired_at is not None, today)


class ExposureEvent(models.Model):
    """Who did what to an exposure-list entry, when and why. Append-only."""

    class Action(models.TextChoices):
        LISTED = "listed", _("Published on the exposure list")
        CLASSIFIED = "classified", _("Class and display period set")
        REPAIR_REQUESTED = "repair_requested", _("Credit repair asked for")
        REPAIRED = "repaired", _("Credit repaired: removed from the public list")
        REPAIR_REFUSED = "repair_refused", _("Credit repair refused")
        DISPLAY_ENDED = "display_ended", _("Display period ended")

    entry = models.ForeignKey(ExposureEntry, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("reason or detail"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("exposure-list event")
        verbose_name_plural = _("exposure-list events")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class RepairOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the organizer's decision")
    REPAIRED = "repaired", _("Repaired")
    REFUSED = "refused", _("Refused")


class RepairRequest(models.Model):
    """An enterprise's request for credit repair: its correction, evidence, credit pledge, and the decision."""

    entry = models.ForeignKey(ExposureEntry, on_delete=models.PROTECT, related_name="repair_requests")
    correction = models.TextField(_("how the breach was corrected"))
    evidence = models.FileField(_("evidence of correction"), upload_to=attachment_path, max_length=200)
    evidence_name = models.CharField(max_length=255)
    evidence_type = models.CharField(max_length=50)
    evidence_sha256 = models.CharField(max_length=64)
    pledge = models.TextField(_("credit pledge (信用承诺)"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("asked for"), default=timezone.now)
    decide_by = models.DateField(_("decision due by"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=RepairOutcome.choices, default=RepairOutcome.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("credit repair request")
        verbose_name_plural = _("credit repair requests")
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(outcome="pending"),
                name="one_pending_repair_per_entry",
                violation_error_message=_("A request for credit repair of this entry is already awaiting a decision."),
            ),
        ]
        indexes = [models.Index(fields=["outcome", "decide_by"], name="repair_queue")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_outcome_display()}"
