"""An enterprise reads its own evaluation result explained as the organizer reads it: sources, weights,
contributions, deductions, vetoes and flags; never the reviewers' rule text, and nothing of another enterprise."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from awards.models import ApplicationStatus, ProgramMode, ReviewResult
from awards.scoring import TierRule
from evaluations.explanation import readable_trace
from evaluations.rule import EvaluationRule, RecordDeduction, Source, SourceFigure, grade
from tests.factories import ApplicationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _evaluated(**enterprise):
    program = ProgramFactory(mode=ProgramMode.EVALUATION)
    application = ApplicationFactory(program=program, enrolled=True, status=ApplicationStatus.GRADED, **enterprise)
    result = grade(
        [
            SourceFigure(Source.QUESTIONNAIRE, 50, Decimal("80"), 12),
            SourceFigure(Source.HEARING, 50, Decimal("70"), 3),
        ],
        [RecordDeduction(1, "complaint", "general", Decimal("3"))],
        EvaluationRule(tiers=TierRule(), min_sample=30),
    )
    ReviewResult.objects.create(
        application=application,
        final_score=result.score,
        tier=result.tier,
        rule_version=result.rule.version,
        explanation=result.explanation(),
    )
    return application


def test_the_trace_is_put_in_words():
    application = _evaluated()
    trace = readable_trace(application.result)
    assert {s["label"] for s in trace["sources"]} == {"听证评议", "问卷测评"}
    (questionnaire,) = [s for s in trace["sources"] if s["source"] == "questionnaire"]
    assert questionnaire["reason_label"] == "低于最低样本量"
    assert trace["deductions"][0]["kind_label"] == "消费投诉"
    assert trace["flag_labels"] == ["问卷样本量低于最低要求：问卷测评不计分。"]


def test_a_reviewers_result_has_no_evaluation_trace():
    application = ApplicationFactory()
    result = ReviewResult.objects.create(
        application=application, final_score=Decimal("91"), tier="A", rule_version="2026.1", explanation={"totals": []}
    )
    assert readable_trace(result) is None


def test_the_enterprise_reads_its_own_breakdown_on_its_application_page(client):
    application = _evaluated()
    client.force_login(application.enterprise.account)
    page = client.get(reverse("awards:application_detail", args=[application.pk])).content.decode()
    assert "问卷测评" in page and "低于最低样本量" in page and "消费投诉" in page
    assert "评审专家总分" not in page  # not the reviewers' rule
