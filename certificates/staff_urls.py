"""Organizer addresses for granted titles, under /work/ beside the workflow screens."""

from __future__ import annotations

from django.urls import path

from certificates import staff_views

app_name = "certificates"

urlpatterns = [
    path("programs/<slug:slug>/titles/", staff_views.titles, name="titles"),
    path("programs/<slug:slug>/export/<str:fmt>/", staff_views.export_start, name="export_list"),
    path("programs/<slug:slug>/print/", staff_views.print_start, name="print_start"),
    path("titles/<str:serial>/", staff_views.title_detail, name="title"),
    path("titles/<str:serial>/commitments/", staff_views.commitments_edit, name="commitments"),
    path("titles/<str:serial>/visits/", staff_views.visit_add, name="visit_add"),
    path("visit-files/<int:pk>/", staff_views.visit_attachment, name="visit_attachment"),
]
