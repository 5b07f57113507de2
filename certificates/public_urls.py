"""Public addresses of the honour roll and of certificate verification; the QR code on every certificate points here."""

from __future__ import annotations

from django.urls import path

from certificates import public_views

urlpatterns = [
    path("honours/", public_views.honours, name="honours"),
    path("verify/<str:serial>.json", public_views.verify_json, name="verify_json"),
    path("verify/<str:serial>/", public_views.verify, name="verify"),
]
