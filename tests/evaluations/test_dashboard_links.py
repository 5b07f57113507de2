"""The programme dashboard leads the organizer to every screen of a sector evaluation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import ProgramMode
from evaluations.plan import plan_create
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SCREENS = ["plan", "survey_enterprises", "hearings", "records", "grading", "publication"]


def test_the_dashboard_of_an_evaluation_with_a_plan_links_every_evaluation_screen(client, olivia):
    program = ProgramFactory(mode=ProgramMode.EVALUATION)
    today = timezone.localdate()
    plan_create(program=program, period_start=today - datetime.timedelta(days=30), period_end=today)
    client.force_login(olivia)
    page = client.get(reverse("workflows:dashboard", args=[program.slug])).content.decode()
    for screen in SCREENS:
        assert reverse(f"evaluations:{screen}", args=[program.slug]) in page, screen


def test_without_a_plan_the_dashboard_offers_to_write_one(client, olivia):
    program = ProgramFactory(mode=ProgramMode.EVALUATION)
    client.force_login(olivia)
    page = client.get(reverse("workflows:dashboard", args=[program.slug])).content.decode()
    assert reverse("evaluations:plan", args=[program.slug]) in page
    assert reverse("evaluations:grading", args=[program.slug]) not in page


def test_a_new_plan_comes_with_its_questionnaire(db):
    program = ProgramFactory(mode=ProgramMode.EVALUATION)
    today = timezone.localdate()
    plan = plan_create(program=program, period_start=today, period_end=today + datetime.timedelta(days=60))
    assert all(aspect.questions.exists() for aspect in plan.aspects.all())
