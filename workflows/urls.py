from django.urls import path

from certificates.staff_views import export_download
from workflows import enterprise_views, title_views, views

app_name = "workflows"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("programs/", views.program_list, name="programs"),
    path("programs/<slug:slug>/", views.program_dashboard, name="dashboard"),
    path("programs/<slug:slug>/committee/", views.committee_batch, name="committee"),
    path("programs/<slug:slug>/publish/", views.publish, name="publish"),
    path("notices/<int:pk>/period/", views.notice_period, name="notice_period"),
    path("programs/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("enrolment-template.xlsx", views.enrolment_template_download, name="enrolment_template"),
    path("reviews/<int:pk>/replace/", views.reviewer_replace, name="replace_reviewer"),
    path("applications/<int:pk>/history/", views.history, name="history"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("programs/<slug:slug>/titles/", title_views.titles, name="titles"),
    path("programs/<slug:slug>/export/<str:fmt>/", export_download, name="export_list"),
    path("programs/<slug:slug>/print/", title_views.print_start, name="print_start"),
    path("print-jobs/<int:pk>/", title_views.print_job, name="print_job"),
    path("print-jobs/<int:pk>/download/", title_views.print_job_download, name="print_job_download"),
    path("titles/<str:serial>/", title_views.title_detail, name="title"),
    path("enterprises/", enterprise_views.enterprise_queue, name="enterprise_queue"),
    path("enterprises/requests/<int:pk>/", enterprise_views.enterprise_request, name="enterprise_request"),
]
