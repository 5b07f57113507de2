"""URLs of the hearing screens of a sector evaluation (included by evaluations.urls)."""

from __future__ import annotations

from django.urls import path

from evaluations import hearing_views as views

urlpatterns = [
    path("work/evaluations/<slug:slug>/hearings/", views.hearing_list, name="hearings"),
    path("work/evaluations/<slug:slug>/hearings/new/", views.hearing_new, name="hearing_new"),
    path("work/evaluations/<slug:slug>/hearings/<int:pk>/", views.hearing_detail, name="hearing"),
    path(
        "work/evaluations/<slug:slug>/hearings/<int:pk>/minutes/upload/",
        views.hearing_minutes_upload,
        name="hearing_minutes_upload",
    ),
    path("work/evaluations/<slug:slug>/hearings/<int:pk>/minutes/", views.hearing_minutes, name="hearing_minutes"),
    path(
        "work/evaluations/<slug:slug>/hearings/<int:pk>/scores/<int:application>/",
        views.hearing_scores,
        name="hearing_scores",
    ),
    path("work/evaluations/<slug:slug>/hearings/<int:pk>/import/", views.hearing_import, name="hearing_import"),
    path(
        "work/evaluations/<slug:slug>/hearings/<int:pk>/template.xlsx",
        views.hearing_template,
        name="hearing_template",
    ),
]
