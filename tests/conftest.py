from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from accounts.roles import Role, grant_roles
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, UserFactory


def _sqlite_test_folder() -> Path | None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"] != "django.db.backends.sqlite3" or not name or "memory" in str(name):
        return None
    folder = Path(name).parent
    # Never anything but the run's own folder, which pytest_unconfigure removes.
    return folder if folder.name.startswith("award315-test-") else None


def pytest_configure(config):
    """The SQLite test database is a file that worker processes share; its folder must exist first."""
    folder = _sqlite_test_folder()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)


def pytest_unconfigure(config):
    folder = _sqlite_test_folder()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def signing_key_dir(tmp_path_factory) -> Path:
    """One key ring for the whole run, with a current Ed25519 key, so that every test can print a signed code, and a
    self-signed site certificate (pdf/site.*.pem), so that every PDF a test downloads is signed."""
    from django.test import override_settings

    from credentials import keys, pdf_signing

    folder = tmp_path_factory.mktemp("keys")
    with override_settings(SIGNING_KEY_DIR=folder):
        keys.rotate()
        pdf_signing.write_signer(pdf_signing.SITE, *pdf_signing.self_signed("测试发证机构", years=1))
    return folder


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, signing_key_dir):
    settings.SIGNING_KEY_DIR = signing_key_dir
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "awards.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.LANGUAGE_CODE = "zh-hans"
    # Background tasks run at once in the process that enqueues them; tests/jobs/ run real workers on the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()  # rate limits and lockouts must not leak from one test into the next


@pytest.fixture
def program(db):
    return ProgramFactory()


@pytest.fixture
def alice(db):
    """Alice applies for enterprise A."""
    return EnterpriseFactory(name="杭州甲商贸有限公司", account=UserFactory(username="alice@example.com")).account


@pytest.fixture
def bob(db):
    """Bob applies for enterprise B, a competitor of Alice's."""
    return EnterpriseFactory(name="杭州乙商贸有限公司", account=UserFactory(username="bob@example.com")).account


@pytest.fixture
def olivia(db):
    """Olivia is an organizer."""
    user = UserFactory(username="olivia")
    grant_roles(user, Role.ORGANIZER)
    return user


@pytest.fixture
def alice_application(alice, program):
    return ApplicationFactory(program=program, enterprise=alice.enterprise)


@pytest.fixture
def bob_application(bob, program):
    return ApplicationFactory(program=program, enterprise=bob.enterprise)


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests empty every table afterwards, the data that migrations seed included; restore it."""
    import importlib

    from django.apps import apps

    from accounts.roles import ensure_role_groups

    importlib.import_module("awards.migrations.0002_industry_sections").add_sections(apps, None)
    importlib.import_module("awards.migrations.0004_seed_holiday_calendar").seed(apps, None)
    ensure_role_groups()
