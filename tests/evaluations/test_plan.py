"""The evaluation plan: created with the six default aspects and the default deduction table, edited with checks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from evaluations.models import DEFAULT_ASPECTS, DeductionRule
from evaluations.plan import (
    PlanError,
    aspect_add,
    aspects_update,
    deductions_update,
    evaluation_rule,
    plan_create,
    plan_update,
)
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def sector(db):
    return ProgramFactory(mode="evaluation", slug="farm-2027")


@pytest.fixture
def plan(sector):
    return plan_create(program=sector, period_start=START, period_end=END)


def test_a_plan_has_the_six_default_aspects(plan):
    assert [aspect.title for aspect in plan.aspects.all()] == list(DEFAULT_ASPECTS)


def test_a_serious_penalty_is_a_veto_and_a_minor_complaint_deducts_one_point(plan):
    assert DeductionRule.objects.get(plan=plan, kind="penalty", severity="serious").is_veto
    assert DeductionRule.objects.get(plan=plan, kind="complaint", severity="minor").points == Decimal(1)


def test_only_an_evaluation_programme_has_a_plan(db):
    with pytest.raises(PlanError):
        plan_create(program=ProgramFactory(mode="application"), period_start=START, period_end=END)


def test_a_programme_has_one_plan(plan):
    with pytest.raises(PlanError):
        plan_create(program=plan.program, period_start=START, period_end=END)


def test_the_period_must_not_end_before_it_starts(sector):
    with pytest.raises(PlanError, match="评议期"):
        plan_create(program=sector, period_start=END, period_end=START)


def test_the_weights_must_add_up_to_100(plan):
    with pytest.raises(PlanError, match="100"):
        plan_update(plan=plan, questionnaire_weight=50, hearing_weight=50, review_weight=10)


def test_aspects_may_swap_titles(plan):
    first, second = plan.aspects.all()[:2]
    aspects_update(plan=plan, changes=[(first.pk, second.title, 2), (second.pk, first.title, 3)])
    first.refresh_from_db()
    assert (first.title, first.weight) == (DEFAULT_ASPECTS[1], 2)


def test_two_aspects_with_one_title_are_refused(plan):
    first, second = plan.aspects.all()[:2]
    with pytest.raises(PlanError):
        aspects_update(plan=plan, changes=[(first.pk, "同名", 1), (second.pk, "同名", 1)])


def test_an_aspect_is_added_at_the_end(plan):
    aspect = aspect_add(plan=plan, title="安全生产", weight=2)
    assert aspect.position == len(DEFAULT_ASPECTS) + 1


def test_a_deduction_may_become_a_veto(plan):
    rule = DeductionRule.objects.get(plan=plan, kind="inspection", severity="serious")
    deductions_update(plan=plan, changes=[(rule.pk, Decimal(0), True)])
    rule.refresh_from_db()
    assert rule.is_veto


def test_negative_points_are_refused(plan):
    rule = plan.deduction_rules.first()
    with pytest.raises(PlanError):
        deductions_update(plan=plan, changes=[(rule.pk, Decimal(-1), False)])


def test_the_rule_takes_the_programme_thresholds_and_the_plan_sample(plan):
    rule = evaluation_rule(plan)
    assert rule.tiers.a_min == plan.program.tier_a_min and rule.min_sample == plan.min_sample
