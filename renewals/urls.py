from django.urls import path

from renewals import views

app_name = "renewals"

urlpatterns = [
    path("titles/<str:serial>/renew/", views.renew, name="renew"),
    path("work/renewals/", views.cohort, name="cohort"),
]
