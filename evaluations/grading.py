"""The grading run of a sector evaluation: every enrolled enterprise graded in a handful of queries in all.

One aggregate query per source (questionnaire mean and sample, hearing means per aspect, reviewers' totals), one for
the supervision records in the plan's period, then `evaluations.rule.grade` per enterprise in Python, and the results
written in bulk. The hearing score is aspect-weighted: the panel's mean per aspect, weighted by the aspects' weights
over the aspects the enterprise was scored on. A run before publication replaces the previous results; an enterprise
already on notice or concluded is left alone.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, ApplicationEvent, ApplicationStatus, Program, ReviewResult
from awards.models.reviews import ReviewStatus, Score
from evaluations.models import (
    DeductionRule,
    EvaluationPlan,
    GradingRun,
    HearingScore,
    SupervisionRecord,
    SurveyResponse,
)
from evaluations.plan import PlanError, evaluation_rule
from evaluations.rule import CENT, Flag, Grade, RecordDeduction, Source, SourceFigure, grade

# Statuses a grading run may (re)grade: enrolled and not yet on notice.
GRADABLE = (ApplicationStatus.IN_REVIEW, ApplicationStatus.GRADED, ApplicationStatus.APPROVED)
BATCH = 1000
HUNDRED = Decimal(100)


def grading_run(program: Program, user) -> GradingRun:
    """Grade every enrolled enterprise of the programme not yet on notice; A and D become notice candidates."""
    plan = EvaluationPlan.objects.select_related("program").filter(program=program).first()
    if plan is None:
        raise PlanError(_("This programme has no evaluation plan yet. Set up the plan before grading."))
    rule = evaluation_rule(plan)
    started = timezone.now()
    with transaction.atomic():
        applications = dict(
            Application.objects.select_for_update()
            .filter(program=program, enrolled=True, status__in=GRADABLE)
            .values_list("pk", "status")
        )
        figures = _figures(plan, program)
        records = _records(plan, program)
        grades = {pk: grade(figures.get(pk, _no_figures(plan)), records.get(pk, ()), rule) for pk in applications}
        _write(program, user, applications, grades)
        counts = _counts(grades)
        return GradingRun.objects.create(
            program=program,
            started_by=user,
            started_at=started,
            finished_at=timezone.now(),
            rule_version=rule.version,
            counts=counts,
        )


def _no_figures(plan: EvaluationPlan) -> list[SourceFigure]:
    return [
        SourceFigure(Source.QUESTIONNAIRE, plan.questionnaire_weight, None),
        SourceFigure(Source.HEARING, plan.hearing_weight, None),
        SourceFigure(Source.REVIEW, plan.review_weight, None),
    ]


def _figures(plan: EvaluationPlan, program: Program) -> dict[int, list[SourceFigure]]:
    """Each application's three source figures: one aggregate query per source."""
    survey = {
        row["application_id"]: (row["mean"], row["sample"])
        for row in SurveyResponse.objects.filter(application__program=program)
        .values("application_id")
        .annotate(mean=Avg("score"), sample=Count("id"))
        .order_by()
    }
    weights = dict(plan.aspects.values_list("pk", "weight"))
    hearing_parts: dict[int, list[tuple[Decimal, int, int]]] = defaultdict(list)
    for row in (
        HearingScore.objects.filter(application__program=program)
        .values("application_id", "aspect_id")
        .annotate(mean=Avg("points"), panel=Count("panelist_id", distinct=True))
        .order_by()
    ):
        hearing_parts[row["application_id"]].append(
            (Decimal(row["mean"]), weights.get(row["aspect_id"], 1), row["panel"])
        )
    hearing = {
        pk: (
            sum(mean * weight for mean, weight, _n in parts) / sum(weight for _m, weight, _n in parts),
            max(n for _m, _w, n in parts),
        )
        for pk, parts in hearing_parts.items()
    }
    review = {
        row["review__application_id"]: (Decimal(row["total"]) / row["reviews"], row["reviews"])
        for row in Score.objects.filter(review__application__program=program, review__status=ReviewStatus.SUBMITTED)
        .values("review__application_id")
        .annotate(total=Sum("points"), reviews=Count("review_id", distinct=True))
        .order_by()
        if row["total"] is not None
    }
    keys = set(survey) | set(hearing) | set(review)
    return {
        pk: [
            _figure(Source.QUESTIONNAIRE, plan.questionnaire_weight, survey.get(pk)),
            _figure(Source.HEARING, plan.hearing_weight, hearing.get(pk)),
            _figure(Source.REVIEW, plan.review_weight, review.get(pk)),
        ]
        for pk in keys
    }


def _figure(source: str, weight: int, value: tuple | None) -> SourceFigure:
    if value is None:
        return SourceFigure(source, weight, None)
    mean, sample = value
    score = min(HUNDRED, max(Decimal(0), Decimal(mean))).quantize(CENT)
    return SourceFigure(source, weight, score, sample)


def _records(plan: EvaluationPlan, program: Program) -> dict[int, list[RecordDeduction]]:
    """The supervision records in the plan's period with what the deduction table takes off for each."""
    table = {
        (rule.kind, rule.severity): rule
        for rule in DeductionRule.objects.filter(plan=plan).only("kind", "severity", "points", "is_veto")
    }
    by_application: dict[int, list[RecordDeduction]] = defaultdict(list)
    for pk, application_id, kind, severity in (
        SupervisionRecord.objects.filter(
            application__program=program, occurred_on__gte=plan.period_start, occurred_on__lte=plan.period_end
        )
        .order_by("application_id", "occurred_on", "pk")
        .values_list("pk", "application_id", "kind", "severity")
    ):
        entry = table.get((kind, severity))
        if entry is None:  # a kind and severity the organizer left out of the table deducts nothing
            continue
        by_application[application_id].append(
            RecordDeduction(pk, kind, severity, Decimal(0) if entry.is_veto else entry.points, entry.is_veto)
        )
    return by_application


def _write(program: Program, user, applications: dict[int, str], grades: dict[int, Grade]) -> None:
    """Replace the results of the enterprises graded: one DELETE, then the new rows in bulk (much faster than an
    UPDATE per row; the previous tier and score stay in each enterprise's history as its "result decided" event)."""
    now = timezone.now()
    ReviewResult.objects.filter(
        application__program=program, application__enrolled=True, application__status__in=GRADABLE
    ).delete()
    ReviewResult.objects.bulk_create(
        [
            ReviewResult(
                application_id=pk,
                final_score=result.score if result.score is not None else Decimal(0),
                tier=result.tier,
                veto_fired=bool(result.vetoes),
                rule_version=result.rule.version,
                explanation=result.explanation(),
                decided_at=now,
            )
            for pk, result in grades.items()
            if result.graded
        ],
        batch_size=BATCH,
    )
    gradable = Application.objects.filter(program=program, enrolled=True, status__in=GRADABLE)
    gradable.filter(result__tier__in=("A", "D")).update(status=ApplicationStatus.APPROVED, updated_at=now)
    gradable.filter(result__tier__in=("B", "C")).update(status=ApplicationStatus.GRADED, updated_at=now)
    gradable.filter(result__isnull=True).exclude(status=ApplicationStatus.IN_REVIEW).update(
        status=ApplicationStatus.IN_REVIEW, updated_at=now
    )
    events = [
        ApplicationEvent(
            application_id=pk,
            action=ApplicationEvent.Action.RESULT_DECIDED,
            actor=user,
            at=now,
            note=f"{result.tier} {result.score if result.score is not None else ''}".strip(),
        )
        for pk, result in grades.items()
        if result.graded
    ]
    ApplicationEvent.objects.bulk_create(events, batch_size=BATCH)


def _counts(grades: dict[int, Grade]) -> dict[str, int]:
    counts = {"A": 0, "B": 0, "C": 0, "D": 0, "flagged": 0, "ungraded": 0, "total": len(grades)}
    for result in grades.values():
        if result.tier:
            counts[result.tier] += 1
        else:
            counts["ungraded"] += 1
        if result.flags:
            counts["flagged"] += 1
    return counts


def distribution(program: Program, by: str) -> list[dict]:
    """Tiers A–D per district or industry of the programme's graded enterprises: one GROUP BY query."""
    field = {
        "district": "application__enterprise__district__name",
        "industry": "application__enterprise__industry__name",
    }[by]
    rows = (
        ReviewResult.objects.filter(application__program=program, application__enrolled=True)
        .values(field)
        .annotate(
            **{tier: Count("pk", filter=Q(tier=tier)) for tier in ("A", "B", "C", "D")},
            total=Count("pk"),
        )
        .order_by(field)
    )
    return [{"name": row[field], **{key: row[key] for key in ("A", "B", "C", "D", "total")}} for row in rows]


def flagged(program: Program):
    """The programme's enterprises whose last grading flagged them (small sample), graded or not."""
    return (
        ReviewResult.objects.filter(application__program=program, explanation__has_key="flags")
        .select_related("application__enterprise")
        .order_by("application__enterprise__name")
    )


def ungraded(program: Program):
    """Enrolled enterprises without a result (no evidence at all): they are flagged for the organizer."""
    return (
        Application.objects.filter(program=program, enrolled=True, result__isnull=True, status__in=GRADABLE)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )


__all__ = ["Flag", "distribution", "flagged", "grading_run", "ungraded"]
