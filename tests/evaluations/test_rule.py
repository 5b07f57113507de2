"""The composite rule of a sector evaluation, as a table: weights, missing sources, minimum sample, deductions,
vetoes and rounding at the tier boundaries."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from awards.scoring import TierRule
from evaluations.rule import EvaluationRule, Flag, RecordDeduction, Source, SourceFigure, grade, response_score

RULE = EvaluationRule(tiers=TierRule(a_min=D(90), b_min=D(75), c_min=D(60)), min_sample=30)


def q(score, sample=50, weight=40):
    return SourceFigure(Source.QUESTIONNAIRE, weight, None if score is None else D(score), sample)


def h(score, weight=40, sample=5):
    return SourceFigure(Source.HEARING, weight, None if score is None else D(score), sample)


def r(score, weight=20, sample=3):
    return SourceFigure(Source.REVIEW, weight, None if score is None else D(score), sample)


def record(points, veto=False, pk=1):
    return RecordDeduction(pk, "complaint", "general", D(points), veto)


@pytest.mark.parametrize(
    ("sources", "records", "score", "tier"),
    [
        # weights: (40·90 + 40·80 + 20·70) / 100
        ([q(90), h(80), r(70)], [], "82.00", "B"),
        # a missing source is left out and the others renormalised: (40·90 + 40·80) / 80
        ([q(90), h(80), r(None)], [], "85.00", "B"),
        # a zero weight does not count even with a score
        ([q(90), h(80), r(10, weight=0)], [], "85.00", "B"),
        # one source alone decides
        ([q(None), h(93), r(None)], [], "93.00", "A"),
        # below the minimum sample the questionnaire does not count
        ([q(20, sample=29), h(95)], [], "95.00", "A"),
        # exactly the minimum sample counts
        ([q(20, sample=30), h(95)], [], "57.50", "D"),
        # deductions are subtracted after weighting
        ([q(95), h(95)], [record(3), record("2.5", pk=2)], "89.50", "B"),
        # never below zero
        ([q(10), h(10)], [record(50)], "0.00", "D"),
        # a veto makes the tier D whatever the score, and deducts nothing itself
        ([q(100), h(100)], [record(0, veto=True)], "100.00", "D"),
        # rounding: 89.995 rounds half up to 90.00, which is A
        ([q("89.99", weight=1), h("90.00", weight=1)], [], "90.00", "A"),
        # 89.994… stays below the boundary
        ([q("89.99", weight=2), h("90.00", weight=1)], [], "89.99", "B"),
        # the boundaries themselves: 75 is B, 60 is C, 59.99 is D
        ([h(75)], [], "75.00", "B"),
        ([h(60)], [], "60.00", "C"),
        ([h("59.99")], [], "59.99", "D"),
    ],
)
def test_the_composite_rule(sources, records, score, tier):
    result = grade(sources, records, RULE)
    assert (str(result.score), result.tier) == (score, tier)


def test_a_small_sample_is_flagged_and_said_why_in_the_trace():
    result = grade([q(90, sample=12), h(80)], [], RULE)
    trace = result.explanation()
    assert result.flags == (Flag.SMALL_SAMPLE,)
    assert trace["flags"] == ["small_sample"]
    (questionnaire,) = [s for s in trace["sources"] if s["source"] == "questionnaire"]
    assert questionnaire == {
        "source": "questionnaire",
        "weight": 40,
        "score": "90",
        "sample": 12,
        "counted": False,
        "reason": "below_min_sample",
    }


def test_no_source_and_no_veto_is_not_graded_but_flagged():
    result = grade([q(None), h(None), r(None)], [record(5)], RULE)
    assert (result.score, result.tier, result.graded) == (None, "", False)
    assert result.flags == (Flag.NO_EVIDENCE,)


def test_a_veto_grades_d_even_without_any_source():
    result = grade([q(None), h(None)], [record(0, veto=True)], RULE)
    assert result.tier == "D" and result.flags == ()


def test_the_trace_shows_each_counted_source_contribution_and_every_record():
    trace = grade([q(90), h(80), r(70)], [record(2), record(0, veto=True, pk=7)], RULE).explanation()
    assert [(s["source"], s["contribution"]) for s in trace["sources"]] == [
        ("questionnaire", "36.00"),
        ("hearing", "32.00"),
        ("review", "14.00"),
    ]
    assert trace["weighted"] == "82.00" and trace["deducted"] == "2.00" and trace["score"] == "80.00"
    assert [d["record_id"] for d in trace["deductions"]] == [1]
    assert [v["record_id"] for v in trace["vetoes"]] == [7]
    assert trace["rule_version"] == RULE.version and "flags" not in trace


def test_a_score_out_of_range_is_refused():
    with pytest.raises(ValueError, match="between 0 and 100"):
        grade([h(101)], [], RULE)


def test_a_minimum_sample_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        EvaluationRule(min_sample=0)


@pytest.mark.parametrize(
    ("answers", "aspects", "overall"),
    [
        ({1: 5, 2: 5}, {1: 10, 2: 20}, "100.00"),
        ({1: 1, 2: 1}, {1: 10, 2: 20}, "0.00"),
        ({1: 3}, {1: 10}, "50.00"),
        # aspect 10 scores 100, aspect 20 scores 0; aspect 20 weighs twice as much
        ({1: 5, 2: 1}, {1: 10, 2: 20}, "33.33"),
        # two answers of one aspect are averaged before weighting: (4, 5) → 87.5
        ({1: 4, 2: 5, 3: 1}, {1: 10, 2: 10, 3: 20}, "29.17"),
    ],
)
def test_a_questionnaire_scores_the_weighted_mean_of_its_aspects(answers, aspects, overall):
    _by_aspect, score = response_score(answers, aspects, {10: 1, 20: 2})
    assert str(score) == overall


def test_an_answer_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="between 1 and 5"):
        response_score({1: 6}, {1: 10}, {10: 1})
