"""Extending a public notice, or correcting when it closes: the candidates' timers, the record and the public page agree."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards import services
from awards.models import ApplicationEvent, ApplicationStatus, NoticeChange
from jobs.periodic import run_periodic_work
from tests.workflows.flow_helpers import close_notice
from workflows import services as workflow_services
from workflows.flows import ReviewFlow

pytestmark = pytest.mark.django_db

REASON = "春节假期期间公众难以查阅，顺延公示期。"
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def on_long_notice(request, program):
    """Alice's application on a notice published for ten working days, which the programme then corrects to five."""
    program.notice_working_days = 10
    program.save()
    application = request.getfixturevalue("on_notice")
    program.notice_working_days = 5
    program.save()
    return application


def _timer(application) -> Task:
    return Task.objects.get(process__applicationprocess__application=application, flow_task=ReviewFlow.notice_period)


def _change(notice, user, closes_at, reason: str = REASON) -> NoticeChange:
    return workflow_services.notice_period_change(notice=notice, user=user, closes_at=closes_at, reason=reason)


def _extend(application, user, days: int = 3) -> tuple[datetime.datetime, datetime.datetime]:
    """Extend the application's notice by some days; return the old and the new closing time."""
    old = application.notice.closes_at
    _change(application.notice, user, old + datetime.timedelta(days=days))
    application.refresh_from_db()
    return old, application.notice.closes_at


def _field(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _status(application) -> str:
    application.refresh_from_db()
    return application.status


# --- The rules ---------------------------------------------------------------------------------------------------


def test_extending_the_notice_moves_the_candidates_timer_to_the_new_closing_time(on_notice, olivia):
    _old, new = _extend(on_notice, olivia)
    assert _timer(on_notice).scheduled == new


def test_after_an_extension_the_candidate_is_still_on_notice_past_the_old_closing_time(on_notice, olivia):
    old, _new = _extend(on_notice, olivia)
    with freeze_time(old + MINUTE):
        fired = run_periodic_work()["workflow timers"]
    assert fired == 0
    assert _status(on_notice) == ApplicationStatus.ON_NOTICE


def test_after_an_extension_the_timer_fires_at_the_new_closing_time(on_notice, olivia):
    _extend(on_notice, olivia)
    assert close_notice(on_notice) == 1
    assert on_notice.status == ApplicationStatus.GRANTED


def test_a_too_long_notice_can_be_corrected_to_close_at_the_working_day_minimum(on_long_notice, olivia):
    notice = on_long_notice.notice
    earliest = services.notice_minimum_closing_time(notice)
    assert earliest < notice.closes_at
    _change(notice, olivia, earliest, "公示期误按十个工作日发布，按规定更正为五个工作日。")
    assert _timer(on_long_notice).scheduled == earliest
    assert close_notice(on_long_notice) == 1
    assert on_long_notice.status == ApplicationStatus.GRANTED


def test_a_closing_time_before_the_working_day_minimum_is_refused_with_a_message(on_long_notice, olivia):
    notice = on_long_notice.notice
    earliest = services.notice_minimum_closing_time(notice)
    with pytest.raises(services.NoticePeriodError) as refused:
        _change(notice, olivia, earliest - datetime.timedelta(hours=1))
    assert refused.value.field == "closes_at"
    assert "不得少于 5 个工作日" in refused.value.messages[0]
    assert _timer(on_long_notice).scheduled == notice.closes_at
    assert not NoticeChange.objects.exists()


def test_a_change_without_a_reason_is_refused(on_notice, olivia):
    with pytest.raises(services.NoticePeriodError) as refused:
        _change(on_notice.notice, olivia, on_notice.notice.closes_at + datetime.timedelta(days=2), reason="  ")
    assert refused.value.field == "reason"
    assert not NoticeChange.objects.exists()


def test_a_closed_notice_cannot_be_changed(on_notice, olivia):
    closes_at = on_notice.notice.closes_at
    with freeze_time(closes_at + MINUTE), pytest.raises(services.NoticePeriodError) as refused:
        _change(on_notice.notice, olivia, closes_at + datetime.timedelta(days=2))
    assert "不能再调整" in refused.value.messages[0]
    on_notice.notice.refresh_from_db()
    assert on_notice.notice.closes_at == closes_at


def test_nothing_changes_when_a_candidates_timer_cannot_be_moved(on_notice, olivia):
    closes_at = on_notice.notice.closes_at
    Task.objects.filter(pk=_timer(on_notice).pk).update(status=STATUS.CANCELED)
    with pytest.raises(services.NoticePeriodError):
        _change(on_notice.notice, olivia, closes_at + datetime.timedelta(days=2))
    on_notice.notice.refresh_from_db()
    assert on_notice.notice.closes_at == closes_at
    assert not NoticeChange.objects.exists()


def test_the_change_is_recorded_with_who_when_and_why(on_notice, olivia):
    old, new = _extend(on_notice, olivia)
    change = NoticeChange.objects.get()
    assert (change.notice, change.changed_by, change.reason) == (on_notice.notice, olivia, REASON)
    assert (change.previous_closes_at, change.closes_at) == (old, new)
    assert abs(change.changed_at - timezone.now()) < MINUTE


def test_the_candidates_history_records_the_new_closing_time_and_the_reason(on_notice, olivia):
    _extend(on_notice, olivia)
    event = on_notice.events.get(action=ApplicationEvent.Action.NOTICE_PERIOD_CHANGED)
    assert event.actor == olivia
    assert REASON in event.note


def test_the_candidate_is_told_of_the_new_closing_time_by_mail(on_notice, olivia, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _extend(on_notice, olivia)
    message = mail.outbox[-1]
    assert "公示期已调整" in message.subject
    assert REASON in message.body


# --- The organizer's screen ---------------------------------------------------------------------------------------


def _screen(notice) -> str:
    return reverse("workflows:notice_period", args=[notice.pk])


def test_the_dashboard_offers_to_change_an_open_notice(client, on_notice, olivia):
    client.force_login(olivia)
    page = client.get(reverse("workflows:dashboard", args=[on_notice.program.slug])).content.decode()
    assert "调整公示期" in page
    assert _screen(on_notice.notice) in page


def test_the_screen_shows_the_earliest_allowed_closing_time(client, on_long_notice, olivia):
    client.force_login(olivia)
    response = client.get(_screen(on_long_notice.notice))
    earliest = timezone.localtime(services.notice_minimum_closing_time(on_long_notice.notice))
    assert response.status_code == 200
    assert "最早可截止时间" in response.content.decode()
    assert f"{earliest:%Y}年{earliest.month}月{earliest.day}日" in response.content.decode()


def test_the_closing_time_field_carries_an_iso_value(client, on_notice, olivia):
    client.force_login(olivia)
    page = client.get(_screen(on_notice.notice)).content.decode()
    assert 'type="datetime-local"' in page
    assert f'value="{_field(on_notice.notice.closes_at)}"' in page


def test_an_organizer_extends_the_notice_on_the_screen(client, on_notice, olivia):
    new = on_notice.notice.closes_at + datetime.timedelta(days=2)
    client.force_login(olivia)
    response = client.post(_screen(on_notice.notice), {"closes_at": _field(new), "reason": REASON})
    assert response.status_code == 302
    on_notice.notice.refresh_from_db()
    assert on_notice.notice.closes_at == new
    assert _timer(on_notice).scheduled == new


def test_the_screen_puts_a_too_early_closing_time_refusal_next_to_the_field(client, on_long_notice, olivia):
    too_early = services.notice_minimum_closing_time(on_long_notice.notice) - datetime.timedelta(days=1)
    client.force_login(olivia)
    response = client.post(_screen(on_long_notice.notice), {"closes_at": _field(too_early), "reason": REASON})
    assert response.status_code == 400
    assert response.context["form"].errors["closes_at"][0].startswith("公示期自发布起不得少于 5 个工作日")
    assert "公示期自发布起不得少于 5 个工作日" in response.content.decode()


def test_the_screen_asks_for_the_reason(client, on_notice, olivia):
    new = on_notice.notice.closes_at + datetime.timedelta(days=2)
    client.force_login(olivia)
    response = client.post(_screen(on_notice.notice), {"closes_at": _field(new), "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["请填写调整理由，理由将记入该公示的调整记录。"]
    assert not NoticeChange.objects.exists()


def test_the_screen_of_a_closed_notice_offers_no_change(client, on_notice, olivia):
    with freeze_time(on_notice.notice.closes_at + MINUTE):
        run_periodic_work()
        client.force_login(olivia)
        response = client.get(_screen(on_notice.notice))
    assert response.status_code == 200
    assert "公示期不能再调整" in response.content.decode()
    assert 'name="closes_at"' not in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "carl", "reviewer"])
def test_the_screen_is_refused_to_everyone_but_organizers(client, on_notice, alice, carl, reviewers, who):
    user = {"alice": alice, "carl": carl, "reviewer": reviewers[0]}[who]
    new = on_notice.notice.closes_at + datetime.timedelta(days=2)
    client.force_login(user)
    assert client.get(_screen(on_notice.notice)).status_code == 403
    assert client.post(_screen(on_notice.notice), {"closes_at": _field(new), "reason": REASON}).status_code == 403
    assert not NoticeChange.objects.exists()


# --- The public page and the candidates agree -------------------------------------------------------------------


def _public_page(client) -> str:
    client.logout()
    return client.get(reverse("notices")).content.decode()


def test_after_an_extension_the_public_page_shows_the_notice_open_while_its_candidate_is_on_notice(
    client, on_notice, olivia
):
    old, _new = _extend(on_notice, olivia)
    with freeze_time(old + MINUTE):
        run_periodic_work()
        page = _public_page(client)
    assert on_notice.enterprise.name in page
    assert "公示期已延长至" in page and "原定" in page
    assert _status(on_notice) == ApplicationStatus.ON_NOTICE


def test_after_the_new_closing_time_the_public_page_shows_the_notice_closed_and_the_candidate_moved_on(
    client, on_notice, olivia
):
    _old, new = _extend(on_notice, olivia)
    with freeze_time(new + MINUTE):
        run_periodic_work()
        page = _public_page(client)
    assert on_notice.enterprise.name not in page
    assert _status(on_notice) == ApplicationStatus.GRANTED


def test_after_an_earlier_correction_the_public_page_and_the_candidate_agree_at_the_new_closing_time(
    client, on_long_notice, olivia
):
    earliest = services.notice_minimum_closing_time(on_long_notice.notice)
    _change(on_long_notice.notice, olivia, earliest)
    with freeze_time(earliest - MINUTE):
        run_periodic_work()
        page = _public_page(client)
    assert "公示期已调整为" in page
    assert _status(on_long_notice) == ApplicationStatus.ON_NOTICE
    with freeze_time(earliest + MINUTE):
        run_periodic_work()
        page = _public_page(client)
    assert on_long_notice.enterprise.name not in page
    assert _status(on_long_notice) == ApplicationStatus.GRANTED
