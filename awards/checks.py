"""Start-up checks for what the rate limits need: a cache that every web process shares."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connections

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


@register(Tags.caches)
def shared_cache(app_configs, **kwargs):
    """In production several processes serve: a process-local cache would give each its own rate limits."""
    backend = settings.CACHES["default"]["BACKEND"]
    if not getattr(settings, "PRODUCTION", False) or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"The cache {backend} is process-local, so each web process would count the rate limits on its own.",
            hint="Set REDIS_URL, or use the database cache (DatabaseCache, after `manage.py createcachetable`).",
            id="awards.E001",
        )
    ]


@register(Tags.caches, Tags.database)
def cache_table(app_configs, databases=None, **kwargs):
    """The database cache needs its table, which `migrate` does not create; `migrate` runs this check first."""
    errors = []
    for name, cache in settings.CACHES.items():
        if cache["BACKEND"] != DATABASE_CACHE or "default" not in (databases or ()):
            continue
        with connections["default"].cursor() as cursor:
            tables = connections["default"].introspection.table_names(cursor)
        if cache["LOCATION"] not in tables:
            errors.append(
                Error(
                    f"The table {cache['LOCATION']} of the cache {name!r} does not exist.",
                    hint="Run `manage.py createcachetable`.",
                    id="awards.E002",
                )
            )
    return errors
