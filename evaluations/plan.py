"""The evaluation plan of a sector evaluation: creating it with its default aspects and deduction table, editing it.

Plain functions called by the plan screens, the demo and the benchmark. The tier thresholds are the programme's own
(Program.tier_a_min/tier_b_min/tier_c_min); the plan adds the period, the sources' weights and the minimum sample.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import Program, ProgramMode
from awards.scoring import TierRule
from evaluations.models import DEFAULT_ASPECTS, Aspect, DeductionRule, EvaluationPlan, RecordKind, Severity
from evaluations.rule import EvaluationRule
from evaluations.survey import survey_questions_default

# Points deducted per record of a kind and severity; None makes the record a veto (tier D whatever the score).
DEFAULT_DEDUCTIONS: dict[str, dict[str, Decimal | None]] = {
    RecordKind.COMPLAINT: {Severity.MINOR: Decimal(1), Severity.GENERAL: Decimal(3), Severity.SERIOUS: Decimal(5)},
    RecordKind.INSPECTION: {Severity.MINOR: Decimal(2), Severity.GENERAL: Decimal(5), Severity.SERIOUS: Decimal(10)},
    RecordKind.PENALTY: {Severity.MINOR: Decimal(5), Severity.GENERAL: Decimal(10), Severity.SERIOUS: None},
    RecordKind.FOLLOW_UP: {Severity.MINOR: Decimal(0), Severity.GENERAL: Decimal(1), Severity.SERIOUS: Decimal(3)},
    RecordKind.MYSTERY_SHOPPING: {
        Severity.MINOR: Decimal(1),
        Severity.GENERAL: Decimal(3),
        Severity.SERIOUS: Decimal(5),
    },
}


class PlanError(Exception):
    """A plan that cannot be created or changed as asked; the message says why, in the user's language."""


def plan_create(
    *,
    program: Program,
    period_start: datetime.date,
    period_end: datetime.date,
    questionnaire_weight: int = 40,
    hearing_weight: int = 40,
    review_weight: int = 20,
    min_sample: int = 30,
) -> EvaluationPlan:
    """The plan of an evaluation programme with the six default aspects, their default questionnaire questions and
    the default deduction table."""
    if program.mode != ProgramMode.EVALUATION:
        raise PlanError(_("Only an evaluation programme has an evaluation plan."))
    if EvaluationPlan.objects.filter(program=program).exists():
        raise PlanError(_("This programme already has an evaluation plan; change it instead."))
    plan = EvaluationPlan(
        program=program,
        period_start=period_start,
        period_end=period_end,
        questionnaire_weight=questionnaire_weight,
        hearing_weight=hearing_weight,
        review_weight=review_weight,
        min_sample=min_sample,
    )
    check_plan(plan)
    with transaction.atomic():
        plan.save()
        Aspect.objects.bulk_create(
            [Aspect(plan=plan, position=position, title=title) for position, title in enumerate(DEFAULT_ASPECTS, 1)]
        )
        DeductionRule.objects.bulk_create(
            [
                DeductionRule(
                    plan=plan, kind=kind, severity=severity, points=points or Decimal(0), is_veto=points is None
                )
                for kind, by_severity in DEFAULT_DEDUCTIONS.items()
                for severity, points in by_severity.items()
            ]
        )
        # The questionnaire is ready to print and answer the day the plan is issued; the organizer may reword it.
        survey_questions_default(plan)
    return plan


def check_plan(plan: EvaluationPlan) -> None:
    """Raise PlanError with the first problem of the plan's period, weights or sample, in the user's language."""
    if plan.period_end < plan.period_start:
        raise PlanError(_("The evaluation period must end on or after its first day."))
    weights = (plan.questionnaire_weight, plan.hearing_weight, plan.review_weight)
    if any(weight < 0 or weight > 100 for weight in weights):
        raise PlanError(_("Each source weighs from 0 to 100."))
    if sum(weights) != 100:
        raise PlanError(
            _("The weights of the questionnaire, the hearings and the reviewers must add up to 100 %%, not %(sum)d %%.")
            % {"sum": sum(weights)}
        )
    if plan.min_sample < 1:
        raise PlanError(_("The minimum questionnaire sample must be at least 1."))


def plan_update(*, plan: EvaluationPlan, **changes) -> EvaluationPlan:
    """Change the period, the weights or the minimum sample; the new plan counts from the next grading run."""
    for name, value in changes.items():
        if name not in {
            "period_start",
            "period_end",
            "questionnaire_weight",
            "hearing_weight",
            "review_weight",
            "min_sample",
        }:
            raise TypeError(f"plan_update() does not change {name}")
        setattr(plan, name, value)
    check_plan(plan)
    plan.save()
    return plan


def aspects_update(*, plan: EvaluationPlan, changes: list[tuple[int, str, int]]) -> None:
    """Rename and reweigh the plan's aspects: (aspect id, title, weight) each; titles stay distinct."""
    aspects = {aspect.pk: aspect for aspect in plan.aspects.all()}
    titles = [title.strip() for _pk, title, _weight in changes]
    if any(not title for title in titles):
        raise PlanError(_("Every aspect needs a title."))
    if len(set(titles)) != len(titles):
        raise PlanError(_("Two aspects have the same title; give each aspect its own."))
    for pk, title, weight in changes:
        if pk not in aspects:
            raise PlanError(_("This aspect does not belong to the plan. Reload the page and try again."))
        if not 1 <= weight <= 100:
            raise PlanError(_("The weight of “%(aspect)s” must be a whole number from 1 to 100.") % {"aspect": title})
        aspects[pk].title, aspects[pk].weight = title.strip(), weight
    with transaction.atomic():
        # Two aspects may swap titles: clear them first, so that the unique title never clashes midway.
        changed = [aspects[pk] for pk, _title, _weight in changes]
        for aspect in changed:
            Aspect.objects.filter(pk=aspect.pk).update(title=f"~{aspect.pk}~swap")
        Aspect.objects.bulk_update(changed, ["title", "weight"])


def aspect_add(*, plan: EvaluationPlan, title: str, weight: int = 1) -> Aspect:
    title = title.strip()
    if not title:
        raise PlanError(_("Every aspect needs a title."))
    if plan.aspects.filter(title=title).exists():
        raise PlanError(_("The plan already has an aspect “%(aspect)s”.") % {"aspect": title})
    if not 1 <= weight <= 100:
        raise PlanError(_("The weight of “%(aspect)s” must be a whole number from 1 to 100.") % {"aspect": title})
    last = plan.aspects.order_by("-position").values_list("position", flat=True).first() or 0
    return Aspect.objects.create(plan=plan, position=last + 1, title=title, weight=weight)


def deductions_update(*, plan: EvaluationPlan, changes: list[tuple[int, Decimal, bool]]) -> None:
    """Set the points and the veto of the plan's deduction rules: (rule id, points, veto) each."""
    rules = {rule.pk: rule for rule in plan.deduction_rules.all()}
    for pk, points, veto in changes:
        if pk not in rules:
            raise PlanError(_("This deduction rule does not belong to the plan. Reload the page and try again."))
        if points < 0 or points > 100:
            raise PlanError(_("%(rule)s: the points deducted lie between 0 and 100.") % {"rule": str(rules[pk])})
        rules[pk].points, rules[pk].is_veto = points, veto
    DeductionRule.objects.bulk_update([rules[pk] for pk, _points, _veto in changes], ["points", "is_veto"])


def evaluation_rule(plan: EvaluationPlan) -> EvaluationRule:
    """The composite rule of the plan with the programme's tier thresholds."""
    program = plan.program
    tiers = TierRule(a_min=program.tier_a_min, b_min=program.tier_b_min, c_min=program.tier_c_min)
    return EvaluationRule(tiers=tiers, min_sample=plan.min_sample)


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)
