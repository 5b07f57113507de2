from django.urls import path

from workflows import enterprise_views, views

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
    path("titles/<str:serial>/cases/new/", views.case_start, name="case_start"),
    path("visits/<int:pk>/case/", views.visit_case_start, name="visit_case_start"),
    path("enterprises/", enterprise_views.enterprise_queue, name="enterprise_queue"),
    path("enterprises/requests/<int:pk>/", enterprise_views.enterprise_request, name="enterprise_request"),
]
