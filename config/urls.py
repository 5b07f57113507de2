from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from awards import views as award_views

admin.site.site_header = _("3·15 Consumer Rights Awards administration")
admin.site.site_title = _("3·15 Consumer Rights Awards")
admin.site.index_title = _("Programme set-up")

urlpatterns = [
    path("", award_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("awards.urls")),
]
