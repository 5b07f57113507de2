"""Chinese dates, safe settings and the demo."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys

import pytest
from django import forms
from django.core.management import call_command
from django.utils import translation


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("typed", ["2027年3月15日", "2027年03月15日", "2027-03-15", "2027/3/15"])
def test_a_chinese_date_is_understood(typed):
    with translation.override("zh-hans"):
        form = DateForm({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2027, 3, 15)


def test_dates_are_shown_the_chinese_way():
    from django.utils.formats import date_format

    with translation.override("zh-hans"):
        assert date_format(datetime.date(2027, 3, 15)) == "2027年3月15日"


def _settings_in_a_new_process(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_a_new_process({"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_bad_boolean_setting_fails_loudly():
    result = _settings_in_a_new_process({"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0 and "DJANGO_DEBUG" in result.stderr


def test_sqlite_serialises_writers(settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_the_deployment_checks(tmp_path):
    from django.test import override_settings

    from credentials import keys

    with override_settings(SIGNING_KEY_DIR=tmp_path / "keys"):
        # As the production notes say before the first start: the signing key, and the issuing body's certificate.
        keys.rotate()
        call_command("pdf_signing_certificate", "--self-signed", "--name", "杭州市消费者权益保护委员会", stdout=io.StringIO())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set by the browser tests
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-only-" + "z" * 20,
            "DJANGO_ALLOWED_HOSTS": "awards.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "SIGNING_KEY_DIR": str(tmp_path / "keys"),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The after-award rules' documented numbers: each environment variable in the README reaches the setting of its name.
AFTER_AWARD_VARIABLES = (
    "STATEMENT_WORKING_DAYS",
    "CREDIT_REPAIR_DECISION_WORKING_DAYS",
    "RENEWAL_WINDOW_DAYS",
    "REVOCATION_BAN_YEARS",
)


def test_the_after_award_variables_documented_in_the_readme_configure_their_settings():
    from django.conf import settings as current

    readme = (current.BASE_DIR / "README.md").read_text()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    for offset, name in enumerate(AFTER_AWARD_VARIABLES):
        assert f"| `{name}` |" in readme, f"{name} is not documented"
        environment[name] = str(11 + offset)
    printed = subprocess.run(  # nosec B603: this interpreter, a fixed script
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            f"print(' '.join(str(getattr(settings, n)) for n in {AFTER_AWARD_VARIABLES!r}))",
        ],
        env=environment,
        cwd=current.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert printed == [str(11 + offset) for offset in range(len(AFTER_AWARD_VARIABLES))]
