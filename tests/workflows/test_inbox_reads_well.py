"""The inbox says in plain Chinese when each task arrived, and its 办理 button has room to stay on one line."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.workflows.flow_helpers import submit

pytestmark = pytest.mark.django_db


def _inbox(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("workflows:inbox")).content.decode()


def test_a_task_that_arrived_seconds_ago_reads_just_now(client, alice_application, olivia):
    submit(client, alice_application)
    page = _inbox(client, olivia)
    assert "刚刚" in page
    assert "0\xa0分钟" not in page and "0 分钟" not in page


def test_an_older_task_reads_how_long_it_has_waited(client, alice_application, olivia):
    submit(client, alice_application)
    with freeze_time(timezone.now() + datetime.timedelta(hours=3, minutes=20)):
        page = _inbox(client, olivia)
    assert "3\xa0小时前" in page


def test_the_time_column_has_our_own_chinese_header(client, alice_application, olivia):
    submit(client, alice_application)
    page = _inbox(client, olivia)
    assert "<th>收到时间</th>" in page
    assert "等待起始时间" not in page


def test_the_open_button_sits_in_the_action_column(client, alice_application, olivia):
    submit(client, alice_application)
    page = _inbox(client, olivia)
    assert '<td class="action"><a class="button primary"' in page
