"""Every date and datetime input of the project round-trips through a browser.

A browser's date picker (`<input type="date">`, `type="datetime-local"`) shows only an ISO value; given 2026年12月14日
it shows an empty field and submits nothing. Typed dates (text inputs, as in the admin) may read the Chinese way, as
long as the form reads back what it showed. The forms are found, not listed, so that a new one is checked too.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from tests.factories import UserFactory

PROJECT_APPS = ("accounts", "awards", "certificates", "workflows")
A_DAY = datetime.date(2026, 12, 14)
A_MOMENT = datetime.datetime(2026, 12, 14, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
ISO = {"date": r"\d{4}-\d{2}-\d{2}", "datetime-local": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"}

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("language", ["zh-hans", "en"])]


def _import_project_modules() -> None:
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls) -> Iterator[type]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _admin_form_classes() -> Iterator[tuple[str, type]]:
    request = RequestFactory().get("/")
    request.user = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    for model, model_admin in admin.site._registry.items():
        yield f"admin {model._meta.label}", model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield f"admin {model._meta.label} inline {inline.model._meta.label}", inline.get_formset(request).form


def date_fields() -> list[tuple[str, str, forms.Field]]:
    """Every date or datetime field of the project's forms and of the admin's: (where, name, field)."""
    _import_project_modules()
    form_classes = [
        (f"{cls.__module__}.{cls.__qualname__}", cls)
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PROJECT_APPS
    ]
    found = []
    for where, form_class in [*form_classes, *_admin_form_classes()]:
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
                found.append((where, name, field))
    return found


def _value_for(field: forms.Field):
    return A_DAY if isinstance(field, forms.DateField) else A_MOMENT


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "input":
            self.inputs.append(dict(attrs))


def _rendered_inputs(name: str, field: forms.Field) -> list[dict]:
    parser = _Inputs()
    parser.feed(field.widget.render(name, field.prepare_value(_value_for(field))))
    return parser.inputs


def test_the_walk_finds_the_date_inputs_of_the_task_screens(language):
    names = {(where.rsplit(".", 1)[-1], name) for where, name, _field in date_fields()}
    assert {("AssignReviewersForm", "due_on"), ("InspectionForm", "inspected_on")} <= names


def test_every_date_picker_shows_an_iso_value(language):
    wrong = []
    with translation.override(language):
        for where, name, field in date_fields():
            for attrs in _rendered_inputs(name, field):
                pattern = ISO.get(attrs.get("type", "text"))
                if pattern and not re.fullmatch(pattern, attrs.get("value", "")):
                    wrong.append(f"{where}.{name}: {attrs}")
    assert wrong == []


def test_every_date_field_reads_back_the_value_it_shows(language):
    wrong = []
    with translation.override(language):
        for where, name, field in date_fields():
            data = {attrs["name"]: attrs.get("value", "") for attrs in _rendered_inputs(name, field)}
            try:
                value = field.clean(field.widget.value_from_datadict(data, {}, name))
            except forms.ValidationError as error:
                value = error.messages
            if value != _value_for(field):
                wrong.append(f"{where}.{name}: showed {data}, read back {value!r}")
    assert wrong == []
