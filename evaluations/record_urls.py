"""URLs of the record screens of a sector evaluation (included by evaluations.urls)."""

from __future__ import annotations

from django.urls import path

from evaluations import record_views as views

urlpatterns = [
    path("work/evaluations/<slug:slug>/records/", views.record_list, name="records"),
    path("work/evaluations/<slug:slug>/records/new/", views.record_new, name="record_new"),
    path("work/evaluations/<slug:slug>/records/import/", views.record_import, name="record_import"),
    path("work/evaluations/<slug:slug>/records/template.xlsx", views.record_template, name="record_template"),
]
