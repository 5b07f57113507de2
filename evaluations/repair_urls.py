"""URLs of credit repair (信用修复) of exposure-list entries (included by evaluations.urls)."""

from __future__ import annotations

from django.urls import path

from evaluations import repair_views

urlpatterns = [
    path("applications/<int:pk>/credit-repair/", repair_views.repair_request, name="repair_request"),
    path("credit-repair/<int:pk>/evidence/", repair_views.evidence_download, name="repair_evidence"),
    path("work/credit-repair/", repair_views.queue, name="repair_queue"),
    path("work/credit-repair/entries/<int:pk>/", repair_views.entry, name="repair_entry"),
]
