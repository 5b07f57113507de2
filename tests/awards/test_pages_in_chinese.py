"""Every page a user sees renders, in Simplified Chinese by default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import complete_draft

pytestmark = pytest.mark.django_db


def test_the_home_page_is_in_chinese(client, program):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'lang="zh-CN"' in response.content.decode()
    assert "申报" in response.content.decode()
    assert program.title in response.content.decode()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("accounts:login", "登录"),
        ("accounts:register", "注册"),
        ("accounts:password_reset", "密码"),
        ("awards:program_list", "评选"),
    ],
)
def test_public_pages_are_in_chinese(client, program, name, text):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert text in response.content.decode()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("home", "我的申报"),
        ("awards:application_list", "我的申报"),
        ("awards:enterprise_edit", "统一社会信用代码"),
        ("awards:program_list", "已申报"),
    ],
)
def test_applicant_pages_are_in_chinese(client, alice, alice_application, name, text):
    client.force_login(alice)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_application_form_is_in_chinese(client, alice, alice_application):
    client.force_login(alice)
    response = client.get(reverse("awards:application_edit", args=[alice_application.pk]))
    assert response.status_code == 200
    for text in ("自评", "承诺书", "营业执照", "保存草稿", "提交"):
        assert text in response.content.decode()


def test_the_status_page_shows_the_step_indicator(client, alice, alice_application):
    complete_draft(alice_application)
    client.force_login(alice)
    response = client.get(reverse("awards:application_detail", args=[alice_application.pk]))
    content = response.content.decode()
    for step in ("填写", "提交", "形式审查", "评审", "公示", "授牌"):
        assert step in content
    assert 'aria-current="step"' in content


def test_the_register_page_of_a_new_account_is_in_chinese(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("awards:enterprise_register"))
    assert "统一社会信用代码" in response.content.decode()


def test_english_is_available(client, program):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert 'lang="en"' in response.content.decode()
    assert "Programmes open for applications" in response.content.decode()


def test_an_unknown_page_answers_404_in_chinese(client, db, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面" in response.content.decode()


def test_the_admin_is_in_chinese(client, olivia):
    client.force_login(olivia)
    response = client.get(reverse("admin:awards_program_add"))
    assert response.status_code == 200
    assert "评选活动" in response.content.decode()
