"""`manage.py backup` and `manage.py restore`: every row and every file comes back, and a bad archive changes nothing."""

from __future__ import annotations

import gzip
import hashlib
import importlib
import io
import json
import re
import shlex
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command, load_command_class

from backups.archive import backup_models
from jobs.models import Job
from tests.factories import ApplicationFactory, EnterpriseFactory, JobFactory, UserFactory


def _storage_root(settings) -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def _checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in backup_models()}


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def _backup(tmp_path: Path) -> Path:
    archive = tmp_path / "award315.tar.gz"
    call_command("backup", out=archive, stdout=io.StringIO())
    return archive


def _restore(archive: Path, **options) -> str:
    out = io.StringIO()
    call_command("restore", archive, stdout=out, **options)
    return out.getvalue()


def _fresh_instance(settings, tmp_path: Path) -> Path:
    """Empty the database and seed it as `migrate` does, and point the storage at a new empty folder."""
    call_command("flush", interactive=False, verbosity=0)  # post_migrate: content types, permissions, role groups
    importlib.import_module("awards.migrations.0002_industry_sections").add_sections(apps, None)
    importlib.import_module("awards.migrations.0004_seed_holiday_calendar").seed(apps, None)
    root = tmp_path / "fresh-storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": root, "base_url": None}},
    }
    return root


def _rewrite(archive: Path, change) -> Path:
    """A copy of the archive with change(name, data) applied to every member."""
    copy = archive.with_name("changed.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(copy, "w:gz") as target:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return copy


def _small_site() -> None:
    ApplicationFactory(enterprise=EnterpriseFactory(account=UserFactory()))
    JobFactory(finished="序号,企业名称\r\n1,杭州甲商贸有限公司\r\n".encode())


@pytest.mark.django_db(transaction=True)
def test_it_restores_every_row_and_every_file_of_the_demo_into_a_fresh_instance(settings, tmp_path, reference_data):
    call_command("demo", stdout=io.StringIO())
    JobFactory(finished=b"%PDF-1.7 a finished print batch")
    assert Job.objects.exclude(file="").exists()
    rows, files = _row_counts(), _checksums(_storage_root(settings))
    archive = _backup(tmp_path)

    fresh_root = _fresh_instance(settings, tmp_path)
    _restore(archive)

    assert _row_counts() == rows == _manifest(archive)["rows"]
    assert _checksums(fresh_root) == files
    assert {name: described["sha256"] for name, described in _manifest(archive)["files"].items()} == files
    assert any(name.startswith("attachments/") for name in files) and any(name.startswith("jobs/") for name in files)


@pytest.mark.django_db(transaction=True)
def test_a_fresh_instance_takes_an_archive_without_force(settings, tmp_path, reference_data):
    archive = _backup(tmp_path)
    _fresh_instance(settings, tmp_path)

    assert "every row count and checksum matches" in _restore(archive)


@pytest.mark.django_db(transaction=True)
def test_a_site_that_lost_its_key_folder_still_verifies_the_codes_it_printed(settings, tmp_path, reference_data):
    from credentials import keys, payload
    from tests.factories import granted_certificate

    settings.SIGNING_KEY_DIR = tmp_path / "lost-keys"
    printed = payload.qr_url(granted_certificate(name="杭州湖滨银泰百货有限公司")) if keys.rotate() else ""
    archive = _backup(tmp_path)
    _fresh_instance(settings, tmp_path)
    settings.SIGNING_KEY_DIR = tmp_path / "new-keys"
    keys.rotate()  # the rebuilt site's own new key

    _restore(archive)

    assert payload.verify(printed).genuine
    assert not any(key.can_sign for kid, key in keys.public_keys().items() if kid != keys.current_key().kid)


@pytest.mark.django_db(transaction=True)
def test_rows_added_after_a_restore_get_new_primary_keys(settings, tmp_path, reference_data):
    _small_site()
    archive = _backup(tmp_path)
    _fresh_instance(settings, tmp_path)
    _restore(archive)

    assert UserFactory().pk > max(_manifest_pks(archive, "accounts.user"))


def _manifest_pks(archive: Path, label: str) -> list[int]:
    with tarfile.open(archive, "r:gz") as tar:
        return [json.loads(line)["pk"] for line in tar.extractfile(f"db/{label}.jsonl")]


@pytest.mark.django_db(transaction=True)
def test_a_file_changed_in_the_archive_is_refused_and_nothing_is_restored(settings, tmp_path, reference_data):
    _small_site()
    archive = _rewrite(_backup(tmp_path), lambda name, data: data[:-1] + b"!" if name.startswith("files/") else data)
    fresh_root = _fresh_instance(settings, tmp_path)
    seeded = _row_counts()

    with pytest.raises(CommandError, match="does not match its sha256 in the manifest; nothing was restored"):
        _restore(archive)
    assert _row_counts() == seeded
    assert _checksums(fresh_root) == {}


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_with_a_clear_message(tmp_path):
    _small_site()
    archive = _backup(tmp_path)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    rows = _row_counts()

    with pytest.raises(CommandError, match="is damaged.*nothing was restored"):
        _restore(archive, force=True)
    assert _row_counts() == rows


@pytest.mark.django_db
def test_a_file_that_is_no_backup_is_refused(tmp_path):
    archive = tmp_path / "notes.tar.gz"
    archive.write_bytes(gzip.compress(b"not a tar at all"))

    with pytest.raises(CommandError, match="not a backup archive"):
        _restore(archive)


@pytest.mark.django_db
def test_a_database_that_is_not_empty_is_refused_without_force(tmp_path):
    _small_site()
    archive = _backup(tmp_path)

    with pytest.raises(CommandError, match=r"The database is not empty: .*pass --force"):
        _restore(archive)


@pytest.mark.django_db(transaction=True)
def test_a_storage_folder_that_is_not_empty_is_refused_without_force(settings, tmp_path, reference_data):
    archive = _backup(tmp_path)
    fresh_root = _fresh_instance(settings, tmp_path)
    (fresh_root / "jobs").mkdir(parents=True)
    (fresh_root / "jobs" / "left-over.pdf").write_bytes(b"%PDF")

    with pytest.raises(CommandError, match="The file storage is not empty"):
        _restore(archive)


@pytest.mark.django_db
def test_force_replaces_the_rows_of_a_database_that_is_not_empty(tmp_path):
    _small_site()
    rows = _row_counts()
    archive = _backup(tmp_path)
    EnterpriseFactory(account=UserFactory())

    _restore(archive, force=True)

    assert _row_counts() == rows


@pytest.mark.django_db
def test_an_archive_from_a_newer_schema_is_refused(tmp_path):
    def add_a_future_migration(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["awards", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    archive = _rewrite(_backup(tmp_path), add_a_future_migration)

    with pytest.raises(CommandError, match=r"newer version of the code.*awards\.9999_from_the_future"):
        _restore(archive, force=True)


@pytest.mark.django_db
def test_the_archive_is_readable_by_its_owner_only(tmp_path):
    archive = _backup(tmp_path)

    assert archive.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_an_archive_from_an_older_schema_is_refused_until_the_database_is_migrated_to_it(tmp_path):
    def drop_the_last_migration(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"] = sorted(manifest["migrations"])[:-1]
        return json.dumps(manifest).encode()

    archive = _rewrite(_backup(tmp_path), drop_the_last_migration)

    with pytest.raises(CommandError, match="not migrated to the archive's schema .*Migrate the new database"):
        _restore(archive, force=True)


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_the_readme_documents_each_command_with_arguments_it_takes(command):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    documented = [line.split(f"manage.py {command} ", 1)[1] for line in readme.splitlines() if f"manage.py {command} " in line]
    parser = load_command_class("backups", command).create_parser("manage.py", command)

    assert documented
    for arguments in documented:
        shell_substitutions_filled = re.sub(r"\$\([^)]*\)", "2027-03-14", arguments.split("#")[0])
        parser.parse_args(shlex.split(shell_substitutions_filled))
