"""Settings of bench/public_pages.py: the product's, plus a trivial view and a key prefix of its own in the cache."""

from __future__ import annotations

import os

from config.settings import *  # noqa: F403
from config.settings import CACHES

ROOT_URLCONF = "bench.public_pages_urls"
# The load generator gives every request another client address, as the crowd on the 3·15 day does; the
# verification rate limit then counts per client as in production, behind one proxy of our own.
TRUSTED_PROXY_COUNT = 1
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "bench-public-pages")}}
