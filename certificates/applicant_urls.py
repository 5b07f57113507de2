from django.urls import path

from certificates import applicant_views

urlpatterns = [
    path("", applicant_views.my_titles, name="my_titles"),
    path("<str:serial>/certificate.pdf", applicant_views.certificate_pdf, name="certificate_pdf"),
    path("<str:serial>/certificate.png", applicant_views.certificate_png, name="certificate_png"),
    path("cases/<int:pk>/respond/", applicant_views.case_respond, name="case_respond"),
    path("cases/<int:pk>/appeal/", applicant_views.case_appeal, name="case_appeal"),
]
