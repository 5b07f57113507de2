"""The right to be heard (陈述申辩): the enterprise's time to respond is counted in working days on the official
calendar (the 2026 holidays and make-up working days are seeded), from the day after it is told to 24:00 of the last."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from awards.models import ReviewResult, StatementSubject
from awards.services import ApplicationError
from awards.services.statements import result_statement_open, statement_due, statement_open, statement_respond
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def _at(year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)


def _midnight_after(year: int, month: int, day: int) -> datetime.datetime:
    return _at(year, month, day, 0) + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("told", "days", "last_day", "why"),
    [
        (_at(2026, 11, 16), 5, (2026, 11, 23), "Mon: Tue–Fri and the next Mon; the weekend does not count"),
        (_at(2026, 11, 16, 23, 59), 5, (2026, 11, 23), "the day of the notice never counts, however late"),
        (_at(2026, 9, 24), 5, (2026, 10, 9), "中秋 (25–27 Sep) and 国庆 (1–7 Oct) inside: 28, 29, 30 Sep, 8, 9 Oct"),
        (_at(2026, 10, 9), 5, (2026, 10, 15), "Sat 10 Oct is a make-up working day and counts: 10, 12, 13, 14, 15"),
        (_at(2026, 4, 29), 5, (2026, 5, 9), "劳动节 (1–5 May) inside, then Sat 9 May, a make-up day, is the last"),
        (_at(2026, 9, 30), 1, (2026, 10, 8), "one working day after the eve of 国庆 is the 8th"),
        (_at(2026, 11, 16), 10, (2026, 11, 30), "ten working days: two weeks"),
    ],
)
def test_the_time_ends_at_midnight_after_the_nth_working_day(told, days, last_day, why):
    assert statement_due(told, days) == _midnight_after(*last_day), why


def _told(application, when: datetime.datetime, days: int = 5):
    return statement_open(
        application=application,
        user=None,
        subject=StatementSubject.RESULT,
        proposal="D",
        tier="D",
        reasons="综合评议拟评为D级。",
        working_days=days,
        now=when,
        notify=False,
    )


def test_a_statement_in_the_last_second_of_the_last_working_day_is_accepted():
    statement = _told(ApplicationFactory(), _at(2026, 9, 24))
    statement_respond(statement=statement, user=None, response="已整改。", now=_at(2026, 10, 9, 23, 59, 59))
    statement.refresh_from_db()
    assert statement.responded_at == _at(2026, 10, 9, 23, 59, 59)


def test_a_statement_at_midnight_after_the_last_working_day_is_refused_with_the_date():
    statement = _told(ApplicationFactory(), _at(2026, 9, 24))
    with pytest.raises(ApplicationError, match="2026-10-09 24:00"):
        statement_respond(statement=statement, user=None, response="已整改。", now=_at(2026, 10, 10, 0, 0))


def test_a_statement_is_filed_once():
    statement = _told(ApplicationFactory(), _at(2026, 11, 16))
    statement_respond(statement=statement, user=None, response="已整改。", now=_at(2026, 11, 17))
    with pytest.raises(ApplicationError):
        statement_respond(statement=statement, user=None, response="再补充。", now=_at(2026, 11, 18))


def test_an_empty_statement_is_refused():
    statement = _told(ApplicationFactory(), _at(2026, 11, 16))
    with pytest.raises(ApplicationError):
        statement_respond(statement=statement, user=None, response="  ", now=_at(2026, 11, 17))


@override_settings(STATEMENT_WORKING_DAYS=10)
def test_the_number_of_working_days_is_the_documented_setting():
    application = ApplicationFactory()
    ReviewResult.objects.create(
        application=application, final_score=Decimal("30"), tier="D", rule_version="t", explanation={}
    )
    statement = result_statement_open(application=application, now=_at(2026, 11, 16))
    assert statement.working_days == 10
    assert statement.due_at == _midnight_after(2026, 11, 30)


def test_a_b_result_is_not_heard():
    application = ApplicationFactory()
    ReviewResult.objects.create(
        application=application, final_score=Decimal("80"), tier="B", rule_version="t", explanation={}
    )
    assert result_statement_open(application=application) is None


def test_a_deadline_at_midnight_reads_as_the_last_day_to_24_00():
    statement = _told(ApplicationFactory(), _at(2026, 9, 24))
    assert statement.due_display == "2026年10月9日 24:00"
