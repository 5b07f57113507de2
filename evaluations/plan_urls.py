"""URLs of the plan screens of a sector evaluation (included by evaluations.urls)."""

from __future__ import annotations

from django.urls import path

from evaluations import plan_views

urlpatterns = [
    path("work/evaluations/<slug:slug>/plan/", plan_views.plan_edit, name="plan"),
    path("work/evaluations/<slug:slug>/plan/aspects/", plan_views.plan_aspects, name="plan_aspects"),
    path("work/evaluations/<slug:slug>/plan/deductions/", plan_views.plan_deductions, name="plan_deductions"),
    path("work/evaluations/<slug:slug>/grading/", plan_views.grading_page, name="grading"),
    path("work/evaluations/<slug:slug>/grading/<int:pk>/", plan_views.breakdown, name="breakdown"),
]
