"""Every response carries a Content-Security-Policy without 'unsafe-inline', and no page template needs one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
# Not served as pages: e-mails are read in mail clients, PDF templates are rendered by WeasyPrint.
NOT_PAGES = ("emails/", "certificates/pdf/", "evaluations/pdf/")  # PDFs are rendered by WeasyPrint, not a browser
PROJECT_APPS = ("accounts", "awards", "workflows", "certificates")

TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
}
IN_A_TAG = {
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def _page_templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(apps.get_app_config(label).path) / "templates" for label in PROJECT_APPS]
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            if not path.relative_to(folder).as_posix().startswith(NOT_PAGES):
                found.append(path)
    return found


def _inline_code(source: str) -> list[str]:
    problems = [name for name, pattern in INLINE.items() if pattern.search(source)]
    for tag in TAG.findall(source):
        problems += [f"{name} in {tag[:80]}" for name, pattern in IN_A_TAG.items() if pattern.search(tag)]
    return problems


@pytest.mark.django_db
def test_a_public_page_carries_the_policy(client):
    response = client.get(reverse("notices"))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY


@pytest.mark.django_db
def test_an_error_page_carries_the_policy_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Security-Policy"] == POLICY


def test_the_page_templates_are_found():
    names = {path.name for path in _page_templates()}
    assert {"base.html", "500.html", "committee_batch.html", "verify.html"} <= names
    assert "_wrapper.html" not in names and "certificate.html" not in names


@pytest.mark.parametrize("path", _page_templates(), ids=lambda path: path.name)
def test_no_page_template_has_inline_script_style_or_handlers(path):
    assert _inline_code(path.read_text()) == []


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<p style="color: red">',
        '<select onchange="this.form.submit()">',
        '<a href="javascript:void(0)">',
        "<style>p { color: red }</style>",
    ],
)
def test_the_scan_finds_inline_code(source):
    assert _inline_code(source)


def test_the_scan_allows_scripts_from_files():
    assert _inline_code('<script src="/static/js/site.js" defer></script><option value="1">') == []
