"""The public pages' cache in the shared cache, and the version that a change to any title makes obsolete at once.

Every cached public page (honour roll, verification page and JSON) and every cached count of the roll is keyed by
one version: the moment of the latest change to what the public pages show (a grant, a suspension, a restore, a
revocation, an approved change of name). A change sets a new version when its transaction commits, so every web
process on every host stops serving the old pages from that moment on; the old entries simply expire. A lost
version (a cache restart or eviction) is replaced by a newer one, which can only make a page fresher.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "public-pages:version"
# Entries of an old version are never read again; this only bounds how long they take room.
PAGE_TIMEOUT = 600


def _new_version() -> str:
    # The time gives Last-Modified; the random part tells apart two changes in the same instant.
    return f"{time.time():.6f}/{secrets.token_hex(4)}"


def version() -> str:
    """The current version: the time, in seconds since the epoch, of the latest change the public pages show."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        current = cache.get(VERSION_KEY) or _new_version()
    return current


def _bump() -> None:
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def public_pages_changed() -> None:
    """Make every cached public page obsolete now, and once more when the current transaction commits.

    Now, so that the process that made the change sees it at once; on commit, because until then another
    process may still read the old rows and cache them under the version set now.
    """
    _bump()
    transaction.on_commit(_bump, robust=True)


def last_modified(current: str) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(float(current.split("/")[0]), tz=datetime.UTC).replace(microsecond=0)


def key(current: str, kind: str, *parts: str) -> str:
    """A cache key for one page or count of one version, day and language; hashed, as cache keys must be short."""
    raw = "\x1f".join((current, timezone.localdate().isoformat(), get_language() or "", kind, *parts))
    return f"public-pages:{kind}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"
