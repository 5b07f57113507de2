"""Write the database and the private file storage into one archive, and restore it into a fresh instance.

The archive is a gzipped tar, read and written as a stream so that memory stays flat however large the site:

    manifest.json                   format, applied migrations, rows per model, size and sha256 of every file
    db/<app_label>.<model>.jsonl    one model's rows in Django's JSON-lines serialisation, models in dependency order
    files/<name>                    every file of the default storage (attachments, seals, licences, job files)

Rows go through Django's serialisers, not a database dump, so an archive of SQLite restores into PostgreSQL and
back. Restore inserts them in one transaction keeping their primary keys, checks every count and every checksum
against the manifest before it commits, and leaves nothing behind when a check fails.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, connections, models, reset_queries, transaction
from django.db.migrations.loader import MigrationLoader

from credentials import keys

FORMAT = "award315-backup"
VERSION = 1
MANIFEST = "manifest.json"
DB_PREFIX = "db/"
FILES_PREFIX = "files/"
CHUNK_ROWS = 2000
COPY_BYTES = 1024 * 1024
SPOOL_BYTES = 16 * 1024 * 1024

# Tables that `migrate` fills in a fresh instance: content types and permissions (post_migrate), the role groups
# (accounts), the industry sections and the holiday calendar (data migrations of awards). A database holding rows
# in these only is still empty; restore replaces them with the archive's, whose primary keys other rows point at.
SEEDED_BY_MIGRATE = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "auth.group",
        "auth.group_permissions",
        "awards.industry",
        "awards.calendarday",
    }
)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    rows: int
    models: int
    files: int
    file_bytes: int
    seconds: float


def backup_models() -> list[type[models.Model]]:
    """Every model with a table of its own, each after the models its foreign keys point at."""
    candidates = sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        ),
        key=lambda model: model._meta.label_lower,
    )
    wanted = set(candidates)
    ordered: list[type[models.Model]] = []
    visited: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in visited:
            return
        visited.add(model)  # marked before its targets: a cycle is cut here (the constraints are checked at commit)
        for field in model._meta.local_concrete_fields:
            target = field.related_model._meta.concrete_model if field.is_relation else None
            if target in wanted:
                visit(target)
        ordered.append(model)

    for model in candidates:
        visit(model)
    return ordered


def backup_write(*, out: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the database and the default storage into the archive `out`, readable by its owner only."""
    started = time.monotonic()
    storage = storages["default"]
    partial = out.with_name(out.name + ".partial")
    with _snapshot(using):
        order = backup_models()
        rows = {model._meta.label_lower: model._base_manager.using(using).count() for model in order}
        files = {name: _describe(storage, name) for name in _storage_files(storage)}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": connections[using].vendor,
            "migrations": sorted(MigrationLoader(connections[using], ignore_no_migrations=True).applied_migrations),
            "rows": rows,
            "files": files,
            # The public halves of the signing keys, so that a site rebuilt after losing SIGNING_KEY_DIR still
            # verifies every code it printed; the private keys are backed up apart from the database, never here.
            "public_keys": keys.public_ring(),
        }
        # The archive holds personal data: it is created private, not made private afterwards.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                open(descriptor, "wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as compressed,
                tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as tar,
            ):
                _add(tar, MANIFEST, io.BytesIO(json.dumps(manifest, indent=1).encode()), None)
                for model in order:
                    _add_rows(tar, model, rows[model._meta.label_lower], using)
                for name, described in files.items():
                    _add_file(tar, storage, name, described)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, out)
    return Summary(
        rows=sum(rows.values()),
        models=len(rows),
        files=len(files),
        file_bytes=sum(described["size"] for described in files.values()),
        seconds=time.monotonic() - started,
    )


def backup_restore(*, archive: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Restore `archive` into this instance: a fresh one, or with `force` one whose contents it replaces."""
    started = time.monotonic()
    storage = storages["default"]
    written: list[str] = []
    try:
        with gzip.open(archive, "rb") as compressed, tarfile.open(fileobj=compressed, mode="r|") as tar:
            members = iter(tar)
            first = next(members, None)
            if first is None or first.name != MANIFEST:
                raise BackupError(f"{archive} is not a backup archive: it does not begin with {MANIFEST}.")
            manifest = json.load(tar.extractfile(first))
            _check_manifest(manifest, using)
            if not force:
                _check_empty(storage, using)
            with transaction.atomic(using):
                _delete_all_rows(using)
                rows_seen, files_seen = set(), set()
                for member in members:
                    if not member.isfile():
                        raise BackupError(f"The archive holds {member.name}, which is not a file.")
                    if member.name.startswith(DB_PREFIX):
                        rows_seen.add(_restore_rows(member, tar.extractfile(member), manifest, using))
                    elif member.name.startswith(FILES_PREFIX):
                        files_seen.add(_restore_file(member, tar.extractfile(member), manifest, storage, written))
                    else:
                        raise BackupError(f"The archive holds {member.name}, which no backup writes.")
                # Read to the end, so that gzip checks the CRC of the whole archive before anything is committed.
                while compressed.read(COPY_BYTES):
                    pass
                _check_complete(manifest, rows_seen, files_seen, using)
                _reset_sequences(using)
        ContentType.objects.clear_cache()  # this process may go on: its cached content types had other ids
        keys.restore_public_keys(manifest.get("public_keys", {}))
    except BaseException as error:
        for name in written:
            storage.delete(name)
        if isinstance(error, (tarfile.TarError, EOFError, zlib.error, ValueError, DeserializationError, OSError)):
            raise BackupError(f"{archive} is damaged or not a backup archive ({error}); nothing was restored.") from error
        raise
    return Summary(
        rows=sum(manifest["rows"].values()),
        models=len(manifest["rows"]),
        files=len(manifest["files"]),
        file_bytes=sum(described["size"] for described in manifest["files"].values()),
        seconds=time.monotonic() - started,
    )


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """Read the whole database as of one moment, without holding up the site's writers."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield  # the caller's transaction already gives one view (a test case, for instance)
    elif connection.vendor == "postgresql":
        with transaction.atomic(using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # atomic() would begin IMMEDIATE (our transaction_mode) and lock out writers for the whole backup;
        # a deferred read transaction sees one snapshot under WAL while they go on.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic(using):
            yield


def _storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # a storage nothing was ever saved to
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from _storage_files(storage, posixpath.join(folder, name))


def _describe(storage: Storage, name: str) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as source:
        while chunk := source.read(COPY_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


class _Hashing(io.RawIOBase):
    """Pass a file through, counting and hashing what is read."""

    def __init__(self, source: IO[bytes]):
        self.source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


class _Utf8Lines(io.RawIOBase):
    """The text stream a serializer writes to, encoded into a spool file, counting its lines (one per row)."""

    def __init__(self, spool: IO[bytes]):
        self.spool = spool
        self.lines = 0

    def write(self, text: str) -> int:  # type: ignore[override]
        self.lines += text.count("\n")  # JSON escapes newlines inside strings: each one ends a row
        self.spool.write(text.encode())
        return len(text)


def _add(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int | None) -> None:
    info = tarfile.TarInfo(name)
    if size is None:
        source.seek(0, os.SEEK_END)
        size = source.tell()
        source.seek(0)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, source)


def _add_rows(tar: tarfile.TarFile, model: type[models.Model], expected: int, using: str) -> None:
    fields = [field.name for field in model._meta.local_concrete_fields]  # many-to-many rows are models of their own
    queryset = model._base_manager.using(using).order_by("pk")
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        lines = _Utf8Lines(spool)
        serializers.serialize("jsonl", queryset.iterator(chunk_size=CHUNK_ROWS), fields=fields, stream=lines)
        if lines.lines != expected:
            raise BackupError(f"{model._meta.label_lower} changed while it was read ({expected} rows, then {lines.lines}).")
        _add(tar, f"{DB_PREFIX}{model._meta.label_lower}.jsonl", spool, None)


def _add_file(tar: tarfile.TarFile, storage: Storage, name: str, described: dict[str, Any]) -> None:
    with storage.open(name, "rb") as source:
        hashing = _Hashing(source)
        _add(tar, FILES_PREFIX + name, hashing, described["size"])
    if hashing.digest.hexdigest() != described["sha256"]:
        raise BackupError(f"{name} changed while it was read; run the backup again.")


def _check_manifest(manifest: dict[str, Any], using: str) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupError("This is not a backup archive of this application.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"The archive has format version {manifest.get('version')}; this code reads {VERSION}.")
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    archived = {tuple(migration) for migration in manifest["migrations"]}
    unknown = archived - set(loader.disk_migrations)
    if unknown:
        raise BackupError(
            "The archive comes from a newer version of the code: this code does not have its migrations "
            f"{_names(unknown)}. Restore it with the version that wrote it."
        )
    applied = set(loader.applied_migrations)
    if applied != archived:
        raise BackupError(
            "The database is not migrated to the archive's schema "
            f"(not applied here: {_names(archived - applied) or 'none'}; applied here only: {_names(applied - archived) or 'none'}). "
            "Migrate the new database to exactly the archive's migrations, restore, then migrate to the latest."
        )


def _names(migrations: set[tuple[str, str]]) -> str:
    return ", ".join(f"{app}.{name}" for app, name in sorted(migrations))


def _check_empty(storage: Storage, using: str) -> None:
    holding = [
        f"{model._meta.label_lower} ({count} rows)"
        for model in backup_models()
        if model._meta.label_lower not in SEEDED_BY_MIGRATE
        and (count := model._base_manager.using(using).count())
    ]
    if holding:
        raise BackupError(
            f"The database is not empty: {', '.join(holding[:5])}{' …' if len(holding) > 5 else ''}. "
            "Restore into a fresh instance (a new database after `manage.py migrate`), "
            "or pass --force to replace everything in this one."
        )
    if next(_storage_files(storage), None) is not None:
        raise BackupError(
            "The file storage is not empty. Restore into an empty storage folder, "
            "or pass --force to replace the files of the same name."
        )


def _delete_all_rows(using: str) -> None:
    connection = connections[using]
    # DELETE, not flush's TRUNCATE, which PostgreSQL refuses inside a transaction that has written to the table.
    # The foreign keys Django creates are checked at the commit, so the order of the deletes does not matter.
    with connection.cursor() as cursor:
        for model in reversed(backup_models()):
            table = connection.ops.quote_name(model._meta.db_table)  # a model's own table name, quoted
            cursor.execute(f"DELETE FROM {table}")  # nosec B608


def _restore_rows(member: tarfile.TarInfo, source: IO[bytes], manifest: dict[str, Any], using: str) -> str:
    label = member.name.removeprefix(DB_PREFIX).removesuffix(".jsonl")
    if label not in manifest["rows"]:
        raise BackupError(f"The archive holds rows of {label}, which its manifest does not list.")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise BackupError(f"The archive holds rows of {label}, a model this code does not have.") from None
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    batch_size = min(CHUNK_ROWS, connections[using].ops.bulk_batch_size(fields, [None] * CHUNK_ROWS))
    queryset = model._base_manager.using(using)
    batch: list[models.Model] = []
    lines = (line.decode() for line in source)  # one row a line; a stream member cannot take a TextIOWrapper
    for deserialized in serializers.deserialize("jsonl", lines, using=using):
        if type(deserialized.object) is not model:
            raise BackupError(f"{member.name} holds a row of another model.")
        batch.append(deserialized.object)
        if len(batch) == batch_size:
            queryset._insert(batch, fields=fields, raw=True, using=using)
            batch = []
            reset_queries()  # with DEBUG on, Django keeps the SQL of each query: megabytes a batch
    if batch:
        # bulk_create() refuses the tables of multi-table inheritance (viewflow's processes); _insert() writes
        # exactly this model's own table, the raw values as archived (no auto_now, no defaults).
        queryset._insert(batch, fields=fields, raw=True, using=using)
    return label


def _restore_file(
    member: tarfile.TarInfo, source: IO[bytes], manifest: dict[str, Any], storage: Storage, written: list[str]
) -> str:
    name = member.name.removeprefix(FILES_PREFIX)
    described = manifest["files"].get(name)
    if described is None:
        raise BackupError(f"The archive holds the file {name}, which its manifest does not list.")
    if storage.exists(name):  # only with --force: keep an identical file, replace another only once verified
        if _describe(storage, name)["sha256"] == described["sha256"]:
            return name
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            hashing = _Hashing(source)
            while chunk := hashing.read(COPY_BYTES):
                spool.write(chunk)
            _check_digest(name, hashing, described)
            spool.seek(0)
            storage.delete(name)
            _save(storage, name, spool)
        return name
    hashing = _Hashing(source)
    _save(storage, name, hashing)
    written.append(name)
    _check_digest(name, hashing, described)
    return name


def _save(storage: Storage, name: str, content: IO[bytes]) -> None:
    saved = storage.save(name, File(content, name=posixpath.basename(name)))
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"The storage saved {name} as {saved}; restore into an empty storage folder.")


def _check_digest(name: str, hashing: _Hashing, described: dict[str, Any]) -> None:
    if hashing.digest.hexdigest() != described["sha256"]:
        raise BackupError(
            f"The archive is damaged: the file {name} does not match its sha256 in the manifest; nothing was restored."
        )


def _check_complete(manifest: dict[str, Any], rows_seen: set[str], files_seen: set[str], using: str) -> None:
    missing = sorted(set(manifest["rows"]) - rows_seen) + sorted(set(manifest["files"]) - files_seen)
    if missing:
        raise BackupError(f"The archive is incomplete: {', '.join(missing[:5])} missing; nothing was restored.")
    for label, expected in manifest["rows"].items():
        count = apps.get_model(label)._base_manager.using(using).count()
        if count != expected:
            raise BackupError(f"{label} has {count} rows after the restore, not {expected}; nothing was restored.")


def _reset_sequences(using: str) -> None:
    """Point PostgreSQL's sequences past the restored primary keys (SQLite's AUTOINCREMENT follows by itself)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), backup_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
