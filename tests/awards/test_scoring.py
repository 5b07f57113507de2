"""Aggregation of reviewer totals into a final score and tier (DESIGN.md step 6)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.scoring import RULE_VERSION, ReviewerTotal, TierRule, aggregate, tier_for

D = Decimal
RULE = TierRule()


def _reviewers(*totals: str, vetoes: dict[int, set[int]] | None = None) -> list[ReviewerTotal]:
    """Reviewers 1..n with the given totals; `vetoes` maps a criterion id to the reviewer ids claiming it."""
    vetoes = vetoes or {}
    return [
        ReviewerTotal(
            reviewer_id=reviewer_id,
            total=D(total),
            veto_criterion_ids=frozenset(c for c, claimants in vetoes.items() if reviewer_id in claimants),
        )
        for reviewer_id, total in enumerate(totals, start=1)
    ]


def _ids(reviewers) -> tuple[int, ...]:
    return tuple(reviewer.reviewer_id for reviewer in reviewers)


@pytest.mark.parametrize(
    ("totals", "score"),
    [
        (("80", "90", "100"), "90.00"),
        (("75.5",), "75.50"),
        (("10", "20", "30", "100"), "40.00"),  # four reviewers: nothing dropped
    ],
)
def test_it_takes_the_mean_of_the_totals_below_five_reviewers(totals, score):
    assert aggregate(_reviewers(*totals), RULE).final_score == D(score)


@pytest.mark.parametrize(
    ("totals", "score"),
    [
        (("89.99", "89.99", "90.005"), "90.00"),  # mean 89.995 rounds half up
        (("89.99", "89.99", "90.003"), "89.99"),  # mean 89.99433…
        (("1", "0", "0"), "0.33"),
        (("2", "0", "0"), "0.67"),
    ],
)
def test_it_rounds_the_mean_half_up_to_cents(totals, score):
    assert str(aggregate(_reviewers(*totals), RULE).final_score) == score


@pytest.mark.parametrize(
    ("totals", "tier"),
    [
        (("89.99", "89.99", "90.005"), "A"),  # 89.995 → 90.00
        (("89.99", "89.99", "90.003"), "B"),  # 89.994… → 89.99
    ],
)
def test_it_grades_the_rounded_score(totals, tier):
    assert aggregate(_reviewers(*totals), RULE).tier == tier


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        ("100", "A"),
        ("90", "A"),
        ("89.99", "B"),
        ("70", "B"),
        ("69.99", "C"),
        ("40", "C"),
        ("39.99", "D"),
        ("0", "D"),
    ],
)
def test_it_grades_by_the_default_thresholds(score, tier):
    assert tier_for(D(score), RULE) == tier


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        ("85", "A"),
        ("84.99", "B"),
        ("60", "B"),
        ("59.99", "C"),
        ("30", "C"),
        ("29.99", "D"),
    ],
)
def test_it_grades_by_custom_thresholds(score, tier):
    rule = TierRule(a_min=D("85"), b_min=D("60"), c_min=D("30"))
    assert aggregate(_reviewers(score, score, score), rule).tier == tier


@pytest.mark.parametrize(
    ("totals", "rule", "dropped", "counted", "score"),
    [
        (("70", "95", "80", "50", "75"), RULE, (2, 4), (1, 3, 5), "75.00"),
        (("70", "95", "80", "50", "75", "85"), RULE, (2, 4), (1, 3, 5, 6), "77.50"),
        (("70", "95", "50"), TierRule(drop_extremes_from=3), (2, 3), (1,), "70.00"),
    ],
)
def test_it_drops_the_highest_and_lowest_from_enough_reviewers(totals, rule, dropped, counted, score):
    result = aggregate(_reviewers(*totals), rule)
    assert (_ids(result.dropped), _ids(result.counted), result.final_score) == (dropped, counted, D(score))


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_it_drops_nothing_below_five_reviewers(count):
    assert aggregate(_reviewers(*["60"] * (count - 1), "100"), RULE).dropped == ()


@pytest.mark.parametrize(
    ("totals", "dropped"),
    [
        (("90", "90", "50", "50", "70"), (1, 3)),
        (("50", "70", "90", "50", "90"), (3, 1)),
        (("70", "70", "70", "70", "70"), (1, 2)),  # never the same reviewer twice
    ],
)
def test_it_drops_the_first_of_tied_extremes_in_input_order(totals, dropped):
    assert _ids(aggregate(_reviewers(*totals), RULE).dropped) == dropped


@pytest.mark.parametrize(
    ("totals", "vetoes"),
    [
        (("100", "100", "100"), {7: {1, 2}}),  # 2 of 3
        (("100", "100", "100", "100"), {7: {1, 2, 4}}),  # 3 of 4
        (("100", "100", "100", "100", "100"), {7: {2, 3, 5}}),  # 3 of 5
        (("100", "99", "98", "97", "40"), {7: {1, 2, 5}}),  # dropped reviewers' claims still count
    ],
)
def test_a_majority_veto_makes_the_tier_d_whatever_the_score(totals, vetoes):
    assert aggregate(_reviewers(*totals, vetoes=vetoes), RULE).tier == "D"


def test_a_veto_still_reports_the_computed_score():
    result = aggregate(_reviewers("100", "100", "100", vetoes={7: {1, 2}}), RULE)
    assert result.final_score == D("100.00")


@pytest.mark.parametrize(
    ("totals", "vetoes"),
    [
        (("100", "100", "100", "100"), {7: {1, 2}}),  # exactly half
        (("100", "100"), {7: {1}}),  # exactly half
        (("100", "100", "100"), {7: {3}}),  # minority
        (("100", "100", "100", "100", "100"), {7: {1, 2}, 8: {3, 4}}),  # two minorities do not add up
    ],
)
def test_a_veto_claimed_by_half_or_fewer_does_not_fire(totals, vetoes):
    result = aggregate(_reviewers(*totals, vetoes=vetoes), RULE)
    assert (result.tier, result.vetoes) == ("A", {})


@pytest.mark.parametrize(
    ("vetoes", "confirmed"),
    [
        ({9: {2, 3}, 7: {1, 2}, 11: {3}}, {7: (1, 2), 9: (2, 3)}),
        ({7: {1, 2, 3}, 8: {1, 3}}, {7: (1, 2, 3), 8: (1, 3)}),
    ],
)
def test_it_lists_every_confirmed_veto_with_its_reviewers(vetoes, confirmed):
    assert aggregate(_reviewers("90", "90", "90", vetoes=vetoes), RULE).vetoes == confirmed


@pytest.mark.parametrize(
    ("totals", "rule", "flagged"),
    [
        (("70", "90"), RULE, False),  # exactly at the limit
        (("70", "90.01"), RULE, True),
        (("80", "80", "80"), RULE, False),
        (("70", "80"), TierRule(spread_limit=D("9.99")), True),
        (("50", "80", "80", "80", "75"), RULE, True),  # the dropped extremes still count
    ],
)
def test_it_flags_a_spread_strictly_above_the_limit(totals, rule, flagged):
    assert aggregate(_reviewers(*totals), rule).spread_flagged is flagged


def test_it_measures_the_spread_before_dropping():
    assert aggregate(_reviewers("50", "80", "80", "80", "95"), RULE).spread == D("45")


@pytest.mark.parametrize(("rule", "version"), [(RULE, RULE_VERSION), (TierRule(version="2027.1"), "2027.1")])
def test_it_stamps_the_rule_version(rule, version):
    assert aggregate(_reviewers("80"), rule).rule_version == version


def _vetoed_five():
    return aggregate(_reviewers("100", "95", "90", "85", "60", vetoes={7: {1, 2, 3}, 8: {4}}), RULE)


def test_the_explanation_survives_a_json_round_trip():
    explanation = _vetoed_five().explanation()
    assert json.loads(json.dumps(explanation)) == explanation


def test_the_explanation_names_the_dropped_reviewers():
    explanation = _vetoed_five().explanation()
    assert explanation["dropped"] == [1, 5]
    assert [t["reviewer_id"] for t in explanation["totals"] if not t["counted"]] == [1, 5]


def test_the_explanation_names_the_reviewers_behind_each_veto():
    assert _vetoed_five().explanation()["vetoes"] == {"7": [1, 2, 3]}


@pytest.mark.parametrize(
    ("totals", "vetoes", "overrode"),
    [
        (("95", "95", "95"), {7: {1, 2}}, True),
        (("30", "30", "30"), {7: {1, 2}}, False),  # D by score anyway
        (("95", "95", "95"), {7: {1}}, False),
    ],
)
def test_the_explanation_says_whether_a_veto_overrode_the_score(totals, vetoes, overrode):
    result = aggregate(_reviewers(*totals, vetoes=vetoes), RULE)
    assert result.explanation()["veto_overrode_score"] is overrode


@pytest.mark.parametrize(
    ("totals", "message"),
    [
        ([], "without any reviewer totals"),
        ([ReviewerTotal(1, D("80")), ReviewerTotal(2, D("70")), ReviewerTotal(1, D("60"))], r"duplicate .*\[1\]"),
        ([ReviewerTotal(1, D("80")), ReviewerTotal(2, D("-0.01"))], "Reviewer 2 has an invalid total -0.01"),
        ([ReviewerTotal(1, D("NaN"))], "Reviewer 1 has an invalid total NaN"),
    ],
)
def test_it_rejects_invalid_totals(totals, message):
    with pytest.raises(ValueError, match=message):
        aggregate(totals, RULE)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"a_min": D("60"), "b_min": D("70")}, "must not increase"),
        ({"c_min": D("75")}, "must not increase"),
        ({"drop_extremes_from": 2}, "at least 3"),
    ],
)
def test_it_rejects_an_inconsistent_rule(options, message):
    with pytest.raises(ValueError, match=message):
        TierRule(**options)


# Totals in whole cents, so rounding the mean cannot leave the [min, max] range.
reviewer_lists = st.lists(
    st.tuples(
        st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
        st.frozensets(st.integers(min_value=1, max_value=3), max_size=3),
    ),
    min_size=1,
    max_size=9,
).map(lambda rows: [ReviewerTotal(i, total, vetoes) for i, (total, vetoes) in enumerate(rows, start=1)])


@settings(max_examples=300, deadline=None)
@given(reviewer_lists)
def test_the_final_score_lies_between_the_lowest_and_highest_total(reviewers):
    totals = [reviewer.total for reviewer in reviewers]
    assert min(totals) <= aggregate(reviewers, RULE).final_score <= max(totals)


@settings(max_examples=300, deadline=None)
@given(reviewer_lists)
def test_the_tier_is_d_whenever_a_majority_confirms_a_veto(reviewers):
    claims = [sum(criterion in r.veto_criterion_ids for r in reviewers) for criterion in (1, 2, 3)]
    if any(2 * count > len(reviewers) for count in claims):
        assert aggregate(reviewers, RULE).tier == "D"
