from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("enterprise/register/", views.enterprise_register, name="enterprise_register"),
    path("enterprise/", views.enterprise_edit, name="enterprise_edit"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/<slug:slug>/apply/", views.application_start, name="application_start"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
]
