"""URLs of the survey screens of a sector evaluation (included by evaluations.urls at the site root): the public
questionnaire under survey/, the organizer's screens under work/evaluations/."""

from __future__ import annotations

from django.urls import path

from evaluations import survey_views

urlpatterns = [
    path("survey/<str:token>/", survey_views.questionnaire, name="survey"),
    path("work/evaluations/<slug:slug>/survey/", survey_views.enterprises, name="survey_enterprises"),
    path("work/evaluations/<slug:slug>/survey/questions/", survey_views.questions, name="survey_questions"),
    path(
        "work/evaluations/<slug:slug>/survey/questions/<int:pk>/",
        survey_views.question_edit,
        name="survey_question_edit",
    ),
    path(
        "work/evaluations/<slug:slug>/survey/qr/<int:pk>.<str:fmt>",
        survey_views.qr_code,
        name="survey_qr",
    ),
    path("work/evaluations/<slug:slug>/survey/posters.pdf", survey_views.qr_posters, name="survey_posters"),
    path("work/evaluations/<slug:slug>/survey/qr.zip", survey_views.qr_zip, name="survey_qr_zip"),
    path("work/evaluations/<slug:slug>/survey/paper/", survey_views.paper_upload, name="survey_paper"),
    path(
        "work/evaluations/<slug:slug>/survey/paper/template.xlsx",
        survey_views.paper_template_download,
        name="survey_paper_template",
    ),
]
