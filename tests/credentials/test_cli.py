"""The README's commands, run as a shell runs them: the key ring in SIGNING_KEY_DIR, a code checked with no database."""

from __future__ import annotations

import os
import subprocess  # nosec B404: runs this interpreter on manage.py
import sys

from django.conf import settings as current

from credentials import payload
from tests.factories import granted_certificate


def _manage(*arguments: str, environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # nosec B603: this interpreter, manage.py, fixed arguments
        [sys.executable, "manage.py", *arguments],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **environment},
        cwd=current.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_signing_key_dir_holds_the_key_the_command_makes(tmp_path):
    assert "| `SIGNING_KEY_DIR` |" in (current.BASE_DIR / "README.md").read_text()

    made = _manage("signing_keys", "ensure", environment={"SIGNING_KEY_DIR": str(tmp_path)})

    assert made.returncode == 0, made.stderr
    assert (tmp_path / "ed25519" / "current").is_file()


def test_verify_payload_checks_a_code_offline_with_only_the_key_folder(db, settings, tmp_path):
    assert _manage("signing_keys", "ensure", environment={"SIGNING_KEY_DIR": str(tmp_path)}).returncode == 0
    settings.SIGNING_KEY_DIR = tmp_path
    title = granted_certificate(name="杭州湖滨银泰百货有限公司")
    url = payload.qr_url(title)
    # Another database altogether: the command must not need the register to tell genuine from forged.
    offline = {"SIGNING_KEY_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}

    genuine = _manage("verify_payload", url, environment=offline)
    forged = _manage("verify_payload", url[:-5] + ("A" if url[-5] != "A" else "B") + url[-4:], environment=offline)

    assert genuine.returncode == 0, genuine.stderr
    assert "杭州湖滨银泰百货有限公司" in genuine.stdout and title.serial in genuine.stdout
    assert forged.returncode == 1
