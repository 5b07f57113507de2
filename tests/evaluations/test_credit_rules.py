"""The class rules of an exposure-list entry (信用修复管理办法): display bounds, last display day, earliest repair."""

from __future__ import annotations

import datetime

import pytest

from evaluations import credit_rules
from evaluations.credit_rules import GENERAL, MINOR, SERIOUS

D = datetime.date


@pytest.mark.parametrize(
    ("credit_class", "months", "allowed"),
    [
        (MINOR, 0, False),
        (MINOR, 1, True),
        (MINOR, 3, True),
        (MINOR, 4, False),
        (GENERAL, 2, False),
        (GENERAL, 3, True),
        (GENERAL, 12, True),
        (GENERAL, 13, False),
        (SERIOUS, 11, False),
        (SERIOUS, 12, True),
        (SERIOUS, 36, True),
        (SERIOUS, 37, False),
    ],
)
def test_the_display_period_is_allowed_only_within_the_bounds_of_its_class(credit_class, months, allowed):
    assert credit_rules.period_allowed(credit_class, months) is allowed


@pytest.mark.parametrize(("credit_class", "default"), [(MINOR, 3), (GENERAL, 12), (SERIOUS, 36)])
def test_the_default_period_is_the_longest_of_the_class(credit_class, default):
    assert credit_rules.CLASS_RULES[credit_class].default_months == default
    assert credit_rules.period_allowed(credit_class, default)


def test_a_d_result_is_a_serious_breach_by_default():
    assert credit_rules.default_class("D") == SERIOUS


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        (D(2026, 4, 1), 3, D(2026, 6, 30)),
        (D(2026, 4, 10), 3, D(2026, 7, 9)),
        (D(2026, 4, 10), 12, D(2027, 4, 9)),
        (D(2026, 4, 10), 36, D(2029, 4, 9)),
        (D(2026, 11, 30), 3, D(2027, 2, 27)),  # no 30 February: the period ends with February
        (D(2027, 11, 30), 3, D(2028, 2, 28)),  # a leap year's February ends on the 29th
        (D(2028, 2, 29), 12, D(2029, 2, 27)),
        (D(2026, 12, 31), 1, D(2027, 1, 30)),
    ],
)
def test_an_entry_is_displayed_up_to_the_day_before_the_same_day_n_months_later(start, months, last_day):
    assert credit_rules.last_display_day(start, months) == last_day


@pytest.mark.parametrize(
    ("credit_class", "start", "earliest"),
    [
        (MINOR, D(2026, 4, 10), D(2026, 4, 10)),  # at once, once the obligations are fulfilled
        (GENERAL, D(2026, 4, 10), D(2026, 7, 10)),
        (GENERAL, D(2026, 11, 30), D(2027, 2, 28)),
        (SERIOUS, D(2026, 4, 10), D(2027, 4, 10)),
        (SERIOUS, D(2028, 2, 29), D(2029, 2, 28)),
    ],
)
def test_repair_may_be_asked_for_once_the_shortest_period_of_the_class_has_run(credit_class, start, earliest):
    assert credit_rules.earliest_repair_day(start, credit_class) == earliest


@pytest.mark.parametrize(
    ("today", "repaired", "displayed"),
    [
        (D(2026, 4, 9), False, False),  # before its first day
        (D(2026, 4, 10), False, True),  # its first day
        (D(2027, 4, 9), False, True),  # its last day
        (D(2027, 4, 10), False, False),  # the day after: gone without anybody acting
        (D(2026, 8, 1), True, False),  # repaired: gone at once
    ],
)
def test_an_entry_is_public_from_its_first_to_its_last_day_unless_repaired(today, repaired, displayed):
    assert credit_rules.is_displayed(D(2026, 4, 10), D(2027, 4, 9), repaired, today) is displayed
