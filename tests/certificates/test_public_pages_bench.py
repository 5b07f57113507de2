"""The yardstick of bench/public_pages.py: a trivial view beside the product's URLs, in a bench-only URLconf."""

from __future__ import annotations

import importlib

import pytest

pytestmark = pytest.mark.django_db


def test_the_bench_urlconf_serves_constant_json_beside_the_product(client, settings):
    settings.ROOT_URLCONF = "bench.public_pages_urls"
    assert client.get("/bench/trivial/").json() == {"status": "ok"}
    assert client.get("/honours/").status_code == 200


def test_the_bench_settings_trust_one_proxy_and_select_the_bench_urlconf():
    bench_settings = importlib.import_module("bench.public_pages_settings")
    assert bench_settings.ROOT_URLCONF == "bench.public_pages_urls"
    assert bench_settings.TRUSTED_PROXY_COUNT == 1


def test_the_product_has_no_trivial_view(client):
    assert client.get("/bench/trivial/").status_code == 404
