"""A sector evaluation's screens, one module per area: the plan and grading, the questionnaire, hearings, records,
publication, credit repair."""

from __future__ import annotations

from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("", include("evaluations.plan_urls")),
    path("", include("evaluations.survey_urls")),
    path("", include("evaluations.hearing_urls")),
    path("", include("evaluations.record_urls")),
    path("", include("evaluations.publication_urls")),
    path("", include("evaluations.repair_urls")),
]
