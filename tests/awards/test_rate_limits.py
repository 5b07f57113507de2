"""Rate limits: counted per real client, in a cache that every web process shares."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from awards import checks
from awards.ratelimit import client_ip
from certificates import public_views

REDIS_URL = "redis://127.0.0.1:6379/15"
UNKNOWN_SERIAL = "CX-2027-99999"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "", "10.0.0.9"),
        (0, "203.0.113.7", "10.0.0.9"),  # no proxy of ours: the header is the client's own word
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left entry was forged by the client
        (2, "198.51.100.1, 203.0.113.7, 192.0.2.10", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.9"),  # fewer entries than proxies: it did not come through them all
        (1, "", "10.0.0.9"),
        (1, "not-an-address", "10.0.0.9"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_taken_from_the_trusted_proxies(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def _verify(client, **headers):
    return client.get(reverse("verify", args=[UNKNOWN_SERIAL]), **headers)


@pytest.mark.django_db
def test_behind_a_proxy_each_real_client_has_its_own_limit(client, settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(public_views, "VERIFICATIONS_PER_MINUTE", 1)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert _verify(client, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 404
    assert _verify(client, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    assert _verify(client, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 404


@pytest.mark.django_db
def test_a_forged_forwarded_address_does_not_escape_the_limit(client, settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(public_views, "VERIFICATIONS_PER_MINUTE", 1)
    assert _verify(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7").status_code == 404
    assert _verify(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.7").status_code == 429


@pytest.mark.django_db
def test_the_verification_page_over_its_limit_is_a_chinese_page(client, monkeypatch):
    monkeypatch.setattr(public_views, "VERIFICATIONS_PER_MINUTE", 1)
    _verify(client)
    response = _verify(client)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert "请求过于频繁" in response.content.decode()


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_rate_limited_public_page_works_on_redis(client, redis_cache, monkeypatch):
    monkeypatch.setattr(public_views, "VERIFICATIONS_PER_MINUTE", 2)
    with freeze_time("2027-06-01 02:00:10"):
        assert [_verify(client).status_code for _ in range(3)] == [404, 404, 429]
        minute = int(time.time() // 60)
    assert cache.get(f"ratelimit:verify:127.0.0.1:{minute}") == 3


def _in_a_new_process(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )


def test_redis_url_gives_every_process_the_same_counters():
    code = (
        "from django.conf import settings\n"
        "from django.core.cache import cache\n"
        "from awards.ratelimit import allow\n"
        "print(settings.CACHES['default']['BACKEND'])\n"
        "import time\n"
        "cache.delete(f'ratelimit:subprocess-test:{int(time.time() // 60)}')\n"
        "print([allow('subprocess-test', limit=2, window_seconds=60) for _ in range(3)])\n"
    )
    result = _in_a_new_process(code, {"REDIS_URL": REDIS_URL})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["django.core.cache.backends.redis.RedisCache", "[True, True, False]"]


def test_production_without_redis_shares_the_cache_through_the_database(tmp_path):
    env = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "s" * 60,
        "DJANGO_ALLOWED_HOSTS": "awards.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "REDIS_URL": "",
    }
    result = _in_a_new_process("from django.conf import settings; print(settings.CACHES['default']['BACKEND'])", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


def test_a_process_local_cache_in_production_fails_the_check(settings):
    settings.PRODUCTION = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [error.id for error in checks.shared_cache(None)] == ["awards.E001"]


def test_a_process_local_cache_is_fine_in_development(settings):
    settings.PRODUCTION = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert checks.shared_cache(None) == []


@pytest.mark.django_db
def test_the_database_cache_without_its_table_fails_the_check_until_createcachetable(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "award315_test_cache"}
    }
    assert [error.id for error in checks.cache_table(None, databases=["default"])] == ["awards.E002"]
    call_command("createcachetable", verbosity=0)
    assert checks.cache_table(None, databases=["default"]) == []
