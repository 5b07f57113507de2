"""URLs of the plan screens of a sector evaluation (included by evaluations.urls)."""

from __future__ import annotations

urlpatterns: list = []
