"""The product's URLs and, for bench/public_pages.py only, a view that returns constant JSON: the yardstick."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns


def trivial(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/trivial/", trivial), *product_urlpatterns]
