"""URLs of the hearing screens of a sector evaluation (included by evaluations.urls)."""

from __future__ import annotations

urlpatterns: list = []
