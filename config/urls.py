from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from awards import public_views
from awards import views as award_views
from config import health

admin.site.site_header = _("3·15 Consumer Rights Awards administration")
admin.site.site_title = _("3·15 Consumer Rights Awards")
admin.site.index_title = _("Programme set-up")

urlpatterns = [
    path("", award_views.home, name="home"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg")), name="favicon"),
    # For the load balancer and the monitoring: no login, no session, no cache.
    path("healthz/", health.healthz, name="healthz"),
    path("notices/", public_views.notices, name="notices"),
    path("notices/<int:pk>/objections/", public_views.objection_file, name="objection_file"),
    path("notices/objections/", public_views.objection_lookup, name="objection_lookup"),
    path("", include("certificates.public_urls")),
    path("", include("credentials.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("work/jobs/", include("jobs.urls")),
    path("work/", include("certificates.staff_urls")),
    path("work/", include("workflows.urls")),
    path("titles/", include("certificates.applicant_urls")),
    # Renewal cycles: the holder's 申请复评 under /titles/, the organizer's cohort screen under /work/renewals/.
    path("", include("renewals.urls")),
    # Staff screens under /work/evaluations/, the public questionnaire under /survey/ (evaluations.survey_urls).
    path("", include("evaluations.urls")),
    path("", include("awards.urls")),
]
