"""Counting working days on the official Chinese calendar, for public-notice (公示) periods."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awards.holiday_data import OFFICIAL, PROVISIONAL_YEARS, entries_for
from awards.workdays import MAX_DAYS_WITHOUT_WORK, add_working_days, is_working_day, working_days_between

D = datetime.date
NO_OVERRIDES: dict[datetime.date, bool] = {}
CALENDAR = {entry.day: entry.is_working_day for year in OFFICIAL for entry in entries_for(year)}
WEEKDAYS = "周一 周二 周三 周四 周五 周六 周日".split()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 3, 3), True),  # Monday
        (D(2025, 3, 7), True),  # Friday
        (D(2025, 3, 8), False),  # Saturday
        (D(2025, 3, 9), False),  # Sunday
    ],
)
def test_monday_to_friday_are_working_days_without_overrides(day, working):
    assert is_working_day(day, NO_OVERRIDES) is working


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 10, 1), False),  # Thursday, 国庆节
        (D(2026, 2, 23), False),  # Monday, last day of 春节
        (D(2026, 2, 14), True),  # Saturday, 春节调休上班
        (D(2026, 9, 20), True),  # Sunday, 国庆节调休上班
        (D(2026, 10, 3), False),  # Saturday inside 国庆节: listed, and still a day off
    ],
)
def test_overrides_decide_holidays_and_make_up_days(day, working):
    assert is_working_day(day, CALENDAR) is working


@pytest.mark.parametrize(
    ("start", "count", "end"),
    [
        (D(2025, 3, 3), 1, D(2025, 3, 4)),  # Mon -> Tue
        (D(2025, 3, 3), 4, D(2025, 3, 7)),  # Mon -> Fri
        (D(2025, 3, 3), 5, D(2025, 3, 10)),  # Mon -> next Mon
        (D(2025, 3, 3), 10, D(2025, 3, 17)),  # two weeks
        (D(2025, 3, 7), 1, D(2025, 3, 10)),  # Fri -> Mon
        (D(2025, 3, 8), 1, D(2025, 3, 10)),  # Sat -> Mon
        (D(2025, 3, 9), 1, D(2025, 3, 10)),  # Sun -> Mon
    ],
)
def test_plain_weeks_skip_only_the_weekend(start, count, end):
    assert add_working_days(start, count, NO_OVERRIDES) == end


@pytest.mark.parametrize(
    ("published", "end"),
    [
        # Fri 13 Mar 2026: Mon 16, Tue 17, Wed 18, Thu 19, Fri 20.
        (D(2026, 3, 13), D(2026, 3, 20)),
        # Fri 24 Apr 2026: Mon 27 – Thu 30 are 1–4, 1–5 May are 劳动节, Wed 6 May is the 5th.
        (D(2026, 4, 24), D(2026, 5, 6)),
    ],
)
def test_a_five_day_notice_published_on_a_friday_starts_counting_on_the_next_working_day(published, end):
    assert add_working_days(published, 5, CALENDAR) == end


@pytest.mark.parametrize(
    ("start", "count", "end"),
    [
        # Holiday 15–23 Feb (Sun–Mon); make-up Saturdays 14 and 28 Feb.
        # From Thu 12 Feb: Fri 13 = 1, Sat 14 (make-up) = 2, 15–23 off, Tue 24 = 3, Wed 25 = 4, Thu 26 = 5.
        # So 5 working days end on Thu 26 Feb, not on Mon 2 Mar.
        (D(2026, 2, 12), 1, D(2026, 2, 13)),
        (D(2026, 2, 12), 2, D(2026, 2, 14)),
        (D(2026, 2, 12), 3, D(2026, 2, 24)),
        (D(2026, 2, 12), 5, D(2026, 2, 26)),
        # ... Fri 27 = 6, Sat 28 (make-up) = 7, Mon 2 Mar = 8, Tue 3 = 9, Wed 4 = 10.
        (D(2026, 2, 12), 10, D(2026, 3, 4)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Fri -> the make-up Saturday
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # the make-up Saturday -> over the whole holiday
        (D(2026, 2, 27), 1, D(2026, 2, 28)),  # Fri -> the second make-up Saturday
        (D(2026, 2, 28), 1, D(2026, 3, 2)),  # make-up Saturday -> Mon; Sun 1 Mar is a plain day off
    ],
)
def test_the_2026_spring_festival_is_skipped_and_its_make_up_saturdays_count(start, count, end):
    assert add_working_days(start, count, CALENDAR) == end


@pytest.mark.parametrize(
    ("start", "count", "end"),
    [
        # Sat 19 Sep is off, Sun 20 Sep is a make-up day.
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 18), 5, D(2026, 9, 24)),  # Sun 20, Mon 21, Tue 22, Wed 23, Thu 24
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # Fri 25 – Sun 27 are 中秋节
        # From Mon 28 Sep: Tue 29 = 1, Wed 30 = 2, 1–7 Oct off, Thu 8 = 3, Fri 9 = 4, Sat 10 (make-up) = 5.
        (D(2026, 9, 28), 5, D(2026, 10, 10)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),
        (D(2026, 10, 9), 2, D(2026, 10, 12)),  # Sun 11 Oct is a plain day off
        # A 7-day notice from Thu 24 Sep: 28, 29, 30 Sep, 8, 9, 10, 12 Oct.
        (D(2026, 9, 24), 7, D(2026, 10, 12)),
    ],
)
def test_the_2026_national_day_block_is_skipped_and_its_make_up_days_count(start, count, end):
    assert add_working_days(start, count, CALENDAR) == end


def test_counting_crosses_the_new_year_onto_the_make_up_sunday():
    # 1–3 Jan 2026 are 元旦, Sun 4 Jan is a make-up day.
    assert add_working_days(D(2025, 12, 31), 1, CALENDAR) == D(2026, 1, 4)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2025, 3, 3), D(2025, 3, 10), 5),  # a plain week, Mon exclusive to Mon inclusive
        (D(2025, 3, 7), D(2025, 3, 9), 0),  # Fri to Sun: only the weekend
        (D(2026, 2, 12), D(2026, 2, 26), 5),
        (D(2026, 2, 12), D(2026, 3, 4), 10),
        (D(2026, 2, 14), D(2026, 2, 23), 0),  # the whole Spring Festival holiday
        (D(2026, 9, 28), D(2026, 10, 10), 5),
        (D(2026, 9, 30), D(2026, 10, 7), 0),  # the whole National Day holiday
        (D(2026, 3, 2), D(2026, 3, 2), 0),  # same day
        (D(2026, 3, 9), D(2026, 3, 2), 0),  # end before start
    ],
)
def test_working_days_between_counts_days_after_start_up_to_and_including_end(start, end, count):
    assert working_days_between(start, end, CALENDAR) == count


@given(
    start=st.dates(min_value=D(2025, 12, 1), max_value=D(2027, 10, 31)),
    count=st.integers(min_value=1, max_value=40),
)
def test_working_days_between_undoes_add_working_days(start, count):
    assert working_days_between(start, add_working_days(start, count, CALENDAR), CALENDAR) == count


@pytest.mark.parametrize("count", [0, -1, -5])
def test_a_count_below_one_is_rejected(count):
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(D(2026, 3, 2), count, NO_OVERRIDES)


def test_overrides_that_make_every_day_a_day_off_raise_instead_of_looping_forever():
    start = D(2026, 3, 2)
    everything_off = {start + datetime.timedelta(days=n): False for n in range(1, MAX_DAYS_WITHOUT_WORK + 10)}
    with pytest.raises(ValueError, match="overrides"):
        add_working_days(start, 1, everything_off)


def test_a_long_but_finite_run_of_days_off_is_still_crossed():
    start = D(2026, 3, 2)
    hundred_days_off = {start + datetime.timedelta(days=n): False for n in range(1, 101)}
    assert add_working_days(start, 1, hundred_days_off) == add_working_days(start + datetime.timedelta(100), 1, {})


@pytest.mark.parametrize("bad", [datetime.datetime(2026, 3, 2, 9, 0), "2026-03-02"])
def test_a_datetime_or_string_is_refused_rather_than_silently_missing_the_overrides(bad):
    with pytest.raises(TypeError):
        add_working_days(bad, 1, CALENDAR)


# Every weekday the notice 国办发明电〔2025〕7号 states, as printed.
NOTICE_2026_WEEKDAYS = [
    (D(2026, 1, 1), "周四"),
    (D(2026, 1, 3), "周六"),
    (D(2026, 1, 4), "周日"),
    (D(2026, 2, 15), "周日"),
    (D(2026, 2, 23), "周一"),
    (D(2026, 2, 14), "周六"),
    (D(2026, 2, 28), "周六"),
    (D(2026, 4, 4), "周六"),
    (D(2026, 4, 6), "周一"),
    (D(2026, 5, 1), "周五"),
    (D(2026, 5, 5), "周二"),
    (D(2026, 5, 9), "周六"),
    (D(2026, 6, 19), "周五"),
    (D(2026, 6, 21), "周日"),
    (D(2026, 9, 25), "周五"),
    (D(2026, 9, 27), "周日"),
    (D(2026, 10, 1), "周四"),
    (D(2026, 10, 7), "周三"),
    (D(2026, 9, 20), "周日"),
    (D(2026, 10, 10), "周六"),
]


@pytest.mark.parametrize(("day", "weekday"), NOTICE_2026_WEEKDAYS, ids=str)
def test_every_weekday_the_2026_notice_states_is_true(day, weekday):
    assert WEEKDAYS[day.weekday()] == weekday


@pytest.mark.parametrize(("day", "_weekday"), NOTICE_2026_WEEKDAYS, ids=str)
def test_every_day_the_2026_notice_names_is_in_the_seed_data(day, _weekday):
    assert day in {entry.day for entry in entries_for(2026)}


HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


@pytest.mark.parametrize("entry", entries_for(2026), ids=lambda entry: f"{entry.day}-{entry.note}")
def test_every_2026_entry_is_a_make_up_weekend_or_a_named_holiday(entry):
    if entry.is_working_day:
        assert entry.day.weekday() >= 5
        assert entry.note in {f"{name}调休上班" for name in HOLIDAYS}
    else:
        assert entry.note in HOLIDAYS


@pytest.mark.parametrize(
    ("note", "days"),
    list(zip(HOLIDAYS, (3, 9, 3, 5, 3, 3, 7), strict=True)),
)
def test_each_2026_holiday_lasts_as_many_days_as_the_notice_says(note, days):
    holidays = Counter(entry.note for entry in entries_for(2026) if not entry.is_working_day)
    assert holidays[note] == days


def test_2026_has_exactly_the_six_make_up_days_of_the_notice():
    make_up = {entry.day for entry in entries_for(2026) if entry.is_working_day}
    assert make_up == {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_entries_for_a_year_are_sorted_unique_and_within_the_year(year):
    days = [entry.day for entry in entries_for(year)]
    assert days == sorted(set(days))
    assert {day.year for day in days} == {year}


def test_2026_is_final_and_2027_is_provisional():
    assert 2026 not in PROVISIONAL_YEARS
    assert 2027 in PROVISIONAL_YEARS


def test_2027_holds_the_spring_festival_first_day_as_a_day_off():
    entries = {entry.day: entry for entry in entries_for(2027)}
    assert entries[D(2027, 2, 6)].is_working_day is False
    assert entries[D(2027, 2, 6)].note.startswith("春节")


def test_2027_holds_only_the_statutory_days_each_marked_as_awaiting_the_notice():
    entries = entries_for(2027)
    assert [entry.day for entry in entries] == [
        D(2027, 1, 1),
        *(D(2027, 2, d) for d in range(5, 9)),  # 除夕 and 正月初一至初三
        D(2027, 4, 5),
        D(2027, 5, 1),
        D(2027, 5, 2),
        D(2027, 6, 9),
        D(2027, 9, 15),
        *(D(2027, 10, d) for d in range(1, 4)),
    ]
    assert all(not entry.is_working_day and "待国务院通知" in entry.note for entry in entries)


def test_a_year_without_data_has_no_entries():
    assert entries_for(2030) == ()
