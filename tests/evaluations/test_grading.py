"""The grading run: a whole sector graded from the plan's sources in a handful of queries, results written in bulk."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import ApplicationStatus, ReviewResult
from evaluations.grading import distribution, flagged, grading_run, ungraded
from evaluations.models import HearingPanelist, HearingScore, HearingSession, SupervisionRecord, SurveyResponse
from evaluations.plan import PlanError, plan_create
from tests.factories import ApplicationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def sector(db):
    return ProgramFactory(mode="evaluation", slug="farm-2027", title="2027年度农资经营单位综合评议")


@pytest.fixture
def plan(sector):
    return plan_create(program=sector, period_start=START, period_end=END, min_sample=3)


def enrol(program, status=ApplicationStatus.IN_REVIEW):
    return ApplicationFactory(program=program, enrolled=True, status=status)


def answers(application, *scores):
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(application=application, channel="paper", answers={}, aspect_scores={}, score=Decimal(s))
            for s in scores
        ]
    )


def hearing(application, plan, organizer, *points):
    session = HearingSession.objects.create(
        program=plan.program, held_on=START, place="县市场监管局会议室", created_by=organizer
    )
    aspect = plan.aspects.first()
    for n, value in enumerate(points):
        panelist = HearingPanelist.objects.create(session=session, name=f"代表{n}", role="consumer")
        HearingScore.objects.create(panelist=panelist, application=application, aspect=aspect, points=Decimal(value))


def record(application, organizer, kind="complaint", severity="general", on=datetime.date(2026, 6, 1)):
    return SupervisionRecord.objects.create(
        application=application, kind=kind, severity=severity, occurred_on=on, summary="记录", recorded_by=organizer
    )


def test_questionnaire_and_hearing_combine_by_the_plan_weights(plan, olivia):
    application = enrol(plan.program)
    answers(application, 80, 90, 100)  # mean 90
    hearing(application, plan, olivia, 70, 90)  # mean 80
    grading_run(plan.program, olivia)
    result = ReviewResult.objects.get(application=application)
    assert result.final_score == Decimal("85.00")  # 40:40, the reviewers' 20 % missing
    assert result.tier == "B"


def test_a_complaint_in_the_period_deducts_its_points(plan, olivia):
    application = enrol(plan.program)
    answers(application, 95, 95, 95)
    record(application, olivia, "complaint", "general")  # 3 points by default
    grading_run(plan.program, olivia)
    assert ReviewResult.objects.get(application=application).final_score == Decimal("92.00")


def test_a_record_outside_the_period_does_not_count(plan, olivia):
    application = enrol(plan.program)
    answers(application, 95, 95, 95)
    record(application, olivia, on=datetime.date(2025, 12, 31))
    grading_run(plan.program, olivia)
    assert ReviewResult.objects.get(application=application).final_score == Decimal("95.00")


def test_a_serious_penalty_is_a_veto_and_the_tier_is_d(plan, olivia):
    application = enrol(plan.program)
    answers(application, 100, 100, 100)
    record(application, olivia, "penalty", "serious")
    grading_run(plan.program, olivia)
    result = ReviewResult.objects.get(application=application)
    assert (result.tier, result.veto_fired) == ("D", True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED  # a candidate for the exposure list


def test_tier_a_is_a_candidate_for_the_honour_and_b_is_graded(plan, olivia):
    good, fair = enrol(plan.program), enrol(plan.program)
    answers(good, 95, 95, 95)
    answers(fair, 75, 75, 75)
    grading_run(plan.program, olivia)
    good.refresh_from_db()
    fair.refresh_from_db()
    assert (good.status, fair.status) == (ApplicationStatus.APPROVED, ApplicationStatus.GRADED)


def test_a_small_sample_is_flagged_and_without_other_evidence_not_graded(plan, olivia):
    application = enrol(plan.program)
    answers(application, 95)
    run = grading_run(plan.program, olivia)
    assert not ReviewResult.objects.filter(application=application).exists()
    assert list(ungraded(plan.program)) == [application]
    assert run.counts["ungraded"] == 1 and run.counts["flagged"] == 1


def test_a_small_sample_beside_a_hearing_is_graded_and_listed_as_flagged(plan, olivia):
    application = enrol(plan.program)
    answers(application, 20)
    hearing(application, plan, olivia, 92)
    grading_run(plan.program, olivia)
    assert [result.application for result in flagged(plan.program)] == [application]
    assert ReviewResult.objects.get(application=application).tier == "A"


def test_grading_again_replaces_the_previous_result(plan, olivia):
    application = enrol(plan.program)
    answers(application, 95, 95, 95)
    grading_run(plan.program, olivia)
    record(application, olivia, "penalty", "serious")
    grading_run(plan.program, olivia)
    assert ReviewResult.objects.get(application=application).tier == "D"


def test_an_enterprise_on_notice_is_not_graded_again(plan, olivia):
    application = enrol(plan.program, status=ApplicationStatus.ON_NOTICE)
    answers(application, 95, 95, 95)
    run = grading_run(plan.program, olivia)
    assert run.counts["total"] == 0 and not ReviewResult.objects.filter(application=application).exists()


def test_the_run_counts_enterprises_per_tier(plan, olivia):
    for scores in ((95, 95, 95), (75, 75, 75), (50, 50, 50), (10, 10, 10)):
        answers(enrol(plan.program), *scores)
    run = grading_run(plan.program, olivia)
    assert {tier: run.counts[tier] for tier in "ABCD"} == {"A": 1, "B": 1, "C": 1, "D": 1}
    assert run.finished_at and run.rule_version


def test_the_number_of_queries_does_not_grow_with_the_sector(plan, olivia):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            grading_run(plan.program, olivia)
        return len(captured)

    for _n in range(3):
        application = enrol(plan.program)
        answers(application, 95, 95, 95)
        record(application, olivia)
    grading_run(plan.program, olivia)  # from now on every result is replaced, none created
    small = queries()
    for _n in range(12):
        application = enrol(plan.program)
        answers(application, 60, 60, 60)
        hearing(application, plan, olivia, 50)
    grading_run(plan.program, olivia)
    assert queries() == small


def test_the_distribution_counts_tiers_per_district(plan, olivia):
    for scores in ((95, 95, 95), (75, 75, 75)):
        answers(enrol(plan.program), *scores)
    grading_run(plan.program, olivia)
    rows = distribution(plan.program, "district")
    assert sum(row["A"] for row in rows) == 1 and sum(row["total"] for row in rows) == 2


def test_a_programme_without_a_plan_cannot_be_graded(sector, olivia):
    with pytest.raises(PlanError):
        grading_run(sector, olivia)
