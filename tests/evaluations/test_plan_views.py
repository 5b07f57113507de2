"""The organizer's plan, grading and breakdown screens."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from awards.models import ReviewResult
from evaluations.models import EvaluationPlan, SupervisionRecord, SurveyResponse
from evaluations.plan import plan_create
from tests.factories import ApplicationFactory, ProgramFactory, staff_user

pytestmark = pytest.mark.django_db

PLAN = {
    "plan-period_start": "2026-01-01",
    "plan-period_end": "2026-12-31",
    "plan-questionnaire_weight": "50",
    "plan-hearing_weight": "30",
    "plan-review_weight": "20",
    "plan-min_sample": "3",
}


@pytest.fixture
def sector(db):
    return ProgramFactory(mode="evaluation", slug="farm-2027", title="2027年度农资经营单位综合评议")


@pytest.fixture
def organizer(client, olivia):
    client.force_login(olivia)
    return client


def graded_sector(sector, olivia):
    plan = plan_create(
        program=sector, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31), min_sample=2
    )
    application = ApplicationFactory(program=sector, enrolled=True, status="in_review")
    SurveyResponse.objects.bulk_create(
        [SurveyResponse(application=application, channel="paper", answers={}, aspect_scores={}, score=Decimal(90))] * 2
    )
    SupervisionRecord.objects.create(
        application=application,
        kind="complaint",
        severity="general",
        occurred_on=datetime.date(2026, 3, 1),
        summary="价格欺诈投诉",
        recorded_by=olivia,
    )
    return plan, application


def test_the_organizer_sets_up_the_plan_with_the_default_aspects(organizer, sector):
    response = organizer.post(reverse("evaluations:plan", args=[sector.slug]), PLAN)
    assert response.status_code == 302
    plan = EvaluationPlan.objects.get(program=sector)
    assert plan.questionnaire_weight == 50 and plan.aspects.count() == 6


def test_weights_not_adding_up_to_100_are_explained_in_chinese(organizer, sector):
    response = organizer.post(reverse("evaluations:plan", args=[sector.slug]), {**PLAN, "plan-review_weight": "30"})
    assert response.status_code == 200
    assert "权重合计须为 100%，目前为 110%" in response.content.decode()
    assert not EvaluationPlan.objects.filter(program=sector).exists()


def test_a_period_ending_before_it_starts_is_refused(organizer, sector):
    response = organizer.post(
        reverse("evaluations:plan", args=[sector.slug]), {**PLAN, "plan-period_end": "2025-01-01"}
    )
    assert "评议期" in response.content.decode()
    assert not EvaluationPlan.objects.filter(program=sector).exists()


def test_a_reviewer_may_not_open_the_plan(client, sector):
    client.force_login(staff_user("reviewer1", Role.REVIEWER))
    assert client.get(reverse("evaluations:plan", args=[sector.slug])).status_code == 403


def test_the_aspects_are_renamed_and_one_added(organizer, sector, olivia):
    plan, _application = graded_sector(sector, olivia)
    aspects = list(plan.aspects.all())
    data = {"aspects-TOTAL_FORMS": "6", "aspects-INITIAL_FORMS": "6", "add-title": "安全生产", "add-weight": "2"}
    for n, aspect in enumerate(aspects):
        data |= {f"aspects-{n}-id": aspect.pk, f"aspects-{n}-title": aspect.title, f"aspects-{n}-weight": "1"}
    data["aspects-0-title"] = "经营资质"
    response = organizer.post(reverse("evaluations:plan_aspects", args=[sector.slug]), data)
    assert response.status_code == 302
    assert list(plan.aspects.values_list("title", flat=True))[0] == "经营资质" and plan.aspects.count() == 7


def test_the_deduction_table_is_saved(organizer, sector, olivia):
    plan, _application = graded_sector(sector, olivia)
    rules = list(plan.deduction_rules.all())
    data = {"rules-TOTAL_FORMS": str(len(rules)), "rules-INITIAL_FORMS": str(len(rules))}
    for n, rule in enumerate(rules):
        data |= {f"rules-{n}-id": rule.pk, f"rules-{n}-points": "2"}
    response = organizer.post(reverse("evaluations:plan_deductions", args=[sector.slug]), data)
    assert response.status_code == 302
    assert set(plan.deduction_rules.values_list("points", "is_veto")) == {(Decimal(2), False)}


def test_grading_from_the_screen_shows_the_distribution(organizer, sector, olivia):
    _plan, application = graded_sector(sector, olivia)
    response = organizer.post(reverse("evaluations:grading", args=[sector.slug]), follow=True)
    assert ReviewResult.objects.get(application=application).final_score == Decimal("87.00")
    content = response.content.decode()
    assert "已评定 1 家企业" in content and application.enterprise.district.name in content


def test_the_breakdown_shows_each_source_and_deduction(organizer, sector, olivia):
    _plan, application = graded_sector(sector, olivia)
    organizer.post(reverse("evaluations:grading", args=[sector.slug]))
    response = organizer.get(reverse("evaluations:breakdown", args=[sector.slug, application.pk]))
    content = response.content.decode()
    assert "问卷测评" in content and "90.00" in content and "消费投诉" in content and "87.00" in content


def test_an_enterprise_not_yet_graded_has_a_breakdown_saying_so(organizer, sector, olivia):
    _plan, application = graded_sector(sector, olivia)
    response = organizer.get(reverse("evaluations:breakdown", args=[sector.slug, application.pk]))
    assert "尚无评定结果" in response.content.decode()


def test_the_organizer_finds_an_enterprise_by_name_and_opens_its_breakdown(organizer, sector, olivia):
    _plan, application = graded_sector(sector, olivia)
    organizer.post(reverse("evaluations:grading", args=[sector.slug]))
    name = application.enterprise.name
    response = organizer.get(reverse("evaluations:grading", args=[sector.slug]), {"q": name[2:6]})
    content = response.content.decode()
    assert reverse("evaluations:breakdown", args=[sector.slug, application.pk]) in content and "B (87.00)" in content
