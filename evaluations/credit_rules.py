"""The display period of an exposure-list entry and when its credit repair (信用修复) may be asked for.

Pure functions, no Django state, after 国家发展改革委《信用修复管理办法》(令2025年第36号, in force since
1 April 2026). The figures of CLASS_RULES, and where each comes from:

- Three classes of breach of trust, 轻微 / 一般 / 严重, each with its own display period (公示期限), by the principle
  of 过罚相当 (the chapter of the rules on classification and display periods).
- 轻微 (minor): in principle not displayed at all; where the authority finds display necessary, for at most
  3 months, and repair may be asked for as soon as the legal obligations are fulfilled: no minimum period
  (repair_after_months = 0). We keep 1 month as the shortest period of a minor entry that is displayed at all,
  because an entry of this system exists only once it is on the list; that lower bound is ours, not the rules'.
- 一般 (general): shortest display 3 months, longest 1 year.
- 严重 (serious): shortest display 1 year, longest 3 years.
- Repair may be asked for once the shortest display period of the class has run (最短公示期届满后方可申请);
  when the longest has run the entry stops being displayed by itself (最长公示期届满后自动停止公示).
- The period is counted from the day the breach was found (自认定之日起计算): here the day the entry joined the
  exposure list.

Where we were unsure: we read the figures from the published text of the rules and press reports of it, not from
an annotated edition, so the article numbers are not cited here; the programme officer should check each figure
against 第二章 of the rules. The organizer sets the period within the bounds; by default the longest period of the
class, so that nothing leaves the list earlier than an organizer decided (a D result, 严重失信, is displayed for
3 years unless the organizer sets 1 to 3). A period of N months ends on the same day of the month N months
later (the last day of a shorter month if that day does not exist); the entry is displayed up to the day before.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

MINOR, GENERAL, SERIOUS = "minor", "general", "serious"


@dataclass(frozen=True)
class ClassRule:
    shortest_months: int  # the organizer may not display an entry of the class for less
    longest_months: int  # nor for more: display ends by itself then
    default_months: int
    repair_after_months: int  # repair may be asked for once this much of the display has run


CLASS_RULES: dict[str, ClassRule] = {
    MINOR: ClassRule(shortest_months=1, longest_months=3, default_months=3, repair_after_months=0),
    GENERAL: ClassRule(shortest_months=3, longest_months=12, default_months=12, repair_after_months=3),
    SERIOUS: ClassRule(shortest_months=12, longest_months=36, default_months=36, repair_after_months=12),
}

# A D result (严重失信) is a serious breach; the lower tiers never reach the exposure list today.
DEFAULT_CLASS_FOR_TIER = {"D": SERIOUS, "C": GENERAL}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later, or the last day of that month if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def default_class(tier: str) -> str:
    return DEFAULT_CLASS_FOR_TIER.get(tier, SERIOUS)


def period_allowed(credit_class: str, months: int) -> bool:
    rule = CLASS_RULES[credit_class]
    return rule.shortest_months <= months <= rule.longest_months


def last_display_day(start: datetime.date, months: int) -> datetime.date:
    """The last day an entry displayed from `start` for `months` months is on the public list."""
    return add_months(start, months) - datetime.timedelta(days=1)


def earliest_repair_day(start: datetime.date, credit_class: str) -> datetime.date:
    """The first day the enterprise may ask for credit repair: once the shortest period of the class has run."""
    return add_months(start, CLASS_RULES[credit_class].repair_after_months)


def is_displayed(start: datetime.date, last_day: datetime.date, repaired: bool, today: datetime.date) -> bool:
    """Whether an entry is on the public list on `today`: within its display period and not repaired."""
    return not repaired and start <= today <= last_day
