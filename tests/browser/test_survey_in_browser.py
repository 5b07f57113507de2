"""In Chromium on a phone: a customer answers an enterprise's questionnaire from its link, and the same phone is
refused a second answer."""

from __future__ import annotations

import pytest

from evaluations import survey
from evaluations.models import SurveyResponse
from tests.evaluations.test_survey import make_evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def test_a_customer_answers_on_a_phone_once_and_is_refused_the_second_time(phone_page, guard):
    world = make_evaluation(1)
    application = world.applications[0]
    link = f"/survey/{survey.survey_token(application)}/"

    phone_page.goto(link)
    guard.screenshot(phone_page, "questionnaire")
    assert phone_page.get_by_role("heading", name=application.enterprise.name).is_visible()
    assert phone_page.evaluate(OVERFLOW) <= 1
    questions = phone_page.locator("fieldset")
    assert questions.count() == survey.plan_questions(world.plan).count()
    for index in range(questions.count()):
        questions.nth(index).get_by_label("满意", exact=True).check()
    phone_page.get_by_label("您的手机号码（选填）").fill("13800138000")
    phone_page.get_by_role("button", name="提交评价").click()
    guard.screenshot(phone_page, "thanks")
    assert phone_page.get_by_role("heading", name="感谢您的评价，已成功提交").is_visible()

    phone_page.goto(link)
    guard.screenshot(phone_page, "second time")
    assert phone_page.get_by_role("heading", name="您已提交过评价").is_visible()
    assert phone_page.get_by_role("button", name="提交评价").count() == 0
    answer = SurveyResponse.objects.get(application=application)
    assert answer.score == 75 and answer.phone_hash
