"""Organizers set up programmes and their rubrics in the admin, in Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import Program

pytestmark = pytest.mark.django_db


def _program_form(**overrides) -> dict:
    data = {
        "title": "2027年度消费维权教育基地评选",
        "slug": "edu-base-2027",
        "kind": "education_base",
        "mode": "application",
        "year": "2027",
        "issuing_body": "杭州市消费者权益保护委员会",
        "opens_at_0": "2026年11月1日",
        "opens_at_1": "09:00",
        "closes_at_0": "2027年1月15日",
        "closes_at_1": "17:00",
        "notice_working_days": "7",
        "ceremony_date": "",
        "min_reviewers": "3",
        "tier_a_min": "90",
        "tier_b_min": "70",
        "tier_c_min": "40",
        "score_spread_limit": "20",
        "requires_inspection": "unknown",
        "validity_years": "",
        "serial_prefix": "JD",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


def test_an_organizer_creates_a_programme_with_chinese_dates_and_gets_the_default_rubric(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse("admin:awards_program_add"), _program_form())
    assert response.status_code == 302, response.content.decode()
    program = Program.objects.get(slug="edu-base-2027")
    assert program.ceremony_date.isoformat() == "2027-03-15"
    assert program.validity_years == 5
    assert program.requires_inspection is True
    assert program.rubric_total() == 100


def test_a_deadline_before_the_opening_is_explained(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse("admin:awards_program_add"), _program_form(closes_at_0="2026年10月1日"))
    assert response.status_code == 200
    assert "截止" in response.content.decode()
    assert not Program.objects.exists()


def test_tiers_that_do_not_fall_are_explained(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse("admin:awards_program_add"), _program_form(tier_b_min="95"))
    assert response.status_code == 200
    assert not Program.objects.exists()


def test_an_applicant_cannot_reach_the_admin(client, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:awards_program_add"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_reviewer_cannot_set_up_programmes(client, db):
    from accounts.roles import Role, grant_roles
    from tests.factories import UserFactory

    reviewer = UserFactory()
    grant_roles(reviewer, Role.REVIEWER)
    client.force_login(reviewer)
    assert client.get(reverse("admin:awards_program_add")).status_code == 302
