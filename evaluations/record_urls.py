"""URLs of the record screens of a sector evaluation (included by evaluations.urls)."""

from __future__ import annotations

urlpatterns: list = []
