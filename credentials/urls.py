"""Public addresses for checking a certificate without trusting this server: keys, offline checker, credentials."""

from django.urls import path

from credentials import badge_views, key_views, public_views, verifier_views

urlpatterns = [
    path("credentials/keys.json", key_views.keys_json, name="credential_keys"),
    path("check/", verifier_views.offline_check, name="offline_check"),
    path("credentials/<str:serial>/badge.svg", badge_views.credential_badge, name="credential_badge"),
    # Open Badges 3.0 and the status lists; the site's issuer comes before <serial>.json, which would take it.
    path("credentials/issuer.json", public_views.credential_site_issuer, name="credential_site_issuer"),
    path("credentials/issuers/<slug:slug>.json", public_views.credential_issuer, name="credential_issuer"),
    path("credentials/status/<str:purpose>.json", public_views.credential_status_list, name="credential_status_list"),
    path("credentials/<str:serial>.json", public_views.open_badge, name="open_badge"),
]
