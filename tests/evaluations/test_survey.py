"""The questionnaire survey: default questions, the public link, answering once per device and number, the period,
and the organizer's screens."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import ApplicationStatus, ProgramMode
from evaluations import survey
from evaluations.models import DEFAULT_ASPECTS, Aspect, EvaluationPlan, SurveyChannel, SurveyResponse
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, valid_uscc

pytestmark = pytest.mark.django_db


def make_evaluation(enterprises: int = 2, *, start_offset: int = -5, end_offset: int = 30) -> SimpleNamespace:
    """An evaluation programme with its plan (the six default aspects and their default questions) and enrolled
    enterprises; the period runs around today unless the offsets move it."""
    program = ProgramFactory(mode=ProgramMode.EVALUATION)
    today = timezone.localdate()
    plan = EvaluationPlan.objects.create(
        program=program,
        period_start=today + datetime.timedelta(days=start_offset),
        period_end=today + datetime.timedelta(days=end_offset),
        min_sample=2,
    )
    for position, title in enumerate(DEFAULT_ASPECTS, 1):
        Aspect.objects.create(plan=plan, position=position, title=title)
    survey.survey_questions_default(plan)
    applications = [
        ApplicationFactory(
            program=program,
            enterprise=EnterpriseFactory(uscc=valid_uscc(9000 + n)),
            status=ApplicationStatus.IN_REVIEW,
            enrolled=True,
        )
        for n in range(enterprises)
    ]
    return SimpleNamespace(program=program, plan=plan, applications=applications)


def all_answers(plan, value: int = 5) -> dict[str, str]:
    return {f"q{question.pk}": str(value) for question in survey.plan_questions(plan)}


@pytest.fixture
def evaluation():
    return make_evaluation()


def _url(application) -> str:
    return reverse("evaluations:survey", args=[survey.survey_token(application)])


# Questions -------------------------------------------------------------------------------------------------------


def test_it_gives_every_default_aspect_two_or_three_chinese_questions(evaluation):
    for aspect in evaluation.plan.aspects.all():
        assert 2 <= aspect.questions.count() <= 3
    assert survey.plan_questions(evaluation.plan).filter(text="经营者亮照亮证、证照齐全").exists()


def test_it_adds_defaults_only_to_aspects_without_questions(evaluation):
    assert survey.survey_questions_default(evaluation.plan) == []


def test_it_gives_a_custom_aspect_a_generic_question(evaluation):
    aspect = Aspect.objects.create(plan=evaluation.plan, position=7, title="环境卫生")
    survey.survey_questions_default(evaluation.plan)
    assert [q.text for q in aspect.questions.all()] == ["您对该经营者在“环境卫生”方面的表现是否满意"]


def test_it_refuses_to_remove_an_answered_question(evaluation, client):
    application = evaluation.applications[0]
    client.post(_url(application), all_answers(evaluation.plan))
    question = survey.plan_questions(evaluation.plan).first()
    with pytest.raises(survey.SurveyError):
        survey.question_remove(question=question)


def test_it_removes_an_unanswered_question(evaluation):
    question = survey.plan_questions(evaluation.plan).first()
    survey.question_remove(question=question)
    assert not survey.plan_questions(evaluation.plan).filter(pk=question.pk).exists()


def test_the_organizer_adds_changes_and_removes_questions(evaluation, client, olivia):
    client.force_login(olivia)
    slug = evaluation.program.slug
    aspect = evaluation.plan.aspects.first()
    client.post(reverse("evaluations:survey_questions", args=[slug]), {"aspect": aspect.pk, "text": "营业执照悬挂醒目"})
    question = aspect.questions.get(text="营业执照悬挂醒目")
    client.post(reverse("evaluations:survey_question_edit", args=[slug, question.pk]), {"text": "执照悬挂醒目"})
    question.refresh_from_db()
    assert question.text == "执照悬挂醒目"
    client.post(reverse("evaluations:survey_question_edit", args=[slug, question.pk]), {"action": "remove"})
    assert not aspect.questions.filter(pk=question.pk).exists()
    page = client.get(reverse("evaluations:survey_questions", args=[slug]))
    assert "经营者亮照亮证、证照齐全" in page.content.decode()


# The public link --------------------------------------------------------------------------------------------------


def test_the_link_is_stable_and_leads_to_its_enterprise(evaluation):
    application = evaluation.applications[0]
    token = survey.survey_token(application)
    assert token == survey.survey_token(application)
    assert survey.application_for_token(token) == application


def test_a_forged_link_leads_nowhere(evaluation, client):
    application = evaluation.applications[0]
    forged = f"{evaluation.applications[1].pk}-{survey.survey_token(application).split('-')[1]}"
    assert survey.application_for_token(forged) is None
    assert client.get(reverse("evaluations:survey", args=[forged])).status_code == 404


def test_the_questionnaire_shows_the_enterprise_and_its_questions(evaluation, client):
    application = evaluation.applications[0]
    page = client.get(_url(application))
    text = page.content.decode()
    assert page.status_code == 200
    assert application.enterprise.name in text and evaluation.program.title in text
    assert "主体资格" in text and "经营者亮照亮证、证照齐全" in text and "非常满意" in text
    assert "<script>" not in text and "style=" not in text


# Answering -------------------------------------------------------------------------------------------------------


def test_an_answer_is_stored_with_its_scores(evaluation, client):
    application = evaluation.applications[0]
    page = client.post(_url(application), {**all_answers(evaluation.plan, 4), "phone": "138 0013 8000"})
    assert page.status_code == 200 and "感谢" in page.content.decode()
    response = SurveyResponse.objects.get(application=application)
    assert response.channel == SurveyChannel.WEB
    assert response.score == 75
    assert len(response.device_hash) == 64 and len(response.phone_hash) == 64
    assert "13800138000" not in str(SurveyResponse.objects.values().get())


def test_a_second_answer_from_the_same_device_is_refused(evaluation, client):
    application = evaluation.applications[0]
    client.post(_url(application), all_answers(evaluation.plan))
    again = client.get(_url(application))
    assert "已提交过" in again.content.decode() or "已收到" in again.content.decode()
    client.post(_url(application), all_answers(evaluation.plan))
    assert SurveyResponse.objects.filter(application=application).count() == 1


def test_the_same_device_may_answer_for_another_enterprise(evaluation, client):
    for application in evaluation.applications:
        client.post(_url(application), all_answers(evaluation.plan))
    assert SurveyResponse.objects.count() == 2


def test_a_second_answer_with_the_same_phone_is_refused(evaluation, client):
    application = evaluation.applications[0]
    client.post(_url(application), {**all_answers(evaluation.plan), "phone": "13800138000"})
    client.cookies.clear()
    page = client.post(_url(application), {**all_answers(evaluation.plan), "phone": "+86 13800138000"})
    assert page.status_code == 409
    assert SurveyResponse.objects.filter(application=application).count() == 1


def test_the_constraint_refuses_a_simultaneous_second_answer_with_the_same_message(evaluation, monkeypatch):
    application = evaluation.applications[0]
    answers = {question.pk: 5 for question in survey.plan_questions(evaluation.plan)}
    survey.survey_submit(application=application, answers=answers, device_id="one")
    # Another request stored the same device between the check and the insert: only the constraint sees it.
    monkeypatch.setattr(survey, "_already_answered", lambda *args: False)
    with pytest.raises(survey.SurveyError, match="已收到"):
        survey.survey_submit(application=application, answers=answers, device_id="one")
    assert SurveyResponse.objects.count() == 1


def test_a_wrong_phone_number_is_explained_next_to_the_field(evaluation, client):
    page = client.post(_url(evaluation.applications[0]), {**all_answers(evaluation.plan), "phone": "12345"})
    assert page.status_code == 400
    assert "11 位" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_missing_answer_is_asked_for(evaluation, client):
    answers = all_answers(evaluation.plan)
    answers.popitem()
    page = client.post(_url(evaluation.applications[0]), answers)
    assert page.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_answers_are_limited_per_client_address(evaluation, client, monkeypatch):
    from evaluations import survey_views

    monkeypatch.setattr(survey_views, "ANSWERS_PER_HOUR", 1)
    client.post(_url(evaluation.applications[0]), all_answers(evaluation.plan))
    page = client.post(_url(evaluation.applications[1]), all_answers(evaluation.plan))
    assert page.status_code == 429


def test_the_questionnaire_is_not_open_before_the_period(client):
    world = make_evaluation(1, start_offset=3)
    page = client.get(_url(world.applications[0]))
    assert "尚未开始" in page.content.decode()
    assert client.post(_url(world.applications[0]), all_answers(world.plan)).status_code == 200
    assert not SurveyResponse.objects.exists()


def test_the_questionnaire_is_closed_after_the_period(client):
    world = make_evaluation(1, start_offset=-30, end_offset=-1)
    page = client.get(_url(world.applications[0]))
    assert "已结束" in page.content.decode()


# The organizer's screens -----------------------------------------------------------------------------------------


def test_the_organizer_sees_counts_and_the_flag_below_the_minimum_sample(evaluation, client, olivia):
    first, second = evaluation.applications
    client.post(_url(first), all_answers(evaluation.plan))
    client.cookies.clear()
    client.post(_url(first), all_answers(evaluation.plan))
    client.force_login(olivia)
    page = client.get(reverse("evaluations:survey_enterprises", args=[evaluation.program.slug]))
    samples = {sample.application: sample for sample in page.context["samples"]}
    assert samples[first].answers == 2 and not samples[first].below_minimum
    assert samples[second].answers == 0 and samples[second].below_minimum
    assert survey.survey_url(first) in page.content.decode()
    assert "低于最低样本量" in page.content.decode()


def test_the_organizer_downloads_a_qr_code_that_holds_the_link(evaluation, client, olivia):
    client.force_login(olivia)
    application = evaluation.applications[0]
    png = client.get(reverse("evaluations:survey_qr", args=[evaluation.program.slug, application.pk, "png"]))
    svg = client.get(reverse("evaluations:survey_qr", args=[evaluation.program.slug, application.pk, "svg"]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_the_organizer_downloads_the_qr_codes_of_a_page_as_a_zip(evaluation, client, olivia):
    import io
    import zipfile

    client.force_login(olivia)
    archive = client.get(reverse("evaluations:survey_qr_zip", args=[evaluation.program.slug]))
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert len(names) == 2 and all(name.endswith(".png") for name in names)


def test_an_applicant_cannot_open_the_organizers_screens(evaluation, client, alice):
    client.force_login(alice)
    assert client.get(reverse("evaluations:survey_enterprises", args=[evaluation.program.slug])).status_code == 403


def test_the_organizer_prints_a4_posters_with_the_qr_codes_of_a_page(evaluation, client, olivia):
    from pypdf import PdfReader

    client.force_login(olivia)
    response = client.get(reverse("evaluations:survey_posters", args=[evaluation.program.slug]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert "扫码评价" in text and evaluation.applications[0].enterprise.name in text


def test_a_questionnaire_without_questions_is_not_open_yet(evaluation, client):
    survey.plan_questions(evaluation.plan).delete()
    page = client.get(_url(evaluation.applications[0]))
    assert "尚未开始" in page.content.decode()


def test_the_organizer_finds_an_enterprise_by_its_code(evaluation, client, olivia):
    client.force_login(olivia)
    wanted = evaluation.applications[1]
    url = reverse("evaluations:survey_enterprises", args=[evaluation.program.slug])
    page = client.get(url, {"q": wanted.enterprise.uscc.lower()})
    assert [sample.application for sample in page.context["samples"]] == [wanted]
