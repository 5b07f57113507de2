"""URLs of the publication of a graded sector (included by evaluations.urls)."""

from __future__ import annotations

from django.urls import path

from evaluations import publication_views

urlpatterns = [
    path("work/evaluations/<slug:slug>/publication/", publication_views.publication, name="publication"),
    path(
        "work/evaluations/<slug:slug>/objections/<int:pk>/",
        publication_views.objection_finding,
        name="objection_finding",
    ),
    path("exposures/", publication_views.exposures, name="exposures"),
]
