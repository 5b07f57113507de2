"""The official Chinese holiday calendar as data, for seeding the organizers' calendar table.

Every holiday day is listed, including those that fall on a weekend (``is_working_day=False``), so an
organizer sees each holiday whole; make-up working days (调休上班) on weekends are listed with
``is_working_day=True``. Weekdays that are simply worked are not listed.

Years in ``PROVISIONAL_YEARS`` hold only the statutory holiday days of 《全国年节及纪念日放假办法》
(as revised in 2024): the State Council's notice, with its bridging days and make-up working days,
had not been published, and organizers must complete the year when it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarEntry:
    day: datetime.date
    is_working_day: bool
    note: str


def _days_off(year: int, month: int, first: int, last: int, note: str) -> tuple[CalendarEntry, ...]:
    return tuple(CalendarEntry(datetime.date(year, month, d), False, note) for d in range(first, last + 1))


def _work(year: int, month: int, day: int, note: str) -> CalendarEntry:
    return CalendarEntry(datetime.date(year, month, day), True, note)


# 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）
_2026 = (
    # 元旦：1月1日（周四）至3日（周六）放假，共3天。1月4日（周日）上班。
    *_days_off(2026, 1, 1, 3, "元旦"),
    _work(2026, 1, 4, "元旦调休上班"),
    # 春节：2月15日（周日）至23日（周一）放假，共9天。2月14日（周六）、2月28日（周六）上班。
    _work(2026, 2, 14, "春节调休上班"),
    *_days_off(2026, 2, 15, 23, "春节"),
    _work(2026, 2, 28, "春节调休上班"),
    # 清明节：4月4日（周六）至6日（周一）放假，共3天。
    *_days_off(2026, 4, 4, 6, "清明节"),
    # 劳动节：5月1日（周五）至5日（周二）放假，共5天。5月9日（周六）上班。
    *_days_off(2026, 5, 1, 5, "劳动节"),
    _work(2026, 5, 9, "劳动节调休上班"),
    # 端午节：6月19日（周五）至21日（周日）放假，共3天。
    *_days_off(2026, 6, 19, 21, "端午节"),
    # 中秋节：9月25日（周五）至27日（周日）放假，共3天。
    _work(2026, 9, 20, "国庆节调休上班"),
    *_days_off(2026, 9, 25, 27, "中秋节"),
    # 国庆节：10月1日（周四）至7日（周三）放假，共7天。9月20日（周日）、10月10日（周六）上班。
    *_days_off(2026, 10, 1, 7, "国庆节"),
    _work(2026, 10, 10, "国庆节调休上班"),
)

_PENDING = "（法定假日，调休安排待国务院通知）"

# Statutory days only. 2027: 正月初一 is 6 February, 除夕 (腊月廿九, a short month) 5 February;
# 清明 falls on 5 April, 端午 on 9 June, 中秋 on 15 September.
_2027 = (
    *_days_off(2027, 1, 1, 1, "元旦" + _PENDING),
    *_days_off(2027, 2, 5, 8, "春节" + _PENDING),
    *_days_off(2027, 4, 5, 5, "清明节" + _PENDING),
    *_days_off(2027, 5, 1, 2, "劳动节" + _PENDING),
    *_days_off(2027, 6, 9, 9, "端午节" + _PENDING),
    *_days_off(2027, 9, 15, 15, "中秋节" + _PENDING),
    *_days_off(2027, 10, 1, 3, "国庆节" + _PENDING),
)

OFFICIAL: dict[int, tuple[CalendarEntry, ...]] = {
    2026: _2026,
    2027: _2027,
}

PROVISIONAL_YEARS: frozenset[int] = frozenset({2027})


def entries_for(year: int) -> tuple[CalendarEntry, ...]:
    """The calendar entries of a year, sorted by day; empty for a year we hold no data for."""
    return tuple(sorted(OFFICIAL.get(year, ()), key=lambda entry: entry.day))
