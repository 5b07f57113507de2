from django.urls import path

from awards import enterprise_views, statement_views, views

app_name = "awards"

urlpatterns = [
    path("enterprise/register/", enterprise_views.enterprise_register, name="enterprise_register"),
    path("enterprise/", enterprise_views.enterprise_edit, name="enterprise_edit"),
    path("enterprise/name-change/", enterprise_views.enterprise_name_change, name="enterprise_name_change"),
    path("enterprise/licence/", enterprise_views.enterprise_licence, name="enterprise_licence"),
    path("enterprise/claim/", enterprise_views.enterprise_claim, name="enterprise_claim"),
    path("enterprise/requests/<int:pk>/licence/", enterprise_views.licence_download, name="licence_download"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/<slug:slug>/apply/", views.application_start, name="application_start"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("statements/<int:pk>/", statement_views.statement, name="statement"),
    path(
        "work/programs/<slug:slug>/statements/notify/",
        statement_views.program_statements_notify,
        name="program_statements_notify",
    ),
]
