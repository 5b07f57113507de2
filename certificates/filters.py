"""Filters of the public honour roll: year, programme, kind, district, industry, tier and a search box."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from awards.models import District, Industry, Program, ProgramKind, Tier
from awards.names import name_contains
from awards.uscc import LENGTH as USCC_LENGTH
from awards.uscc import normalize_uscc
from certificates.models import Certificate

# The shape of a complete code; whether its check character is right does not matter for an exact match.
USCC_SHAPE = re.compile(rf"^[0-9A-Z]{{{USCC_LENGTH}}}$")


# Only programmes that granted titles: an open call for applications has nothing to list yet. EXISTS stops at
# the first certificate through the program_id index, so the choices stay cheap at any number of titles.
# A lazy queryset: every form clones it, so the choices are read fresh on each request.
PROGRAMS_WITH_TITLES = Program.objects.filter(Exists(Certificate.objects.filter(program=OuterRef("pk")))).order_by(
    "-year", "title"
)


def _year_choices() -> list[tuple[int, int]]:
    years = PROGRAMS_WITH_TITLES.order_by("-year").values_list("year", flat=True).distinct()
    return [(year, year) for year in years]


class SlugOrPkChoiceField(django_filters.fields.ModelChoiceField):
    """A programme by its slug (what the form sends) or by its number (what older links may carry)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        programme = self.queryset.filter(slug=value).first()
        if programme is None and value.isdigit():
            programme = self.queryset.filter(pk=int(value)).first()
        if programme is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return programme


class ProgramFilter(django_filters.ModelChoiceFilter):
    field_class = SlugOrPkChoiceField


class HonourRollFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Enterprise name or unified social credit code"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search", "autocomplete": "off"}),
    )
    year = django_filters.ChoiceFilter(label=_("Year"), field_name="year", choices=_year_choices, empty_label=_("All"))
    program = ProgramFilter(
        label=_("Programme"),
        field_name="program",
        queryset=PROGRAMS_WITH_TITLES,
        to_field_name="slug",
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of title"), field_name="program__kind", choices=ProgramKind.choices, empty_label=_("All")
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), method="in_district", queryset=District.objects.all(), empty_label=_("All")
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), field_name="enterprise__industry", queryset=Industry.objects.all(), empty_label=_("All")
    )
    tier = django_filters.ChoiceFilter(
        label=_("Credit tier"), field_name="application__result__tier", choices=Tier.choices, empty_label=_("All")
    )

    class Meta:
        model = Certificate
        fields: list[str] = []

    def in_district(self, queryset: QuerySet[Certificate], name: str, value: District) -> QuerySet[Certificate]:
        # The roll lists a title under its holder's district as granted, which its index orders by.
        return queryset.filter(district_code=value.code)

    def search(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        """A complete code is looked up exactly through its unique index; anything else searches the names."""
        code = normalize_uscc(value)
        # An OR of both would force a scan of every name even for a code, and a code never matches a name.
        if USCC_SHAPE.match(code):
            return queryset.filter(enterprise_uscc=code)
        # The roll lists titles under the name they were granted to, so that is the name searched: （集团） and
        # (集团), with or without spaces, find each other.
        return queryset.filter(name_contains("enterprise_name", value))
