"""Form widgets shared by every app's forms."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It reads and sends ISO dates only (2026-12-14), whatever the page's language:
    a localized value such as 2026年12月14日 would show an empty field and come back as a missing date."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
