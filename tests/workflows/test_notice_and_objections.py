"""The public notice: its period in working days, and who may object when."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from awards import services
from awards.models import CalendarDay, Objection

pytestmark = pytest.mark.django_db


def _local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_a_notice_published_on_a_friday_closes_after_five_working_days():
    # Friday 2026-11-20 → Mon 23, Tue 24, Wed 25, Thu 26, Fri 27; open until Saturday 00:00.
    assert services.notice_closing_time(_local(2026, 11, 20, 10, 0), 5) == _local(2026, 11, 28, 0, 0)


def test_the_notice_period_skips_national_day_and_counts_the_make_up_saturday():
    # Published Tuesday 2026-09-29: Wed 30, [1–7 October off], Thu 8, Fri 9, Sat 10 (make-up working day), Mon 12.
    assert services.notice_closing_time(_local(2026, 9, 29, 9, 0), 5) == _local(2026, 10, 13, 0, 0)


def test_the_organizer_maintains_the_calendar():
    CalendarDay.objects.create(day=datetime.date(2026, 11, 23), is_working_day=False, note="地方性假日")
    assert services.notice_closing_time(_local(2026, 11, 20, 10, 0), 5) == _local(2026, 12, 1, 0, 0)


def _post(client, application, **overrides):
    prefix = f"n{application.notice_id}"
    data = {
        f"{prefix}-application": application.pk,
        f"{prefix}-name": "王小明",
        f"{prefix}-phone": "13912345678",
        f"{prefix}-statement": "该企业存在价格欺诈行为，有购物小票为证。",
    }
    data.update({f"{prefix}-{key}": value for key, value in overrides.items()})
    return client.post(reverse("objection_file", args=[application.notice_id]), data)


def test_the_notice_page_lists_candidates_without_contact_details(client, on_notice):
    page = client.get(reverse("notices")).content.decode()
    assert on_notice.enterprise.name in page
    assert on_notice.enterprise.uscc in page
    assert on_notice.enterprise.contact_name not in page
    assert on_notice.enterprise.contact_phone not in page


def test_an_objection_gets_a_tracking_number(client, on_notice):
    response = _post(client, on_notice)
    objection = Objection.objects.get()
    assert objection.tracking_number in response.content.decode()
    assert objection.tracking_number.startswith("YY") and len(objection.tracking_number) == 12


def test_an_anonymous_objection_is_refused(client, on_notice):
    response = _post(client, on_notice, name="")
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_an_objection_without_a_contact_is_refused(client, on_notice):
    response = _post(client, on_notice, phone="保密")
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_a_late_objection_is_refused_with_a_clear_message(client, on_notice):
    with freeze_time(on_notice.notice.closes_at + datetime.timedelta(seconds=1)):
        response = _post(client, on_notice)
    assert response.status_code == 400
    assert (
        "公示期" in response.content.decode()
        or "截止" in response.content.decode()
        or "结束" in response.content.decode()
    )
    assert not Objection.objects.exists()


def test_an_unknown_tracking_number_is_answered_clearly(client, db):
    response = client.get(reverse("objection_lookup"), {"number": "YYNOSUCH0000"})
    assert response.status_code == 404
    assert "受理编号" in response.content.decode()


def test_objections_are_rate_limited_per_address(client, on_notice, settings):
    from awards import public_views

    for _ in range(public_views.OBJECTIONS_PER_HOUR):
        _post(client, on_notice)
    response = _post(client, on_notice)
    assert response.status_code == 429
    assert Objection.objects.count() == public_views.OBJECTIONS_PER_HOUR


def test_an_objection_over_the_rate_limit_is_answered_with_a_chinese_429_page(client, on_notice, monkeypatch):
    from awards import public_views

    monkeypatch.setattr(public_views, "OBJECTIONS_PER_HOUR", 1)
    _post(client, on_notice)
    response = _post(client, on_notice)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "请求过于频繁" in page
    assert "您所在网络在过去一小时内提交的异议过多" in page


def test_evidence_reaches_the_organizer_only(client, on_notice, olivia, alice):
    from tests.factories import pdf_bytes, upload

    prefix = f"n{on_notice.notice_id}"
    client.post(
        reverse("objection_file", args=[on_notice.notice_id]),
        {
            f"{prefix}-application": on_notice.pk,
            f"{prefix}-name": "王小明",
            f"{prefix}-phone": "13912345678",
            f"{prefix}-statement": "该企业存在价格欺诈行为，有购物小票为证。",
            f"{prefix}-evidence": upload("小票.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    objection = Objection.objects.get()
    assert objection.evidence_name == "小票.pdf"
    url = reverse("workflows:objection_evidence", args=[objection.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(olivia)
    assert client.get(url).status_code == 200
