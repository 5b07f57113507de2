"""The project's URLs plus the list download, until the lead wires it as workflows:export_list."""

from django.urls import path

from certificates.staff_views import export_download
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("work/programs/<slug:slug>/export/<str:fmt>/", export_download, name="export_list"),
    *project_urlpatterns,
]
