from django.urls import path

from certificates import applicant_views

urlpatterns = [
    path("", applicant_views.my_titles, name="my_titles"),
    path("cases/<int:pk>/respond/", applicant_views.case_respond, name="case_respond"),
    path("cases/<int:pk>/appeal/", applicant_views.case_appeal, name="case_appeal"),
]
